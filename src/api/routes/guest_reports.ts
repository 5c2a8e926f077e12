/**
 * Guest reports: facts about the guest kernel filed by a test harness
 * (dmesg lines, watchdog write errors, D-state processes), published as
 * `guest.report` events so scenarios can assert on them.
 *
 * @module
 */

import type { Context } from "hono";
import { z } from "zod";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { parseBody } from "../validate.ts";

/** A guest report: a kind and flat facts. */
export const guestReportBody = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, "must be a short kebab-case kind such as dmesg"),
}).catchall(z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]));

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function guestReportRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("post", "/api/v1/bmcs/:id/guest-reports", {
    tag: "events",
    summary: "File a fact about the guest kernel (published as a guest.report event)",
    description:
      'The e2e harness files {"kind": "dmesg", "line": …}, {"kind": "watchdog-write", "ok": false, "errno": "EINVAL", "seconds": 55.2}, {"kind": "d-state", "pid": …, "comm": …, "wchan": …} and {"kind": "counters", …}; scenarios assert on them like on any event.',
    body: guestReportBody,
    responses: { 201: "Published", 400: "Invalid report", 404: "Unknown BMC" },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const report = await parseBody(c, guestReportBody);
    const event = deps.bus.publish(runtime.id, "guest.report", report);
    return c.json({ id: event.id }, 201);
  });
}
