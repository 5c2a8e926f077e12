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

/** Cookie a browser holds the token in after `/?token=…` (the dashboard). */
export const TOKEN_COOKIE = "bmc-emu-token";

function cookieToken(header: string | undefined): string | null {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/**
 * Middleware requiring the token on every request: `Authorization: Bearer
 * <token>`, or the `bmc-emu-token` cookie a browser got by opening
 * `/?token=<token>` once (answered with the cookie, `HttpOnly` and
 * `SameSite=Strict`, and a redirect to `/` that drops the token from the
 * address bar), so the dashboard's page, scripts and event stream, which a
 * browser cannot give a header, follow the same rule.
 *
 * @param token The API token.
 * @returns Hono middleware (401 otherwise).
 */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token); // once, not per request
  const valid = async (given: string) => sameDigest(await digest(given), await expected);
  return async (c, next) => {
    const login = c.req.method === "GET" && c.req.path === "/" ? c.req.query("token") : undefined;
    if (login !== undefined && await valid(login)) {
      c.header(
        "Set-Cookie",
        `${TOKEN_COOKIE}=${encodeURIComponent(login)}; Path=/; HttpOnly; SameSite=Strict`,
      );
      return c.redirect("/", 303);
    }
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = match?.[1]?.trim() ?? cookieToken(c.req.header("cookie"));
    if (given === null || !await valid(given)) {
      c.header("WWW-Authenticate", 'Bearer realm="bmc-emu"');
      throw new ApiError(401, given === null ? "Missing bearer token" : "Invalid bearer token");
    }
    await next();
  };
}
