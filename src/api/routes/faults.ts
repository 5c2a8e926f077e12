/**
 * Fault rules and BMC resets over HTTP.
 *
 * @module
 */

import type { Context } from "hono";
import { describeRule } from "../../core/faults.ts";
import {
  FaultRuleError,
  faultRuleSchema,
  randomSeed,
  resetSchema,
  resolveFaultRule,
  resolveReset,
} from "../../faults/fault_schema.ts";
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
export function faultRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("post", "/api/v1/bmcs/:id/faults", {
    tag: "faults",
    summary: "Add a fault rule (match + action + limits)",
    description:
      'Example: {"match": {"netfn": "app", "cmd": "get-device-id"}, "action": {"type": "error", "cc": 192}, "count": 3}. Actions: error (cc), delay (ms), drop, corrupt (checksum|netfn|cmd|truncate), duplicate (gapMs). Limits: skip, count, probability with seed, until, durationMs.',
    body: faultRuleSchema,
    responses: { 201: "The rule with its id", 400: "Invalid rule", 404: "Unknown BMC" },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const body = await parseBody(c, faultRuleSchema);
    let spec;
    try {
      spec = resolveFaultRule(body, randomSeed);
    } catch (error) {
      if (error instanceof FaultRuleError) {
        throw new ApiError(400, `Invalid request: body.${error.message}`, `body.${error.field}`);
      }
      throw error;
    }
    const rule = runtime.bmc.faults.add(spec);
    return c.json(describeRule(rule, runtime.bmc.clock), 201);
  });

  table.add("get", "/api/v1/bmcs/:id/faults", {
    tag: "faults",
    summary: "Active fault rules with their hit counters and expiry",
    responses: { 200: "Rules", 404: "Unknown BMC" },
  }, (c: Context) => {
    const bmc = bmcOr404(deps, c.req.param("id")!).bmc;
    return c.json({ rules: bmc.faults.list().map((r) => describeRule(r, bmc.clock)) });
  });

  table.add("delete", "/api/v1/bmcs/:id/faults/:ruleId", {
    tag: "faults",
    summary: "Remove one fault rule",
    responses: { 200: "Removed", 404: "Unknown BMC or rule" },
  }, (c: Context) => {
    const bmc = bmcOr404(deps, c.req.param("id")!).bmc;
    const ruleId = c.req.param("ruleId")!;
    if (!bmc.faults.remove(ruleId)) throw new ApiError(404, `No fault rule "${ruleId}"`);
    return c.json({ removed: ruleId });
  });

  table.add("delete", "/api/v1/bmcs/:id/faults", {
    tag: "faults",
    summary: "Remove every fault rule",
    responses: { 200: "Removed", 404: "Unknown BMC" },
  }, (c: Context) => c.json({ removed: bmcOr404(deps, c.req.param("id")!).bmc.faults.clear() }));

  table.add("post", "/api/v1/bmcs/:id/reset", {
    tag: "faults",
    summary: "Reset (reboot) the BMC",
    description:
      'Example: {"mode": "disconnect", "durationMs": 10000, "watchdog": "forget", "after": "spec"}; after {"resetWatchdogCc": "0xD5"} leaves broken firmware that answers Reset Watchdog Timer with that code forever.',
    body: resetSchema,
    responses: { 202: "The reset started", 400: "Invalid body", 404: "Unknown BMC" },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const plan = resolveReset(await parseBody(c, resetSchema), runtime.bmc.config.quirks);
    runtime.bmc.beginReset(plan, "api");
    return c.json({
      ...plan,
      endsAt: new Date(runtime.bmc.clock.wallMs() + plan.durationMs).toISOString(),
      lastEventId: deps.bus.lastId,
    }, 202);
  });
}
