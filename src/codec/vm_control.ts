/**
 * VM protocol control-command frames (`vm-protocol.md` §1.3): `op [arg…] A1`.
 *
 * @module
 */

import { VM_PROTOCOL_VERSION, VmChar, VmCmd } from "./constants.ts";
import { encodeVmFrame } from "./vm_frame.ts";

/** A decoded control command. */
export interface VmControl {
  /** Operation byte (`VmCmd`). */
  readonly op: number;
  /** Argument bytes (QEMU ignores them except for version/capabilities). */
  readonly args: Uint8Array;
}

/**
 * Split a control frame body into op and arguments.
 *
 * @param body Non-empty unescaped control body.
 * @returns The control command.
 */
export function decodeVmControl(body: Uint8Array): VmControl {
  return { op: body[0]!, args: body.subarray(1) };
}

/**
 * Encode a control command as wire bytes (escaped, `A1`-terminated).
 *
 * @example The version announcement sent on every connect
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeVmControl } from "./vm_control.ts";
 * assert.deepEqual([...encodeVmControl(0xff, [0x01])], [0xff, 0x01, 0xa1]);
 * ```
 *
 * @param op Operation byte.
 * @param args Argument bytes.
 * @returns Wire bytes.
 */
export function encodeVmControl(
  op: number,
  args: ArrayLike<number> = [],
): Uint8Array {
  const body = new Uint8Array(1 + args.length);
  body[0] = op;
  body.set(args as ArrayLike<number>, 1);
  return encodeVmFrame(body, VmChar.Command);
}

/** `FF 01 A1`: the version announcement both sides send on connect. */
export const VM_VERSION_FRAME: Uint8Array = encodeVmControl(VmCmd.Version, [
  VM_PROTOCOL_VERSION,
]);
