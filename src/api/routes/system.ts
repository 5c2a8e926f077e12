/**
 * Health, metrics and the OpenAPI document.
 *
 * @module
 */

import type { Context } from "hono";
import type { ApiDeps } from "../deps.ts";
import { buildOpenApi } from "../openapi.ts";
import type { RouteTable } from "../route_table.ts";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function systemRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("get", "/healthz", {
    tag: "system",
    summary: "Liveness: the process serves requests",
    responses: { 200: "Healthy" },
  }, (c: Context) =>
    c.json({
      status: "ok",
      version: deps.version,
      bmcs: deps.registry.size,
      connected: deps.registry.list().filter((r) => r.connection().connected).length,
    }));

  table.add(
    "get",
    "/metrics",
    {
      tag: "system",
      summary: "Prometheus metrics",
      responses: { 200: "Text exposition format" },
    },
    (c: Context) =>
      c.text(deps.metrics.render(deps.registry), 200, {
        "content-type": "text/plain; version=0.0.4",
      }),
  );

  table.add("get", "/api/v1/openapi.json", {
    tag: "system",
    summary: "This document",
    responses: { 200: "OpenAPI 3.1" },
  }, (c: Context) => c.json(buildOpenApi(table.routes, deps.version)));
}
