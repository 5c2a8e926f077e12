/**
 * Guest reports: facts about the guest kernel filed by a test harness
 * (dmesg lines, watchdog write errors, D-state processes), published as
 * `guest.report` events so scenarios can assert on them.
 *
 * @module
 */

import { z } from "zod";
import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import { guestReportResponse } from "../response_schemas.ts";
import { valid } from "../valid.ts";

/** A guest report: a kind and flat facts. */
export const guestReportBody = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, "must be a short kebab-case kind such as dmesg"),
}).catchall(z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]));

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function guestReportRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "post",
      path: "/guest-reports",
      operationId: "fileGuestReport",
      tag: "events",
      summary: "File a fact about the guest kernel (published as a guest.report event)",
      description:
        'The e2e harness files {"kind": "dmesg", "line": …}, {"kind": "watchdog-write", "ok": false, "errno": "EINVAL", "seconds": 55.2}, {"kind": "d-state", "pid": …, "comm": …, "wchan": …} and {"kind": "counters", …}; scenarios assert on them like on any event.',
      params: bmcIdParam,
      body: guestReportBody,
      ok: { status: 201, description: "Published", schema: guestReportResponse },
      errors: [404],
    }),
    (c) => {
      const report = valid(c, "json", guestReportBody);
      const event = deps.bus.publish(c.var.runtime.id, "guest.report", report);
      return c.json({ id: event.id }, 201);
    },
  );
}
