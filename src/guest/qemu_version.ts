/**
 * Which QEMU is installed: asks the binary (`--version`).
 *
 * @module
 */

import { parseQemuVersion, type QemuVersion } from "../runtime/qemu_args.ts";

/**
 * The QEMU binary to use: `BMC_EMU_QEMU` (e.g. a wrapper made by
 * `tools/fetch-qemu.sh`), else `qemu-system-x86_64` on the PATH.
 *
 * @returns Path or command name.
 */
export function defaultQemu(): string {
  return Deno.env.get("BMC_EMU_QEMU") ?? "qemu-system-x86_64";
}

/**
 * The version of a QEMU binary.
 *
 * @param binary QEMU binary. @default {@link defaultQemu}
 * @returns The version, or `null` if it cannot be run or does not say.
 */
export async function detectQemuVersion(
  binary: string = defaultQemu(),
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
