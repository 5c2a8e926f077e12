/**
 * Health, metrics, the OpenAPI document and its reference page.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps } from "../deps.ts";
import { docsRoutes } from "../docs_page.ts";
import { route } from "../route_kit.ts";
import { healthResponse } from "../response_schemas.ts";

/** Path of the OpenAPI document. */
export const OPENAPI_PATH = "/api/v1/openapi.json";

/**
 * Register the routes.
 *
 * @param app The root app.
 * @param deps API services.
 */
export function systemRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/healthz",
      operationId: "getHealth",
      tag: "system",
      summary: "Liveness: the process serves requests",
      ok: { status: 200, description: "Healthy", schema: healthResponse },
    }),
    (c) =>
      c.json({
        status: "ok" as const,
        version: deps.version,
        bmcs: deps.registry.size,
        connected: deps.registry.list().filter((r) => r.connection().connected).length,
      }),
  );

  app.openapi(
    route({
      method: "get",
      path: "/metrics",
      operationId: "getMetrics",
      tag: "system",
      summary: "Prometheus metrics",
      ok: { status: 200, description: "Text exposition format", schema: "text" },
    }),
    (c) =>
      c.text(deps.metrics.render(deps.registry), 200, {
        "content-type": "text/plain; version=0.0.4",
      }),
  );
}

/**
 * Serve the document (generated from every route declared so far) and an
 * interactive reference page at `/api/docs`. Register these last.
 *
 * @param app The root app.
 * @param deps API services.
 */
export function documentRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.doc31(OPENAPI_PATH, {
    openapi: "3.1.0",
    info: {
      title: "bmc-emu control API",
      version: deps.version,
      description: "Drive and observe emulated BMCs: state, SEL, power, events, faults.",
    },
    security: [{ bearer: [] }, {}],
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
  });
  docsRoutes(app, OPENAPI_PATH);
}
