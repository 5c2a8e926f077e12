/**
 * VM protocol message frames (`vm-protocol.md` §1.2): `seq, netfn<<2|lun,
 * cmd, [cc,] data…, checksum`, in both directions.
 *
 * @module
 */

import { ipmbChecksum } from "./checksum.ts";
import { VM_ESCAPE_BIT, VmChar } from "./constants.ts";
import type { IpmiRequest, IpmiResponse } from "./ipmi_types.ts";
import { encodeVmFrame } from "./vm_frame.ts";

/** A request together with QEMU's message id. */
export interface VmRequest {
  /** QEMU's per-interface message id, echoed in the response. */
  readonly seq: number;
  /** The IPMI request. */
  readonly request: IpmiRequest;
}

/** A response together with the message id it answers. */
export interface VmResponse {
  /** Message id of the request it answers. */
  readonly seq: number;
  /** The IPMI response. */
  readonly response: IpmiResponse;
}

function netfnLun(netfn: number, lun: number): number {
  return ((netfn & 0x3f) << 2) | (lun & 0x03);
}

/**
 * Split a checked message body (from `VmFrameDecoder`) into seq and request.
 *
 * @param body Unescaped seq … checksum, at least 4 bytes.
 * @returns The request with its seq.
 */
export function decodeVmRequest(body: Uint8Array): VmRequest {
  return {
    seq: body[0]!,
    request: {
      netfn: body[1]! >> 2,
      lun: body[1]! & 0x03,
      cmd: body[2]!,
      data: body.subarray(3, body.length - 1),
    },
  };
}

/**
 * Split a checked response body into seq and response (QEMU-side peers).
 *
 * @param body Unescaped seq … checksum, at least 5 bytes.
 * @returns The response with its seq.
 */
export function decodeVmResponse(body: Uint8Array): VmResponse {
  return {
    seq: body[0]!,
    response: {
      netfn: body[1]! >> 2,
      lun: body[1]! & 0x03,
      cmd: body[2]!,
      cc: body[3]!,
      data: body.subarray(4, body.length - 1),
    },
  };
}

function frame(head: number[], data: ArrayLike<number>): Uint8Array {
  const body = new Uint8Array(head.length + data.length + 1);
  body.set(head, 0);
  body.set(data as ArrayLike<number>, head.length);
  body[body.length - 1] = ipmbChecksum(body, 0, body.length - 1);
  return encodeVmFrame(body, VmChar.Message);
}

/**
 * Encode a response as wire bytes: escaped, checksummed, `A0`-terminated.
 *
 * @example Get Device ID response header for seq A0
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeVmResponse } from "./vm_message.ts";
 * const bytes = encodeVmResponse(0xa0, {
 *   netfn: 0x07, lun: 0, cmd: 0x01, cc: 0, data: new Uint8Array(),
 * });
 * assert.deepEqual([...bytes.subarray(0, 4)], [0xaa, 0xb0, 0x1c, 0x01]);
 * ```
 *
 * @param seq Message id of the request being answered.
 * @param response The response.
 * @returns Wire bytes.
 */
export function encodeVmResponse(
  seq: number,
  response: IpmiResponse,
): Uint8Array {
  // The hot path of every reply: one allocation, the wire bytes.
  const head0 = seq & 0xff;
  const head1 = netfnLun(response.netfn, response.lun);
  const head2 = response.cmd & 0xff;
  const head3 = response.cc & 0xff;
  const data = response.data;
  let sum = head0 + head1 + head2 + head3;
  let escapes = escapeCount(head0) + escapeCount(head1) + escapeCount(head2) +
    escapeCount(head3);
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    sum += b;
    escapes += escapeCount(b);
  }
  const checksum = -sum & 0xff;
  escapes += escapeCount(checksum);
  const out = new Uint8Array(4 + data.length + 1 + escapes + 1);
  let o = putEscaped(out, 0, head0);
  o = putEscaped(out, o, head1);
  o = putEscaped(out, o, head2);
  o = putEscaped(out, o, head3);
  for (let i = 0; i < data.length; i++) o = putEscaped(out, o, data[i]!);
  o = putEscaped(out, o, checksum);
  out[o] = VmChar.Message;
  return out;
}

/** 1 when `byte` travels escaped (A0, A1, AA), else 0. */
function escapeCount(byte: number): number {
  return byte === VmChar.Message || byte === VmChar.Command || byte === VmChar.Escape ? 1 : 0;
}

/** Put `byte` at `o`, escaped if needed; returns the next offset. */
function putEscaped(out: Uint8Array, o: number, byte: number): number {
  if (escapeCount(byte) === 1) {
    out[o] = VmChar.Escape;
    out[o + 1] = byte | VM_ESCAPE_BIT;
    return o + 2;
  }
  out[o] = byte;
  return o + 1;
}

/**
 * Encode a request as QEMU sends it (used by scripted peers and load tools).
 *
 * @param seq Message id.
 * @param request The request.
 * @returns Wire bytes.
 */
export function encodeVmRequest(seq: number, request: IpmiRequest): Uint8Array {
  return frame(
    [seq & 0xff, netfnLun(request.netfn, request.lun), request.cmd],
    request.data,
  );
}
