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
 * Compare two secrets in time independent of where they differ (both are
 * hashed first, so the length does not leak either).
 *
 * @param a First secret.
 * @param b Second secret.
 * @returns Whether they are equal.
 */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([digest(a), digest(b)]);
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
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match === null || !(await constantTimeEqual(match[1]!.trim(), token))) {
      c.header("WWW-Authenticate", 'Bearer realm="bmc-emu"');
      throw new ApiError(401, match === null ? "Missing bearer token" : "Invalid bearer token");
    }
    await next();
  };
}
