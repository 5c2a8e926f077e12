/**
 * Chassis power operations over HTTP: the same paths as Chassis Control.
 *
 * @module
 */

import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import { chassisResponse } from "../response_schemas.ts";
import { chassisBody } from "../schemas.ts";
import { power } from "../../runtime/operations.ts";
import { valid } from "../valid.ts";

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function chassisRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "post",
      path: "/chassis",
      operationId: "chassisControl",
      tag: "chassis",
      summary: "Power on, off, cycle, hard reset, diagnostic interrupt (NMI) or soft-off",
      description:
        "The same path as the guest's Chassis Control; a BMC-initiated reset, power off or cycle stops the watchdog.",
      params: bmcIdParam,
      body: chassisBody,
      ok: { status: 200, description: "Done", schema: chassisResponse },
      errors: [404, 409],
    }),
    (c) => {
      const { action } = valid(c, "json", chassisBody);
      const result = power(c.var.runtime, action, "api");
      return c.json({ ...result, done: true, lastEventId: deps.bus.lastId });
    },
  );
}
