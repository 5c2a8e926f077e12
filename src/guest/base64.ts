/**
 * Base64 for bytes (std's `@std/encoding` is on JSR, which is not reachable).
 *
 * @module
 */

/**
 * Encode bytes as base64.
 *
 * @param bytes Input.
 * @returns Base64 text.
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Decode base64 text.
 *
 * @param text Base64 text.
 * @returns Bytes.
 */
export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
