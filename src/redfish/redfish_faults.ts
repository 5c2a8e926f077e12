/**
 * Fault rules on the Redfish channel (`match.channel: "redfish"`): HTTP-level
 * actions on requests whose method and path match, so a rig can test its
 * Redfish client's retry logic: answer a status (with an optional body),
 * delay, drop the connection without an answer, or replace the body of the
 * real answer. Rules come from `bmcs[].redfish.faults` (schema in
 * `faults/redfish_fault_schema.ts`); every one that fires publishes
 * `fault.fired`.
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import type { Clock } from "../clock/clock.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger } from "../log/logger.ts";
import type { RedfishFault } from "../faults/redfish_fault_schema.ts";
import { redfishError } from "./messages.ts";

interface LiveRule {
  readonly id: string;
  readonly rule: RedfishFault;
  readonly path: RegExp | null;
  seen: number;
  fired: number;
}

/** What the fault middleware needs. */
export interface RedfishFaultDeps {
  /** BMC id (events). */
  readonly bmc: string;
  /** Rules. */
  readonly rules: readonly RedfishFault[];
  /** Time source (delays). */
  readonly clock: Clock;
  /** Event bus (`fault.fired`). */
  readonly bus: EventBus;
  /** Logger. */
  readonly log: Logger;
}

function dropConnection(c: Context): boolean {
  const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)
    ?.incoming;
  if (incoming?.socket === undefined) return false;
  incoming.socket.destroy();
  return true;
}

/**
 * The middleware that applies the rules (first matching rule wins).
 *
 * @param deps Rules, clock, bus, logger.
 * @returns Hono middleware.
 */
export function redfishFaults(deps: RedfishFaultDeps): MiddlewareHandler {
  const live: LiveRule[] = deps.rules.map((rule, i) => ({
    id: rule.id ?? `redfish-${i + 1}`,
    rule,
    path: rule.match.path === undefined ? null : new RegExp(rule.match.path),
    seen: 0,
    fired: 0,
  }));
  return async (c, next) => {
    const hit = live.find((r) => {
      const m = r.rule.match;
      if (m.method !== undefined && m.method !== c.req.method) return false;
      if (r.path !== null && !r.path.test(c.req.path)) return false;
      if (r.rule.count !== undefined && r.fired >= r.rule.count) return false;
      return r.seen++ >= r.rule.skip;
    });
    if (hit === undefined) return await next();
    hit.fired++;
    const action = hit.rule.action;
    deps.bus.publish(deps.bmc, "fault.fired", {
      ruleId: hit.id,
      channel: "redfish",
      action: action.type,
      method: c.req.method,
      path: c.req.path,
      fired: hit.fired,
    });
    if (action.type === "delay") {
      await new Promise<void>((resolve) => deps.clock.setTimer(resolve, action.ms));
      return await next();
    }
    if (action.type === "drop") {
      if (!dropConnection(c)) {
        throw redfishError(503, "GeneralError", [], { resolution: "Dropped." });
      }
      return c.body(null, 503);
    }
    if (action.type === "body") {
      await next();
      const headers = new Headers(c.res.headers);
      headers.delete("content-length");
      c.res = new Response(JSON.stringify(action.body), { status: c.res.status, headers });
      return;
    }
    const headers = action.retryAfter === undefined
      ? {}
      : { "Retry-After": String(action.retryAfter) };
    if (action.body !== undefined) {
      return c.json(action.body as Record<string, unknown>, action.status as 500, headers);
    }
    throw redfishError(action.status, "GeneralError", [], {
      resolution: `Fault rule ${hit.id} answered ${action.status}.`,
      headers,
    });
  };
}
