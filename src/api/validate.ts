/**
 * Request validation with zod: every body, query and path parameter is
 * parsed by a schema; the first problem becomes a 400 naming the field.
 *
 * @module
 */

import type { Context } from "hono";
import type { z } from "zod";
import { describeIssue, formatIssuePath, primaryIssue } from "../profile/parse_profile.ts";
import { ApiError } from "./api_error.ts";
import { errorMessage } from "../util/error_message.ts";

function fail(where: "body" | "query" | "path", error: z.ZodError): never {
  const issue = primaryIssue(error);
  const path = formatIssuePath(issue.path);
  const field = path === "" ? where : `${where}.${path}`;
  throw new ApiError(400, `Invalid request: ${field} ${describeIssue(issue)}`, field);
}

/**
 * Parse and validate a JSON body.
 *
 * @param c Hono context.
 * @param schema Body schema.
 * @returns The parsed body.
 * @throws {ApiError} 400/415 for bodies that are not JSON or invalid.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (type !== "" && !type.includes("application/json")) {
    throw new ApiError(415, `Content-Type must be application/json, got "${type}"`);
  }
  const text = await c.req.text(); // at most MAX_BODY_BYTES: the app's body limit
  let json: unknown;
  try {
    json = text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      `Invalid request: body is not valid JSON (${errorMessage(error)})`,
      "body",
    );
  }
  const result = schema.safeParse(json);
  if (!result.success) fail("body", result.error);
  return result.data;
}

/**
 * Validate query parameters.
 *
 * @param c Hono context.
 * @param schema Query schema (values are strings).
 * @returns The parsed query.
 * @throws {ApiError} 400 naming the parameter.
 */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) fail("query", result.error);
  return result.data;
}

/**
 * Validate a path parameter.
 *
 * @param name Parameter name.
 * @param value Raw value.
 * @param schema Schema.
 * @returns The parsed value.
 * @throws {ApiError} 400 naming the parameter.
 */
export function parsePathParam<S extends z.ZodType>(
  name: string,
  value: string,
  schema: S,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(
      400,
      `Invalid request: path.${name} ${describeIssue(primaryIssue(result.error))}`,
      `path.${name}`,
    );
  }
  return result.data;
}
