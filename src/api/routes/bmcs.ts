/**
 * BMC list, full state and watchdog.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps, BmcApp } from "../deps.ts";
import { bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import {
  bmcListResponse,
  bmcRemovedResponse,
  bmcStateResponse,
  bmcSummaryResponse,
  watchdogResponse,
} from "../response_schemas.ts";
import { bmcEntrySchema } from "../../runtime/config_file.ts";
import { valid } from "../valid.ts";
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

  app.openapi(
    route({
      method: "post",
      path: "/api/v1/bmcs",
      operationId: "addBmc",
      tag: "bmcs",
      summary: "Start a BMC in the running process (the same object as a config-file entry)",
      description:
        'Example: {"id": "n2", "vm": {"listen": "tcp:127.0.0.1:9102"}}. Profile, qmp, stateFile, faults, lan, console, redfish and users as in a config file; the state file defaults to <stateDir>/<id>.sqlite. Ids and endpoints stay unique (409 naming the field). Publishes bmc.added.',
      body: bmcEntrySchema,
      ok: { status: 201, description: "The BMC, started", schema: bmcSummaryResponse },
      errors: [409],
    }),
    async (c) => {
      const runtime = await deps.bmcs.add(valid(c, "json", bmcEntrySchema));
      return c.json(bmcSummary(runtime), 201);
    },
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
      method: "delete",
      path: "/",
      operationId: "removeBmc",
      tag: "bmcs",
      summary: "Stop a BMC and take it out of the process",
      description:
        "Its VM link and power backend close; its state file stays, so a BMC declared again with the same id and state file starts with the same SEL. Publishes bmc.removed.",
      params: bmcIdParam,
      ok: { status: 200, description: "Removed", schema: bmcRemovedResponse },
      errors: [404],
    }),
    async (c) => {
      const id = c.var.runtime.id;
      const { stateFile } = await deps.bmcs.remove(id);
      return c.json({ removed: id, stateFile, lastEventId: deps.bus.lastId });
    },
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
