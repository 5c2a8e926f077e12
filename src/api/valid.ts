/**
 * Typed access to what a route's validators parsed (route declarations are
 * built by `route()` at run time, so their types are not inferred).
 *
 * @module
 */

import type { Context } from "hono";
import type { z } from "zod";

/** Where a validated value comes from. */
export type ValidTarget = "json" | "query" | "param";

/**
 * The validated body (`json`), query or path parameters.
 *
 * @param c Context.
 * @param target Which part.
 * @param _schema The schema the route declared for it (gives the type).
 * @returns The parsed value.
 */
export function valid<S extends z.ZodType>(
  c: Context,
  target: ValidTarget,
  _schema: S,
): z.output<S> {
  return (c.req as unknown as { valid(t: ValidTarget): z.output<S> }).valid(target);
}
