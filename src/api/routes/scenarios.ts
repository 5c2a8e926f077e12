/**
 * Run a scenario against this process's BMCs and answer its report.
 *
 * @module
 */

import type { Context } from "hono";
import { randomSeed } from "../../faults/fault_schema.ts";
import { ScenarioRunner } from "../../scenario/runner.ts";
import { scenarioSchema } from "../../scenario/scenario_schema.ts";
import type { ApiDeps } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { parseBody } from "../validate.ts";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function scenarioRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("post", "/api/v1/scenarios", {
    tag: "scenarios",
    summary: "Run a scenario to completion and return its report",
    description:
      "Steps: sleep, wait (for an event), mark, fault (add/remove/clear), reset, power, inject, hang, release, assert (event within, noEvent for, state equals within/for). The response comes when the run ends; closing the request aborts it. passed is true only when every wait and assertion passed.",
    body: scenarioSchema,
    responses: { 200: "The report (see passed)", 400: "Invalid scenario" },
  }, async (c: Context) => {
    const scenario = await parseBody(c, scenarioSchema);
    const runner = new ScenarioRunner({
      registry: deps.registry,
      bus: deps.bus,
      clock: deps.clock,
      log: deps.log,
      randomSeed,
    });
    const report = await runner.run(scenario, c.req.raw.signal);
    return c.json(report);
  });
}
