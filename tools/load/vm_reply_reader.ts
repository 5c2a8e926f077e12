/**
 * The QEMU side's reading of a VM-protocol connection with one request
 * outstanding: the bytes a BMC sends become the answer to that request,
 * control frames (with their arrival time) and a count of stray frames.
 * Shared by the Deno client (`vm_client.ts`) and the native one
 * (`native_connection.ts`).
 *
 * @module
 */

import { VmFrameDecoder } from "../../src/codec/vm_frame.ts";
import { decodeVmResponse } from "../../src/codec/vm_message.ts";

/** An answered request. */
export interface Answer {
  /** Whether the reply's netfn and command were the request's (netfn + 1). */
  readonly matches: boolean;
  /** Completion code. */
  readonly cc: number;
  /** Response data after the completion code. */
  readonly data: Uint8Array;
  /** Time from the write to the complete answer, ms. */
  readonly ms: number;
}

/** The request a reply may answer: its seq, netfn, command and send time (ms). */
export interface OutstandingRequest {
  readonly seq: number;
  readonly netfn: number;
  readonly cmd: number;
  readonly sentAt: number;
}

/**
 * Whether a response is the reply to a request: its netfn + 1, its command, LUN 0.
 *
 * @param response The response.
 * @param request The request's netfn and command.
 * @returns `true` when it matches.
 */
export function replyMatches(
  response: { readonly netfn: number; readonly cmd: number; readonly lun: number },
  request: { readonly netfn: number; readonly cmd: number },
): boolean {
  return response.netfn === (request.netfn | 1) && response.cmd === request.cmd &&
    response.lun === 0;
}

/** Reads the frames of one connection. */
export class VmReplyReader {
  readonly #decoder = new VmFrameDecoder({ minMessageBytes: 5 });
  /** Control frames received (first byte each: a `VmCmd`, e.g. Reset, PowerOff, SendNmi). */
  readonly controls: { op: number; at: number }[] = [];
  /**
   * Frames that were not a reply to the outstanding request: dropped by the
   * decoder (bad checksum, too short, …) or answering no outstanding seq.
   */
  strayFrames = 0;

  /**
   * Take bytes from the wire.
   *
   * @param chunk The bytes.
   * @param pending The outstanding request, or `null`.
   * @param now Arrival time, ms.
   * @returns The answer to `pending` when the bytes completed it, else `null`.
   */
  push(chunk: Uint8Array, pending: OutstandingRequest | null, now: number): Answer | null {
    let answer: Answer | null = null;
    for (const ev of this.#decoder.push(chunk)) {
      if (ev.kind === "control") this.controls.push({ op: ev.body[0]!, at: now });
      if (ev.kind === "dropped") this.strayFrames++;
      if (ev.kind !== "message") continue;
      const r = decodeVmResponse(ev.body);
      if (pending === null || answer !== null || r.seq !== pending.seq) {
        this.strayFrames++;
        continue;
      }
      answer = {
        matches: replyMatches(r.response, pending),
        cc: r.response.cc,
        data: r.response.data,
        ms: now - pending.sentAt,
      };
    }
    return answer;
  }
}
