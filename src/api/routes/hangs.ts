/**
 * BMC hangs over HTTP.
 *
 * @module
 */

import { hangSchema, releaseSchema } from "../../faults/hang_schema.ts";
import { releaseHang, startHang } from "../../runtime/operations.ts";
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
      description:
        'Example: {"mode": "silent", "channel": "system"} hangs the host\'s interface only; IPMI over LAN keeps answering (and {"channel": "lan"} the reverse).',
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
      startHang(c.var.runtime, body, "api");
      return c.json({
        mode: body.mode,
        ...(body.mode === "sticky-receive-queue" ? { message: body.message ?? "response" } : {}),
        ...(body.channel === undefined ? {} : { channel: body.channel }),
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
      const body = valid(c, "json", releaseSchema);
      const { hang, durationMs } = releaseHang(c.var.runtime, body.cc ?? null);
      return c.json({ released: hang.mode, durationMs, lastEventId: deps.bus.lastId });
    },
  );
}
