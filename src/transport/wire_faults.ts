/**
 * Replies damaged on the wire, as fault rules ask: a bad checksum (QEMU
 * drops the frame; the guest gets 0xC3 after 4 s), a wrong netfn or command
 * (Linux: "BMC returned incorrect response", 0xFF to the caller), or a reply
 * truncated to its completion code.
 *
 * @module
 */

import { ipmbChecksum } from "../codec/checksum.ts";
import { VmChar } from "../codec/constants.ts";
import type { IpmiResponse } from "../codec/ipmi_types.ts";
import { encodeVmFrame } from "../codec/vm_frame.ts";
import type { CorruptKind } from "../core/faults.ts";

/**
 * Encode a damaged response frame.
 *
 * @param seq Message id.
 * @param response The real response.
 * @param how Kind of damage.
 * @returns Wire bytes.
 */
export function encodeCorruptResponse(
  seq: number,
  response: IpmiResponse,
  how: CorruptKind,
): Uint8Array {
  const netfn = how === "netfn" ? (response.netfn + 2) & 0x3f : response.netfn;
  const cmd = how === "cmd" ? (response.cmd + 1) & 0xff : response.cmd;
  const data = how === "truncate" ? new Uint8Array() : response.data;
  const body = new Uint8Array(5 + data.length);
  body.set([seq & 0xff, (netfn << 2) | (response.lun & 3), cmd, response.cc], 0);
  body.set(data, 4);
  const sum = ipmbChecksum(body, 0, body.length - 1);
  body[body.length - 1] = how === "checksum" ? (sum + 1) & 0xff : sum;
  return encodeVmFrame(body, VmChar.Message);
}
