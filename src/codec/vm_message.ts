/**
 * VM protocol message frames (`vm-protocol.md` §1.2): `seq, netfn<<2|lun,
 * cmd, [cc,] data…, checksum`, in both directions.
 *
 * @module
 */

import { ipmbChecksum } from "./checksum.ts";
import { VmChar } from "./constants.ts";
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
  return frame(
    [seq & 0xff, netfnLun(response.netfn, response.lun), response.cmd, response.cc],
    response.data,
  );
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
