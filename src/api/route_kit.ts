/**
 * One way to declare a route: method, path, `operationId`, tag, request
 * schemas, the 2xx response schema and the errors it can answer. The same
 * declaration routes the request, validates it and documents it in the
 * OpenAPI document (`@hono/zod-openapi`); validation failures become the
 * API's 400 naming the field.
 *
 * @module
 */

import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { z } from "zod";
import { describeIssue, formatIssuePath, primaryIssue } from "../profile/parse_profile.ts";
import { ApiError } from "./api_error.ts";
import { errorResponse } from "./response_schemas.ts";

/** Media type of a streamed answer of JSON lines. */
export const JSON_LINES = "application/x-ndjson";

/** Error statuses a route can declare, with their meaning. */
export const ERROR_STATUSES = {
  400: "Invalid request (the field is named)",
  401: "Missing or invalid bearer token",
  404: "Unknown BMC (or the named item)",
  405: "The path does not take this method (see Allow)",
  408: "Timed out",
  409: "Not possible now (the reason is given)",
  413: "Body too large",
  415: "Body is not JSON",
  507: "No room left",
} as const;

/** A declared error status. */
export type ErrorStatus = keyof typeof ERROR_STATUSES;

/** What a route declares. */
export interface RouteSpec {
  /** HTTP method. */
  readonly method: "get" | "post" | "put" | "delete";
  /** Path in OpenAPI syntax (`/sel/{recordId}`), relative to where its app is mounted. */
  readonly path: string;
  /** Unique operation id (`listSelRecords`). */
  readonly operationId: string;
  /** Tag for grouping. */
  readonly tag: string;
  /** Short summary. */
  readonly summary: string;
  /** Longer description. */
  readonly description?: string;
  /** Path parameters. */
  readonly params?: z.ZodObject;
  /** Query parameters. */
  readonly query?: z.ZodObject;
  /** JSON body. */
  readonly body?: z.ZodType;
  /** The success response: status, description and JSON schema (or `sse` for an event stream). */
  readonly ok: {
    readonly status: 200 | 201 | 202;
    readonly description: string;
    readonly schema: z.ZodType | "sse" | "text";
    /** Also answered as JSON lines (`application/x-ndjson`), each matching this schema. */
    readonly lines?: z.ZodType;
  };
  /** Errors besides 400/413/415 (added for requests with input) and 401. */
  readonly errors?: readonly ErrorStatus[];
}

function okContent(schema: z.ZodType | "sse" | "text"): Record<string, { schema: z.ZodType }> {
  if (schema === "sse") {
    return { "text/event-stream": { schema: z.string().describe("Server-Sent Events") } };
  }
  if (schema === "text") return { "text/plain": { schema: z.string() } };
  return { "application/json": { schema } };
}

/**
 * Build the route.
 *
 * @param spec The declaration.
 * @returns A `@hono/zod-openapi` route.
 */
export function route(spec: RouteSpec): RouteConfig {
  const hasInput = spec.body !== undefined || spec.query !== undefined ||
    spec.params !== undefined;
  const statuses = new Set<ErrorStatus>([
    ...(hasInput ? [400 as const] : []),
    401,
    ...(spec.body !== undefined ? [413 as const, 415 as const] : []),
    ...(spec.errors ?? []),
  ]);
  const responses: RouteConfig["responses"] = {
    [spec.ok.status]: {
      description: spec.ok.description,
      content: {
        ...okContent(spec.ok.schema),
        ...(spec.ok.lines === undefined ? {} : { [JSON_LINES]: { schema: spec.ok.lines } }),
      },
    },
  };
  for (const status of [...statuses].sort()) {
    responses[status] = {
      description: ERROR_STATUSES[status],
      content: { "application/json": { schema: errorResponse } },
    };
  }
  return createRoute({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tags: [spec.tag],
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    request: {
      ...(spec.params === undefined ? {} : { params: spec.params }),
      ...(spec.query === undefined ? {} : { query: spec.query }),
      ...(spec.body === undefined ? {} : {
        body: { required: true, content: { "application/json": { schema: spec.body } } },
      }),
    },
    responses,
  });
}

const WHERE = { json: "body", query: "query", param: "path" } as const;

/**
 * The validation hook: the first problem becomes a 400 naming the field.
 *
 * @param result The validation result.
 * @throws {ApiError} 400.
 */
export function validationHook(
  result:
    & { readonly target: string }
    & (
      | { readonly success: true }
      | { readonly success: false; readonly error: z.ZodError }
    ),
): undefined {
  if (result.success) return;
  const where = WHERE[result.target as keyof typeof WHERE] ?? result.target;
  const issue = primaryIssue(result.error);
  const path = formatIssuePath(issue.path);
  const field = path === "" ? where : `${where}.${path}`;
  throw new ApiError(400, `Invalid request: ${field} ${describeIssue(issue)}`, field);
}
