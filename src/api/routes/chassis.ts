/**
 * Chassis power operations over HTTP: the same paths as Chassis Control.
 *
 * @module
 */

import type { Context } from "hono";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { CHASSIS_ACTIONS, chassisBody } from "../schemas.ts";
import { parseBody } from "../validate.ts";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function chassisRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("post", "/api/v1/bmcs/:id/chassis", {
    tag: "chassis",
    summary: "Power on, off, cycle, hard reset, diagnostic interrupt (NMI) or soft-off",
    description:
      "The same path as the guest's Chassis Control; a BMC-initiated reset, power off or cycle stops the watchdog.",
    body: chassisBody,
    responses: {
      200: "Done",
      400: "Invalid body",
      404: "Unknown BMC",
      409: "Not possible now (reason given)",
    },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const { action } = await parseBody(c, chassisBody);
    const result = runtime.bmc.chassisControl(CHASSIS_ACTIONS[action], "api");
    if (!result.ok) throw new ApiError(409, `Cannot ${action}: ${result.reason}`);
    return c.json({
      action,
      done: true,
      power: runtime.bmc.chassis.power,
      backend: runtime.bmc.chassis.backend.kind,
      lastEventId: deps.bus.lastId,
    });
  });
}
