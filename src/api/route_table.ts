/**
 * One table of routes for both Hono and the OpenAPI document: each route is
 * declared once with its schemas, so the document always lists every route
 * with the schemas that really validate it.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { z } from "zod";

/** HTTP methods the API uses. */
export type Method = "get" | "post" | "put" | "delete";

/** Documentation of one route. */
export interface RouteDoc {
  /** Short summary. */
  readonly summary: string;
  /** Longer description. */
  readonly description?: string;
  /** Tag for grouping. */
  readonly tag: string;
  /** Request body schema. */
  readonly body?: z.ZodType;
  /** Query parameter schema (an object of strings). */
  readonly query?: z.ZodObject;
  /** Responses: status → description. */
  readonly responses: Readonly<Record<number, string>>;
  /** The response is a Server-Sent Events stream. */
  readonly sse?: boolean;
}

/** A registered route. */
export interface RouteEntry extends RouteDoc {
  /** Method. */
  readonly method: Method;
  /** Path in Hono syntax (`/api/v1/bmcs/:id`). */
  readonly path: string;
}

/** Registers routes on a Hono app and remembers them for the document. */
export class RouteTable {
  readonly #app: Hono;
  readonly #routes: RouteEntry[] = [];

  /**
   * Bind to an app.
   *
   * @param app Hono app.
   */
  constructor(app: Hono) {
    this.#app = app;
  }

  /** All routes, in registration order. */
  get routes(): readonly RouteEntry[] {
    return this.#routes;
  }

  /**
   * Declare a route.
   *
   * @param method HTTP method.
   * @param path Hono path.
   * @param doc Documentation and schemas.
   * @param handler Handler.
   */
  add(
    method: Method,
    path: string,
    doc: RouteDoc,
    handler: (c: Context) => Response | Promise<Response>,
  ): void {
    this.#routes.push({ method, path, ...doc });
    this.#app.on(method.toUpperCase(), path, handler);
  }
}
