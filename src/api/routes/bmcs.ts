/**
 * BMC list, full state and watchdog.
 *
 * @module
 */

import type { Context } from "hono";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { bmcState, bmcSummary, watchdogJson } from "../../runtime/bmc_state.ts";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function bmcRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add(
    "get",
    "/api/v1/bmcs",
    {
      tag: "bmcs",
      summary: "List the BMCs of this process",
      responses: { 200: "BMC summaries" },
    },
    (c: Context) =>
      c.json({ bmcs: deps.registry.list().map(bmcSummary), lastEventId: deps.bus.lastId }),
  );

  table.add("get", "/api/v1/bmcs/:id", {
    tag: "bmcs",
    summary: "Full state of one BMC",
    description:
      "Connection (peer, QEMU capabilities, connected since, requests served), power state and backend, watchdog, message flags, global enables, SEL summary, active faults and hangs, profile.",
    responses: { 200: "State", 404: "Unknown BMC" },
  }, (c: Context) => c.json(bmcState(bmcOr404(deps, c.req.param("id")!), deps.bus)));

  table.add(
    "get",
    "/api/v1/bmcs/:id/watchdog",
    {
      tag: "watchdog",
      summary: "Watchdog timer: every field, running, present countdown",
      responses: { 200: "Watchdog", 404: "Unknown BMC" },
    },
    (c: Context) =>
      c.json(watchdogJson(bmcOr404(deps, c.req.param("id")!).bmc.watchdog.snapshot())),
  );
}
