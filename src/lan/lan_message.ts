/**
 * The IPMI LAN message inside a session payload (IPMI v2.0 §13.8, figure
 * 13-4): responder address, netfn/LUN, checksum, requester address,
 * sequence/LUN, command, data, checksum.
 *
 * @module
 */

import { checksumValid, ipmbChecksum } from "../codec/checksum.ts";
import { NetFn, SensorEventCmd } from "../codec/constants.ts";
import type { IpmiRequest } from "../codec/ipmi_types.ts";

/** A request as it arrived over LAN, with what the response must echo. */
export interface LanRequest extends IpmiRequest {
  /** Requester's address (software id, usually 0x81). */
  readonly rqAddr: number;
  /** Requester's sequence number (6 bits). */
  readonly rqSeq: number;
  /** Requester's LUN. */
  readonly rqLun: number;
  /** Responder's address (the BMC, 0x20). */
  readonly rsAddr: number;
}

/** Smallest message: 6 header bytes and the trailing checksum. */
const MIN_MESSAGE = 7;

/**
 * Decode a request message.
 *
 * @param bytes Message bytes.
 * @returns The request, or `null` if short or a checksum is wrong.
 */
export function decodeLanRequest(bytes: Uint8Array): LanRequest | null {
  if (bytes.length < MIN_MESSAGE) return null;
  if (!checksumValid(bytes, 0, 3) || !checksumValid(bytes, 3)) return null;
  return {
    rsAddr: bytes[0]!,
    netfn: bytes[1]! >> 2,
    lun: bytes[1]! & 3,
    rqAddr: bytes[3]!,
    rqSeq: bytes[4]! >> 2,
    rqLun: bytes[4]! & 3,
    cmd: bytes[5]!,
    data: bytes.slice(6, bytes.length - 1),
  };
}

/**
 * Encode the response to `req`.
 *
 * @param req The request.
 * @param cc Completion code.
 * @param data Response data after the completion code.
 * @param corrupt Damage the trailing checksum (fault injection).
 * @returns Message bytes.
 */
export function encodeLanResponse(
  req: LanRequest,
  cc: number,
  data: Uint8Array,
  corrupt = false,
): Uint8Array {
  const out = new Uint8Array(8 + data.length);
  out[0] = req.rqAddr;
  out[1] = ((req.netfn | 1) << 2) | req.rqLun;
  out[2] = ipmbChecksum(out.subarray(0, 2));
  out[3] = req.rsAddr;
  out[4] = (req.rqSeq << 2) | req.lun;
  out[5] = req.cmd;
  out[6] = cc;
  out.set(data, 7);
  out[out.length - 1] = ipmbChecksum(out.subarray(3, out.length - 1)) ^ (corrupt ? 0x5a : 0);
  return out;
}

/**
 * The request in the form the core's handlers take, the system interface's:
 * a Platform Event Message from the system interface starts with the
 * Generator ID, over LAN the generator is the requester's address (IPMI v2.0
 * §29.3), which is put in front.
 *
 * @param req Request as it arrived over LAN.
 * @returns The request for `Bmc.handle()`.
 */
export function coreRequest(req: LanRequest): IpmiRequest {
  if (req.netfn !== NetFn.SensorEvent || req.cmd !== SensorEventCmd.PlatformEvent) return req;
  const data = new Uint8Array(req.data.length + 1);
  data[0] = req.rqAddr;
  data.set(req.data, 1);
  return { netfn: req.netfn, lun: req.lun, cmd: req.cmd, data };
}
