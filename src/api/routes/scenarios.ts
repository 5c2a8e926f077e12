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
import { JSON_LINES, route } from "../route_kit.ts";
import { scenarioLineResponse, scenarioReportResponse } from "../response_schemas.ts";
import { streamLines } from "../json_lines.ts";
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
        "Steps: sleep, wait (for an event), mark, fault (add/remove/clear), reset, power, inject, hang, release, assert (event within, noEvent for, state equals within/for, console line within). The JSON response comes when the run ends; with Accept: application/x-ndjson the answer streams a start line ({type: start, scenario, steps}), one line per step as it completes ({type: step, …}) and ends with the report ({type: report, …}). Closing the request aborts the run. passed is true only when every wait and assertion passed.",
      body: scenarioSchema,
      ok: {
        status: 200,
        description: "The report (see passed), or its steps as JSON lines",
        schema: scenarioReportResponse,
        lines: scenarioLineResponse,
      },
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
      if (c.req.header("accept")?.includes(JSON_LINES)) {
        return streamLines(c.req.raw.signal, async (line, signal) => {
          line({
            type: "start",
            scenario: scenario.name,
            description: scenario.description,
            steps: scenario.steps.length,
          });
          const report = await runner.run(
            scenario,
            signal,
            (step) => line({ type: "step", ...step }),
          );
          line({ type: "report", ...report });
        });
      }
      return c.json(await runner.run(scenario, c.req.raw.signal));
    },
  );
}
