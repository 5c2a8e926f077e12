/**
 * The OpenAPI 3.1 document, generated from the route table and its zod
 * schemas.
 *
 * @module
 */

import { z } from "zod";
import type { RouteEntry } from "./route_table.ts";

function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, "{$1}");
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<
    string,
    unknown
  >;
  return rest;
}

/**
 * Build the document.
 *
 * @param routes Registered routes.
 * @param version API version string.
 * @returns OpenAPI document.
 */
export function buildOpenApi(
  routes: readonly RouteEntry[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = openApiPath(r.path);
    const params: Record<string, unknown>[] = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
    }));
    if (r.query) {
      const shape = r.query.shape as Record<string, z.ZodType>;
      for (const [name, schema] of Object.entries(shape)) {
        params.push({
          name,
          in: "query",
          required: !schema.safeParse(undefined).success,
          schema: jsonSchema(schema),
          ...(schema.description ? { description: schema.description } : {}),
        });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(r.responses)) {
      responses[status] = r.sse && status === "200"
        ? { description, content: { "text/event-stream": { schema: { type: "string" } } } }
        : { description, content: { "application/json": { schema: { type: "object" } } } };
    }
    paths[path] ??= {};
    paths[path]![r.method] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(params.length ? { parameters: params } : {}),
      ...(r.body
        ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(r.body) } },
          },
        }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "bmc-emu control API",
      version,
      description: "Drive and observe emulated BMCs: state, SEL, power, events, faults.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
    security: [{ bearer: [] }, {}],
    paths,
  };
}
