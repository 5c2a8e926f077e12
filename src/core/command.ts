/**
 * What a command handler is: a table entry with its request length and a
 * function from request data to a reply. Expected IPMI failures are values
 * (`fail(cc)`); a thrown exception is a bug.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";

/** A handler's answer: completion code and response data. */
export interface Reply {
  /** Completion code. */
  readonly cc: number;
  /** Response data after the completion code. */
  readonly data: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * A successful reply.
 *
 * @param data Response bytes.
 * @returns Reply with cc 0x00.
 */
export function ok(...data: number[]): Reply {
  return { cc: CompletionCode.Ok, data: data.length ? Uint8Array.from(data) : EMPTY };
}

/**
 * A successful reply with prepared bytes.
 *
 * @param data Response bytes.
 * @returns Reply with cc 0x00.
 */
export function okBytes(data: Uint8Array): Reply {
  return { cc: CompletionCode.Ok, data };
}

/**
 * A failed reply with no data.
 *
 * @param cc Completion code.
 * @returns Reply carrying `cc`.
 */
export function fail(cc: number): Reply {
  return { cc, data: EMPTY };
}

/** Request data length a command accepts: exact, or an inclusive range. */
export type LengthRule = number | readonly [min: number, max: number];

/** One entry of a dispatch table. */
export interface CommandSpec<Ctx> {
  /** Request network function. */
  readonly netfn: number;
  /** Command number. */
  readonly cmd: number;
  /** Accepted request data lengths; anything else is answered 0xC7. */
  readonly length: LengthRule;
  /**
   * Handle a request whose length was checked.
   *
   * @param ctx The BMC's subsystems.
   * @param data Request data.
   * @returns The reply.
   */
  handle(ctx: Ctx, data: Uint8Array): Reply;
}

/**
 * Little-endian 16-bit value at `offset`.
 *
 * @param data Bytes.
 * @param offset Index of the low byte.
 * @returns The value.
 */
export function u16(data: Uint8Array, offset: number): number {
  return data[offset]! | (data[offset + 1]! << 8);
}

/**
 * Little-endian 32-bit unsigned value at `offset`.
 *
 * @param data Bytes.
 * @param offset Index of the low byte.
 * @returns The value.
 */
export function u32(data: Uint8Array, offset: number): number {
  return (data[offset]! | (data[offset + 1]! << 8) |
    (data[offset + 2]! << 16) | (data[offset + 3]! << 24)) >>> 0;
}

/**
 * Bytes of a 16-bit value, little-endian.
 *
 * @param value Value.
 * @returns `[low, high]`.
 */
export function le16(value: number): [number, number] {
  return [value & 0xff, (value >> 8) & 0xff];
}

/**
 * Bytes of a 24-bit value, little-endian (IANA manufacturer ids).
 *
 * @param value Value.
 * @returns Three bytes, low first.
 */
export function le24(value: number): [number, number, number] {
  return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff];
}

/**
 * Bytes of a 32-bit value, little-endian.
 *
 * @param value Value.
 * @returns Four bytes, low first.
 */
export function le32(value: number): [number, number, number, number] {
  return [
    value & 0xff,
    (value >>> 8) & 0xff,
    (value >>> 16) & 0xff,
    (value >>> 24) & 0xff,
  ];
}

/** Record id meaning "the first record" (Get SEL Entry, Get SDR). */
export const RECORD_FIRST = 0x0000;
/** Record id meaning "the last record", and "no next record". */
export const RECORD_LAST = 0xffff;
/** Bytes to read meaning "the whole record" (Get SEL Entry, Get SDR). */
export const READ_WHOLE_RECORD = 0xff;

/** The outcome of a repository operation: a value, or a completion code. */
export type Result<T> = { readonly ok: true; readonly value: T } | {
  readonly ok: false;
  readonly cc: number;
};

/**
 * A repository's reservation (SEL, SDR): Reserve hands out ids 1–0xFFFF in
 * turn, each cancelling the one before; 0 is never valid.
 */
export class Reservation {
  #current = 0;
  #next = 1;

  /** Start a reservation, cancelling the previous one. @returns Its id. */
  reserve(): number {
    this.#current = this.#next;
    this.#next = this.#next >= 0xffff ? 1 : this.#next + 1;
    return this.#current;
  }

  /** Cancel the current reservation (BMC reset, repository change). */
  cancel(): void {
    this.#current = 0;
  }

  /** Whether `id` is the current reservation. */
  valid(id: number): boolean {
    return id !== 0 && id === this.#current;
  }
}
