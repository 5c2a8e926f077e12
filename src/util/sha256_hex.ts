/**
 * Content hashes for cache keys (Web Crypto, from the platform).
 *
 * @module
 */

/**
 * Hex SHA-256 of a text or bytes.
 *
 * @param data Text (UTF-8) or bytes.
 * @returns 64 hex digits.
 */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
