/**
 * Run a scenario against this process's BMCs and answer its report.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import { randomSeed } from "../../faults/fault_schema.ts";
import { ScenarioRunner } from "../../scenario/runner.ts";
import { scenarioSchema } from "../../scenario/scenario_schema.ts";
import type { ApiDeps } from "../deps.ts";
import { route } from "../route_kit.ts";
import { scenarioReportResponse } from "../response_schemas.ts";
import { valid } from "../valid.ts";

/**
 * Register the routes.
 *
 * @param app The root app.
 * @param deps API services.
 */
export function scenarioRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "post",
      path: "/api/v1/scenarios",
      operationId: "runScenario",
      tag: "scenarios",
      summary: "Run a scenario to completion and return its report",
      description:
        "Steps: sleep, wait (for an event), mark, fault (add/remove/clear), reset, power, inject, hang, release, assert (event within, noEvent for, state equals within/for). The response comes when the run ends; closing the request aborts it. passed is true only when every wait and assertion passed.",
      body: scenarioSchema,
      ok: { status: 200, description: "The report (see passed)", schema: scenarioReportResponse },
    }),
    async (c) => {
      const scenario = valid(c, "json", scenarioSchema);
      const runner = new ScenarioRunner({
        registry: deps.registry,
        bus: deps.bus,
        clock: deps.clock,
        log: deps.log,
        randomSeed,
      });
      return c.json(await runner.run(scenario, c.req.raw.signal));
    },
  );
}
