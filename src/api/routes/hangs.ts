/**
 * BMC hangs over HTTP.
 *
 * @module
 */

import type { Context } from "hono";
import { hangSchema, releaseSchema } from "../../faults/hang_schema.ts";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { parseBody } from "../validate.ts";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function hangRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("post", "/api/v1/bmcs/:id/hang", {
    tag: "faults",
    summary: "Hang the BMC: silent, wedge, sticky-event-buffer or sticky-receive-queue",
    body: hangSchema,
    responses: {
      201: "The hang started (replacing one in progress)",
      400: "Invalid body",
      404: "Unknown BMC",
    },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const body = await parseBody(c, hangSchema);
    runtime.bmc.startHang(body, "api");
    return c.json({
      mode: body.mode,
      ...(body.mode === "sticky-receive-queue" ? { message: body.message ?? "response" } : {}),
      durationMs: body.durationMs ?? null,
      lastEventId: deps.bus.lastId,
    }, 201);
  });

  table.add("delete", "/api/v1/bmcs/:id/hang", {
    tag: "faults",
    summary: "Release the hang; a wedge sends its held reply (or the code given as cc)",
    body: releaseSchema,
    responses: {
      200: "Released",
      400: "Invalid body",
      404: "Unknown BMC",
      409: "No hang in progress",
    },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const body = await parseBody(c, releaseSchema);
    const hang = runtime.bmc.releaseHang(body.cc ?? null);
    if (hang === null) throw new ApiError(409, "No hang in progress");
    return c.json({
      released: hang.mode,
      durationMs: Math.round(runtime.bmc.clock.now() - hang.startedAt),
      lastEventId: deps.bus.lastId,
    });
  });
}
