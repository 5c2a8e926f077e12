/**
 * The control API as a Hono app (`@hono/zod-openapi`), separate from the
 * server: routes, auth, the body limit, the per-BMC sub-app and the one
 * place errors become HTTP responses. Test it with `app.request()`.
 *
 * @module
 */

import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { AllowedMethods } from "./allowed_methods.ts";
import { ApiError, operationError } from "./api_error.ts";
import { OperationError } from "../runtime/operation_error.ts";
import { bearerAuth } from "./auth.ts";
import { type ApiDeps, type BmcEnv, resolveBmc } from "./deps.ts";
import { jsonBodyDefaults } from "./json_body.ts";
import { validationHook } from "./route_kit.ts";
import { bmcListRoutes, bmcRoutes } from "./routes/bmcs.ts";
import { chassisRoutes } from "./routes/chassis.ts";
import { allEventRoutes, eventRoutes } from "./routes/events.ts";
import { faultRoutes } from "./routes/faults.ts";
import { guestReportRoutes } from "./routes/guest_reports.ts";
import { hangRoutes } from "./routes/hangs.ts";
import { lanRoutes } from "./routes/lan.ts";
import { sensorRoutes } from "./routes/sensors.ts";
import { scenarioRoutes } from "./routes/scenarios.ts";
import { selRoutes } from "./routes/sel.ts";
import { documentRoutes, systemRoutes } from "./routes/system.ts";
import { uiRoutes } from "../ui/ui_routes.ts";

/** Largest request body accepted; reading stops there, chunked or not. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The app. */
export interface Api {
  /** Hono app (`app.fetch` for a server, `app.request` in tests). */
  readonly app: OpenAPIHono;
}

/**
 * The body limit: a 413 once a body passes {@link MAX_BODY_BYTES}.
 *
 * @returns The middleware.
 */
export function limitBody(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, `Body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  });
}

function errorResponse(error: Error, c: Context, deps: ApiDeps): Response {
  if (error instanceof OperationError) error = operationError(error);
  if (error instanceof ApiError) return c.json(error.toJSON(), error.status as 400);
  if (error instanceof HTTPException && error.status === 400) {
    // The JSON validator could not parse the body.
    const e = new ApiError(
      400,
      `Invalid request: body is not valid JSON (${error.message})`,
      "body",
    );
    return c.json(e.toJSON(), 400);
  }
  if (error instanceof HTTPException && error.status === 415) {
    return c.json({ error: `Content-Type must be application/json` }, 415);
  }
  deps.log.error("API handler failed", { method: c.req.method, path: c.req.path, error });
  return c.json({ error: "Internal error; see the bmc-emu log" }, 500);
}

/**
 * Build the API.
 *
 * @param deps Services.
 * @returns The app.
 */
export function createApi(deps: ApiDeps): Api {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  if (deps.token !== null) app.use("*", bearerAuth(deps.token));
  app.use("*", limitBody(), jsonBodyDefaults());
  app.onError((error, c) => errorResponse(error, c, deps));
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

  systemRoutes(app, deps);
  bmcListRoutes(app, deps);
  allEventRoutes(app, deps);
  scenarioRoutes(app, deps);

  const bmc = new OpenAPIHono<BmcEnv>({ defaultHook: validationHook });
  bmc.use("*", resolveBmc(deps));
  for (
    const group of [
      bmcRoutes,
      selRoutes,
      chassisRoutes,
      eventRoutes,
      faultRoutes,
      hangRoutes,
      lanRoutes,
      guestReportRoutes,
      sensorRoutes,
    ]
  ) {
    group(bmc, deps);
  }
  app.route("/api/v1/bmcs/:id", bmc);
  documentRoutes(app, deps);
  if (deps.ui === true) uiRoutes(app);
  return { app };
}
