/**
 * Chassis power operations over HTTP: the same paths as Chassis Control.
 *
 * @module
 */

import { ApiError } from "../api_error.ts";
import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import { chassisResponse } from "../response_schemas.ts";
import { CHASSIS_ACTIONS, chassisBody } from "../schemas.ts";
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
      const runtime = c.var.runtime;
      const { action } = valid(c, "json", chassisBody);
      const result = runtime.bmc.chassisControl(CHASSIS_ACTIONS[action], "api");
      if (!result.ok) throw new ApiError(409, `Cannot ${action}: ${result.reason}`);
      return c.json({
        action,
        done: true,
        power: runtime.bmc.chassis.power,
        backend: runtime.bmc.chassis.backend.kind,
        lastEventId: deps.bus.lastId,
      });
    },
  );
}
