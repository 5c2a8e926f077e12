/**
 * Fault rules and BMC resets over HTTP.
 *
 * @module
 */

import { z } from "zod";
import { describeRule } from "../../core/faults.ts";
import {
  faultRuleSchema,
  randomSeed,
  resetSchema,
  resolveFaultRule,
  resolveReset,
} from "../../faults/fault_schema.ts";
import { addFault, clearFaults, removeFault, resetBmc } from "../../runtime/operations.ts";
import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import {
  faultListResponse,
  faultRemovedResponse,
  faultRuleResponse,
  faultsClearedResponse,
  resetResponse,
} from "../response_schemas.ts";
import { valid } from "../valid.ts";

const ruleParams = bmcIdParam.extend({ ruleId: z.string().min(1).describe("Fault rule id") });

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function faultRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "post",
      path: "/faults",
      operationId: "addFaultRule",
      tag: "faults",
      summary: "Add a fault rule (match + action + limits)",
      description:
        'Example: {"match": {"netfn": "app", "cmd": "get-device-id"}, "action": {"type": "error", "cc": 192}, "count": 3}. match.channel (system or lan) limits the rule to the host\'s interface or to IPMI over LAN. Actions: error (cc), delay (ms), drop, corrupt (checksum|netfn|cmd|truncate), duplicate (gapMs). Limits: skip, count, probability with seed, until, durationMs.',
      params: bmcIdParam,
      body: faultRuleSchema,
      ok: { status: 201, description: "The rule with its id", schema: faultRuleResponse },
      errors: [404],
    }),
    (c) => {
      const body = valid(c, "json", faultRuleSchema);
      const rule = addFault(c.var.runtime, () => resolveFaultRule(body, randomSeed));
      return c.json(describeRule(rule, c.var.runtime.bmc.clock), 201);
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/faults",
      operationId: "listFaultRules",
      tag: "faults",
      summary: "Active fault rules with their hit counters and expiry",
      params: bmcIdParam,
      ok: { status: 200, description: "Rules", schema: faultListResponse },
      errors: [404],
    }),
    (c) => {
      const bmc = c.var.runtime.bmc;
      return c.json({ rules: bmc.faults.list().map((r) => describeRule(r, bmc.clock)) });
    },
  );

  app.openapi(
    route({
      method: "delete",
      path: "/faults/{ruleId}",
      operationId: "removeFaultRule",
      tag: "faults",
      summary: "Remove one fault rule",
      params: ruleParams,
      ok: { status: 200, description: "Removed", schema: faultRemovedResponse },
      errors: [404],
    }),
    (c) => {
      const { ruleId } = valid(c, "param", ruleParams);
      removeFault(c.var.runtime, ruleId);
      return c.json({ removed: ruleId });
    },
  );

  app.openapi(
    route({
      method: "delete",
      path: "/faults",
      operationId: "clearFaultRules",
      tag: "faults",
      summary: "Remove every fault rule",
      params: bmcIdParam,
      ok: { status: 200, description: "Removed", schema: faultsClearedResponse },
      errors: [404],
    }),
    (c) => c.json({ removed: clearFaults(c.var.runtime) }),
  );

  app.openapi(
    route({
      method: "post",
      path: "/reset",
      operationId: "resetBmc",
      tag: "faults",
      summary: "Reset (reboot) the BMC",
      description:
        'Example: {"mode": "disconnect", "durationMs": 10000, "watchdog": "forget", "after": "spec"}; after {"resetWatchdogCc": "0xD5"} leaves broken firmware that answers Reset Watchdog Timer with that code forever.',
      params: bmcIdParam,
      body: resetSchema,
      ok: { status: 202, description: "The reset started", schema: resetResponse },
      errors: [404],
    }),
    (c) => {
      const rt = c.var.runtime;
      const plan = resolveReset(valid(c, "json", resetSchema), rt.bmc.config.quirks);
      const { endsAtWallMs, ...done } = resetBmc(rt, plan, "api");
      return c.json({
        ...done,
        endsAt: new Date(endsAtWallMs).toISOString(),
        lastEventId: deps.bus.lastId,
      }, 202);
    },
  );
}
