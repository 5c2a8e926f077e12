/**
 * Bearer-token authentication, compared in constant time.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { ApiError } from "./api_error.ts";

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/**
 * Compare two SHA-256 digests in time independent of where they differ
 * (hashing first means the secrets' lengths do not leak either).
 */
function sameDigest(x: Uint8Array, y: Uint8Array): boolean {
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

/**
 * Middleware requiring `Authorization: Bearer <token>` on every request.
 *
 * @param token The API token.
 * @returns Hono middleware (401 otherwise).
 */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token); // once, not per request
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match === null || !sameDigest(await digest(match[1]!.trim()), await expected)) {
      c.header("WWW-Authenticate", 'Bearer realm="bmc-emu"');
      throw new ApiError(401, match === null ? "Missing bearer token" : "Invalid bearer token");
    }
    await next();
  };
}
