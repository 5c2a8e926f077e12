/**
 * The control API as a Hono app, separate from the server: routes, auth,
 * and the one place errors become HTTP responses. Test it with
 * `app.request()`.
 *
 * @module
 */

import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AllowedMethods } from "./allowed_methods.ts";
import { ApiError } from "./api_error.ts";
import { bearerAuth } from "./auth.ts";
import type { ApiDeps } from "./deps.ts";
import { RouteTable } from "./route_table.ts";
import { bmcRoutes } from "./routes/bmcs.ts";
import { chassisRoutes } from "./routes/chassis.ts";
import { eventRoutes } from "./routes/events.ts";
import { faultRoutes } from "./routes/faults.ts";
import { guestReportRoutes } from "./routes/guest_reports.ts";
import { hangRoutes } from "./routes/hangs.ts";
import { sensorRoutes } from "./routes/sensors.ts";
import { scenarioRoutes } from "./routes/scenarios.ts";
import { selRoutes } from "./routes/sel.ts";
import { systemRoutes } from "./routes/system.ts";

/** Largest request body accepted; reading stops there, chunked or not. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The app and its route table. */
export interface Api {
  /** Hono app (`app.fetch` for `Deno.serve`, `app.request` in tests). */
  readonly app: Hono;
  /** Every route with its schemas. */
  readonly routes: RouteTable;
}

/**
 * Build the API.
 *
 * @param deps Services.
 * @returns The app.
 */
export function createApi(deps: ApiDeps): Api {
  const app = new Hono();
  if (deps.token !== null) app.use("*", bearerAuth(deps.token));
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, `Body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      return c.json(error.toJSON(), error.status as 400);
    }
    deps.log.error("API handler failed", { method: c.req.method, path: c.req.path, error });
    return c.json({ error: "Internal error; see the bmc-emu log" }, 500);
  });
  let allowed: AllowedMethods | undefined;
  app.notFound((c) => {
    allowed ??= new AllowedMethods(app.routes);
    const methods = allowed.of(c.req.path);
    if (methods.length > 0) {
      c.header("Allow", methods.join(", "));
      return c.json({ error: `${c.req.path} does not take ${c.req.method}`, allow: methods }, 405);
    }
    return c.json({ error: `No route ${c.req.method} ${c.req.path}` }, 404);
  });
  const routes = new RouteTable(app);
  for (
    const group of [
      systemRoutes,
      bmcRoutes,
      selRoutes,
      chassisRoutes,
      eventRoutes,
      faultRoutes,
      hangRoutes,
      scenarioRoutes,
      guestReportRoutes,
      sensorRoutes,
    ]
  ) {
    group(routes, deps);
  }
  return { app, routes };
}
