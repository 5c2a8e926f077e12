/**
 * BMC hangs over HTTP.
 *
 * @module
 */

import { hangSchema, releaseSchema } from "../../faults/hang_schema.ts";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import { hangReleasedResponse, hangStartedResponse } from "../response_schemas.ts";
import { valid } from "../valid.ts";

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function hangRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "post",
      path: "/hang",
      operationId: "startHang",
      tag: "faults",
      summary: "Hang the BMC: silent, wedge, sticky-event-buffer or sticky-receive-queue",
      params: bmcIdParam,
      body: hangSchema,
      ok: {
        status: 201,
        description: "The hang started (replacing one in progress)",
        schema: hangStartedResponse,
      },
      errors: [404],
    }),
    (c) => {
      const body = valid(c, "json", hangSchema);
      c.var.runtime.bmc.startHang(body, "api");
      return c.json({
        mode: body.mode,
        ...(body.mode === "sticky-receive-queue" ? { message: body.message ?? "response" } : {}),
        durationMs: body.durationMs ?? null,
        lastEventId: deps.bus.lastId,
      }, 201);
    },
  );

  app.openapi(
    route({
      method: "delete",
      path: "/hang",
      operationId: "releaseHang",
      tag: "faults",
      summary: "Release the hang; a wedge sends its held reply (or the code given as cc)",
      params: bmcIdParam,
      body: releaseSchema,
      ok: { status: 200, description: "Released", schema: hangReleasedResponse },
      errors: [404, 409],
    }),
    (c) => {
      const bmc = c.var.runtime.bmc;
      const body = valid(c, "json", releaseSchema);
      const hang = bmc.releaseHang(body.cc ?? null);
      if (hang === null) throw new ApiError(409, "No hang in progress");
      return c.json({
        released: hang.mode,
        durationMs: Math.round(bmc.clock.now() - hang.startedAt),
        lastEventId: deps.bus.lastId,
      });
    },
  );
}
