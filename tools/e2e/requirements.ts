/**
 * What the end-to-end tests need (QEMU, a guest kernel with IPMI modules,
 * busybox-static, ipmitool) and whether this machine has it.
 *
 * @module
 */

import { findKernel, type GuestKernel } from "../../src/guest/guest_kernel.ts";
import { defaultQemu } from "../../src/guest/qemu_version.ts";
import { GUEST_BINARIES } from "../../src/guest/initramfs.ts";

/** Command that installs the Debian packages the e2e tests need. */
export const INSTALL_HINT = "sudo tools/install-e2e-deps.sh";

/** What an e2e run uses. */
export interface E2eSetup {
  /** QEMU binary. */
  readonly qemu: string;
  /** Guest kernel. */
  readonly kernel: GuestKernel;
}

/** Outcome of the dependency check. */
export type E2eRequirements = { readonly ok: true; readonly setup: E2eSetup } | {
  readonly ok: false;
  readonly reason: string;
};

async function onPath(binary: string): Promise<string | null> {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")) {
    try {
      const info = await Deno.stat(`${dir}/${binary}`);
      if (info.isFile) return `${dir}/${binary}`;
    } catch {
      // Not here.
    }
  }
  return null;
}

async function fileExists(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Check the e2e dependencies. The guest kernel is the installed one, or the
 * tree named by `BMC_EMU_KERNEL` (a directory with `boot/vmlinuz-*` and
 * `lib/modules/<version>/`).
 *
 * @param kernelRoot Kernel tree root (default: `BMC_EMU_KERNEL` or `/`).
 * @returns The setup, or why e2e tests cannot run.
 */
export async function e2eRequirements(
  kernelRoot: string = Deno.env.get("BMC_EMU_KERNEL") ?? "/",
): Promise<E2eRequirements> {
  const wanted = defaultQemu();
  const qemu = wanted.includes("/")
    ? (await fileExists(wanted) ? wanted : null)
    : await onPath(wanted);
  if (qemu === null) {
    return { ok: false, reason: `${wanted} not found; install with: ${INSTALL_HINT}` };
  }
  for (const [name, path] of Object.entries(GUEST_BINARIES)) {
    if (!(await fileExists(path))) {
      return { ok: false, reason: `${name} (${path}) not found; install with: ${INSTALL_HINT}` };
    }
  }
  const kernel = await findKernel(kernelRoot);
  if (kernel === null) {
    return {
      ok: false,
      reason: `no guest kernel with modules under ${kernelRoot}; install with: ${INSTALL_HINT}`,
    };
  }
  try {
    await Deno.stat(`${kernel.modulesDir}/kernel/drivers/char/ipmi`);
  } catch {
    return {
      ok: false,
      reason: `kernel ${kernel.version} has no IPMI modules in ${kernel.modulesDir}`,
    };
  }
  return { ok: true, setup: { qemu, kernel } };
}
