/**
 * The two's-complement checksum used by IPMB and by the VM protocol.
 *
 * @module
 */

/**
 * Two's complement of the 8-bit sum of `bytes[start..end)`: appending it makes
 * the sum of all bytes 0 mod 256.
 *
 * @example Checksum of a Get Device ID request with seq 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { ipmbChecksum } from "./checksum.ts";
 * assert.equal(ipmbChecksum([0x00, 0x18, 0x01]), 0xe7);
 * ```
 *
 * @param bytes Bytes to sum.
 * @param start First index (default 0).
 * @param end End index, exclusive (default `bytes.length`).
 * @returns The checksum byte.
 */
export function ipmbChecksum(
  bytes: ArrayLike<number>,
  start = 0,
  end: number = bytes.length,
): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += bytes[i]!;
  return -sum & 0xff;
}

/**
 * Whether `bytes[start..end)`, including a trailing checksum, sums to 0 mod 256.
 *
 * @param bytes Bytes including the checksum.
 * @param start First index (default 0).
 * @param end End index, exclusive (default `bytes.length`).
 * @returns `true` when the checksum is right.
 */
export function checksumValid(
  bytes: ArrayLike<number>,
  start = 0,
  end: number = bytes.length,
): boolean {
  return ipmbChecksum(bytes, start, end) === 0;
}
