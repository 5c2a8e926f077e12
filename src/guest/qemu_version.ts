/**
 * Which QEMU is installed: asks the binary (`--version`).
 *
 * @module
 */

import { parseQemuVersion, type QemuVersion } from "../runtime/qemu_args.ts";

/**
 * The version of a QEMU binary.
 *
 * @param binary QEMU binary. @default "qemu-system-x86_64"
 * @returns The version, or `null` if it cannot be run or does not say.
 */
export async function detectQemuVersion(
  binary = "qemu-system-x86_64",
): Promise<QemuVersion | null> {
  try {
    const out = await new Deno.Command(binary, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    return parseQemuVersion(new TextDecoder().decode(out.stdout));
  } catch {
    return null;
  }
}
