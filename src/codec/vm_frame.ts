/**
 * VM protocol framing (`vm-protocol.md` §1.1): escaping of `A0`/`A1`/`AA`,
 * frame terminators, and an incremental, bounded, total decoder.
 *
 * @module
 */

import { checksumValid } from "./checksum.ts";
import { MAX_IPMI_MSG_SIZE, VM_ESCAPE_BIT, VmChar } from "./constants.ts";

/**
 * Largest unescaped frame body the decoder keeps: seq + 300-byte IPMI message
 * + checksum (QEMU's `inbuf[MAX_IPMI_MSG_SIZE + 2]`).
 */
export const MAX_FRAME_BODY = MAX_IPMI_MSG_SIZE + 2;

/** Why the decoder dropped bytes. */
export type VmDropReason =
  /** A bare terminator with nothing before it (often a resync byte). */
  | "empty"
  /** A message frame shorter than seq + netfn + cmd (+ cc) + checksum. */
  | "too-short"
  /** More than {@link MAX_FRAME_BODY} bytes before a terminator. */
  | "too-long"
  /** The bytes of a message frame do not sum to 0 mod 256. */
  | "bad-checksum"
  /** A terminator directly after the escape byte. */
  | "escape-at-terminator";

/** One thing the decoder found in the byte stream. */
export type VmFrameEvent =
  /** A message frame with a valid checksum: unescaped seq … checksum. */
  | { readonly kind: "message"; readonly body: Uint8Array }
  /** A control-command frame: unescaped op and arguments. */
  | { readonly kind: "control"; readonly body: Uint8Array }
  /** Bytes that were thrown away, and why. */
  | {
    readonly kind: "dropped";
    readonly reason: VmDropReason;
    readonly frame: "message" | "control";
    readonly bytes: number;
  };

/** Options for {@link VmFrameDecoder}. */
export interface VmFrameDecoderOptions {
  /**
   * Minimum unescaped message frame length: 4 for requests (seq, netfn, cmd,
   * checksum), 5 for responses (plus the completion code).
   *
   * @default 4
   */
  minMessageBytes?: number;
}

/**
 * Incremental VM protocol decoder. `push()` accepts any chunking of the byte
 * stream, never throws, and never holds more than {@link MAX_FRAME_BODY}
 * bytes.
 *
 * @example Decoding a Get Device ID request split across two chunks
 * ```ts
 * import assert from "node:assert/strict";
 * import { VmFrameDecoder } from "./vm_frame.ts";
 * const decoder = new VmFrameDecoder();
 * assert.deepEqual(decoder.push(new Uint8Array([0x00, 0x18])), []);
 * const [event] = decoder.push(new Uint8Array([0x01, 0xe7, 0xa0]));
 * assert.equal(event?.kind, "message");
 * ```
 */
export class VmFrameDecoder {
  readonly #buf = new Uint8Array(MAX_FRAME_BODY);
  readonly #minMessage: number;
  #len = 0;
  #overflow = 0;
  #escape = false;

  /**
   * Create a decoder.
   *
   * @param options Decoder options.
   */
  constructor(options: VmFrameDecoderOptions = {}) {
    this.#minMessage = options.minMessageBytes ?? 4;
  }

  /** Bytes currently buffered (always ≤ {@link MAX_FRAME_BODY}). */
  get buffered(): number {
    return this.#len;
  }

  /**
   * Feed bytes; return the frames and drops they completed, in order.
   *
   * @param chunk Bytes from the wire, any length.
   * @returns Frames and drop reports (empty when no terminator was seen).
   */
  push(chunk: Uint8Array): VmFrameEvent[] {
    const events: VmFrameEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === VmChar.Message || byte === VmChar.Command) {
        events.push(this.#finish(byte === VmChar.Message));
      } else if (byte === VmChar.Escape) {
        this.#escape = true;
      } else if (this.#escape) {
        this.#escape = false;
        this.#store(byte & ~VM_ESCAPE_BIT);
      } else {
        this.#store(byte);
      }
    }
    return events;
  }

  #store(byte: number): void {
    if (this.#len < MAX_FRAME_BODY) this.#buf[this.#len++] = byte;
    else this.#overflow++;
  }

  #finish(isMessage: boolean): VmFrameEvent {
    const frame = isMessage ? "message" : "control";
    const len = this.#len;
    const overflow = this.#overflow;
    const escape = this.#escape;
    this.#len = 0;
    this.#overflow = 0;
    this.#escape = false;
    const drop = (reason: VmDropReason): VmFrameEvent => ({
      kind: "dropped",
      reason,
      frame,
      bytes: len + overflow + (escape ? 1 : 0),
    });
    if (overflow > 0) return drop("too-long");
    if (escape) return drop("escape-at-terminator");
    if (len === 0) return drop("empty");
    if (!isMessage) {
      return { kind: "control", body: this.#buf.slice(0, len) };
    }
    if (len < this.#minMessage) return drop("too-short");
    if (!checksumValid(this.#buf, 0, len)) return drop("bad-checksum");
    return { kind: "message", body: this.#buf.slice(0, len) };
  }
}

function needsEscape(byte: number): boolean {
  return byte === VmChar.Message || byte === VmChar.Command ||
    byte === VmChar.Escape;
}

/**
 * Escape a frame body and append its terminator.
 *
 * @example A seq byte of A0 travels as `AA B0`
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeVmFrame } from "./vm_frame.ts";
 * import { VmChar } from "./constants.ts";
 * assert.deepEqual(
 *   [...encodeVmFrame([0xa0, 0x18, 0x01, 0x47], VmChar.Message)],
 *   [0xaa, 0xb0, 0x18, 0x01, 0x47, 0xa0],
 * );
 * ```
 *
 * @param body Unescaped frame body.
 * @param terminator `VmChar.Message` or `VmChar.Command`.
 * @returns The bytes to put on the wire.
 */
export function encodeVmFrame(
  body: ArrayLike<number>,
  terminator: number,
): Uint8Array {
  let escapes = 0;
  for (let i = 0; i < body.length; i++) if (needsEscape(body[i]!)) escapes++;
  const out = new Uint8Array(body.length + escapes + 1);
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]! & 0xff;
    if (needsEscape(byte)) {
      out[o++] = VmChar.Escape;
      out[o++] = byte | VM_ESCAPE_BIT;
    } else {
      out[o++] = byte;
    }
  }
  out[o] = terminator;
  return out;
}
