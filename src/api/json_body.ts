/**
 * Bodies as the API has always taken them: no Content-Type means JSON, and
 * an empty body means `{}` (so `DELETE /hang` needs no body and a schema's
 * defaults apply). Any other Content-Type is left for the validator to
 * refuse (415).
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";

const JSON_TYPE = "application/json";

/**
 * Middleware normalising bodies before the routes' JSON validators.
 *
 * @returns The middleware.
 */
export function jsonBodyDefaults(): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return await next();
    const type = c.req.header("content-type") ?? "";
    if (type !== "" && !type.includes(JSON_TYPE)) return await next();
    const text = await c.req.text(); // bounded by the body limit before this
    const headers = new Headers(c.req.raw.headers);
    headers.set("content-type", JSON_TYPE);
    headers.delete("content-length");
    c.req.raw = new Request(c.req.raw.url, {
      method,
      headers,
      body: text.trim() === "" ? "{}" : text,
      signal: c.req.raw.signal,
    });
    c.req.bodyCache = {};
    await next();
  };
}
