/**
 * BMC list, full state and watchdog.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps, BmcApp } from "../deps.ts";
import { bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import { bmcListResponse, bmcStateResponse, watchdogResponse } from "../response_schemas.ts";
import { bmcState, bmcSummary, watchdogJson } from "../../runtime/bmc_state.ts";

/**
 * Register the process-wide routes.
 *
 * @param app The root app.
 * @param deps API services.
 */
export function bmcListRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/bmcs",
      operationId: "listBmcs",
      tag: "bmcs",
      summary: "List the BMCs of this process",
      ok: { status: 200, description: "BMC summaries", schema: bmcListResponse },
    }),
    (c) => c.json({ bmcs: deps.registry.list().map(bmcSummary), lastEventId: deps.bus.lastId }),
  );
}

/**
 * Register the per-BMC routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function bmcRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/",
      operationId: "getBmc",
      tag: "bmcs",
      summary: "Full state of one BMC",
      description:
        "Connection (peer, QEMU capabilities, connected since, requests served), power state and backend, watchdog, message flags, global enables, SEL summary, active faults and hangs, profile.",
      params: bmcIdParam,
      ok: { status: 200, description: "State", schema: bmcStateResponse },
      errors: [404],
    }),
    (c) => c.json(bmcState(c.var.runtime, deps.bus)),
  );

  app.openapi(
    route({
      method: "get",
      path: "/watchdog",
      operationId: "getWatchdog",
      tag: "watchdog",
      summary: "Watchdog timer: every field, running, present countdown",
      params: bmcIdParam,
      ok: { status: 200, description: "Watchdog", schema: watchdogResponse },
      errors: [404],
    }),
    (c) => c.json(watchdogJson(c.var.runtime.bmc.watchdog.snapshot())),
  );
}
