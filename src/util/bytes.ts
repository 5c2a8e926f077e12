/**
 * Byte array helpers.
 *
 * @module
 */

/**
 * Concatenate byte arrays.
 *
 * @param parts Arrays in order.
 * @returns One array holding all bytes.
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
