/**
 * A guest kernel by name (`bmc-emu guest --kernel`, the kernel matrix): a
 * directory, an installed or cached release, or a release fetched from
 * Debian's archive with `tools/fetch-kernel.sh`.
 *
 * @module
 */

import { exists, findKernel, type GuestKernel, KERNEL_CACHE } from "./guest_kernel.ts";

const FETCH_KERNEL = new URL("../../tools/fetch-kernel.sh", import.meta.url).pathname;

/**
 * Find the guest kernel.
 *
 * @param arg A release or a directory (undefined: the installed kernel).
 * @param log Progress lines.
 * @returns The kernel.
 * @throws {Error} Saying what was looked for and how to get it.
 */
export async function resolveKernel(
  arg: string | undefined,
  log: (line: string) => void,
): Promise<GuestKernel> {
  if (arg === undefined) {
    const installed = await findKernel("/");
    if (installed === null) {
      throw new Error(
        "no installed kernel with modules under /boot and /lib/modules; install linux-image-amd64 or pass --kernel",
      );
    }
    return installed;
  }
  if ((await Deno.stat(arg).catch(() => null))?.isDirectory) {
    const k = await findKernel(arg);
    if (k === null) {
      throw new Error(`${arg} has no boot/vmlinuz-<release> with lib/modules/<release>/`);
    }
    return k;
  }
  if (!/^\d+\.\d+[\w.+~-]*$/.test(arg)) {
    throw new Error(
      `--kernel ${arg}: neither a directory nor a kernel release such as 6.18.9+deb13-amd64`,
    );
  }
  const cached = await findKernel(`${KERNEL_CACHE}${arg}`);
  if (cached?.version === arg) return cached;
  if (await exists(`/boot/vmlinuz-${arg}`) && await exists(`/lib/modules/${arg}/modules.dep`)) {
    return { version: arg, image: `/boot/vmlinuz-${arg}`, modulesDir: `/lib/modules/${arg}` };
  }
  if (!(await exists(FETCH_KERNEL))) {
    throw new Error(
      `kernel ${arg} is not in ${KERNEL_CACHE}; fetch it with tools/fetch-kernel.sh ${arg}`,
    );
  }
  log(`fetching ${arg} from Debian (tools/fetch-kernel.sh)`);
  const out = await new Deno.Command(FETCH_KERNEL, {
    args: [arg],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    const why = new TextDecoder().decode(out.stderr).split("\n").filter((l) =>
      l.startsWith("fetch-kernel:")
    );
    throw new Error(why.join("; ") || `tools/fetch-kernel.sh ${arg} failed`);
  }
  const fetched = await findKernel(`${KERNEL_CACHE}${arg}`);
  if (fetched === null) {
    throw new Error(`tools/fetch-kernel.sh left no kernel in ${KERNEL_CACHE}${arg}`);
  }
  return fetched;
}
