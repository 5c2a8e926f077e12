/**
 * Find a matrix kernel by release: unpacked under `.cache/kernels/`, installed
 * on this machine, or fetched from Debian with `tools/fetch-kernel.sh`.
 *
 * @module
 */

import {
  exists,
  findKernel,
  type GuestKernel,
  KERNEL_CACHE,
} from "../../src/guest/guest_kernel.ts";

const FETCH_KERNEL = new URL("../fetch-kernel.sh", import.meta.url).pathname;

/**
 * The kernel tree for `release`, fetching it if needed.
 *
 * @param release Kernel release (`6.18.9+deb13-amd64`).
 * @param log Progress lines.
 * @param cacheDir Where fetched kernels are unpacked.
 * @returns The kernel.
 * @throws {Error} If the release cannot be fetched (with fetch-kernel's reason).
 */
export async function resolveKernel(
  release: string,
  log: (line: string) => void,
  cacheDir: string = KERNEL_CACHE,
): Promise<GuestKernel> {
  const cached = await findKernel(`${cacheDir}/${release}`);
  if (cached?.version === release) return cached;
  if (
    await exists(`/boot/vmlinuz-${release}`) && await exists(`/lib/modules/${release}/modules.dep`)
  ) {
    return {
      version: release,
      image: `/boot/vmlinuz-${release}`,
      modulesDir: `/lib/modules/${release}`,
    };
  }
  log(`fetching ${release} (tools/fetch-kernel.sh)`);
  const out = await new Deno.Command(FETCH_KERNEL, {
    args: [release, cacheDir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (!out.success) {
    throw new Error(
      `cannot fetch ${release}: ${
        stderr.filter((l) => l.startsWith("fetch-kernel:")).join("; ") ||
        stderr.slice(-3).join("; ")
      }`,
    );
  }
  const fetched = await findKernel(`${cacheDir}/${release}`);
  if (fetched === null) {
    throw new Error(`fetch-kernel.sh did not leave a kernel in ${cacheDir}/${release}`);
  }
  return fetched;
}
