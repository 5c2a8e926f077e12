/**
 * The resource table of the Redfish service on Hono: each path declares the
 * methods it has, with the privilege each needs; every other method gets 405
 * with `Allow`. GET answers carry an `ETag`; PATCH needs an `If-Match` that
 * matches it (412 otherwise, DSP0266 "ETags"); bodies are parsed once with
 * Redfish errors for malformed JSON.
 *
 * @module
 */

import type { Context, Hono } from "hono";
import type { UserSpec as BmcUser } from "../lan/users.ts";
import { redfishError } from "./messages.ts";
import type { Json } from "./odata.ts";
import type { RedfishPrivilege } from "./roles.ts";

/** Who is asking, once authenticated. */
export interface Caller {
  /** The user. */
  readonly user: BmcUser;
  /** The session id, when the request came with `X-Auth-Token`. */
  readonly sessionId: string | null;
}

/** What a handler gets. */
export interface RedfishRequest {
  /** Hono context. */
  readonly c: Context;
  /** Path parameter by name. */
  param(name: string): string;
  /** The authenticated caller (`null` on public paths). */
  readonly caller: Caller | null;
  /** The JSON object body (400 MalformedJSON otherwise). */
  body(): Promise<Json>;
}

/** A handler's answer: a resource (200 JSON with ETag) or a ready response. */
export type Answer = Json | Response;

/** One method of a resource. */
export interface MethodSpec {
  /** Privilege needed (`null`: no authentication). */
  readonly privilege: RedfishPrivilege | null;
  /** The handler. */
  readonly handle: (req: RedfishRequest) => Answer | Promise<Answer>;
}

/** A resource with GET and the other methods it has. */
export interface ResourceSpec {
  /** GET (and HEAD). */
  readonly get?: MethodSpec;
  /** POST (create in a collection, or an action). */
  readonly post?: MethodSpec;
  /** PATCH: the handler applies the body; the router checks `If-Match` against GET first. */
  readonly patch?: MethodSpec;
  /** DELETE. */
  readonly delete?: MethodSpec;
}

/** Checks the caller of a method needing `privilege` (throws 401/403). */
export type Authorizer = (c: Context, privilege: RedfishPrivilege | null) => Caller | null;

/**
 * A strong ETag of a resource body: FNV-1a (64-bit) of its JSON.
 *
 * @param body The resource.
 * @returns `"<16 hex digits>"`.
 */
export function etagOf(body: Json): string {
  let h = 0xcbf29ce484222325n;
  const text = JSON.stringify(body);
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `"${h.toString(16).padStart(16, "0")}"`;
}

/**
 * `$select` (DSP0266 "Query parameters"): the resource with only the named
 * properties (`A,B/C`: nested ones by path) and its `@odata` annotations.
 *
 * @param body The resource.
 * @param select Comma-separated property paths.
 * @returns The selection.
 */
export function selectProperties(body: Json, select: string): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith("@odata.")) out[k] = v;
  for (const path of select.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const [head, ...rest] = path.split("/");
    const value = body[head!];
    if (value === undefined) continue;
    if (rest.length === 0 || typeof value !== "object" || value === null || Array.isArray(value)) {
      out[head!] = value;
      continue;
    }
    const inner = selectProperties(value as Json, rest.join("/"));
    const prev = out[head!];
    out[head!] = typeof prev === "object" && prev !== null ? { ...prev, ...inner } : inner;
  }
  return out;
}

function ifMatchAccepts(header: string, etag: string): boolean {
  return header.split(",").map((t) => t.trim().replace(/^W\//, "")).some((t) =>
    t === "*" || t === etag
  );
}

async function parseJsonBody(c: Context): Promise<Json> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw redfishError(400, "MalformedJSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw redfishError(400, "MalformedJSON", [], {
      resolution: "The body must be a JSON object.",
    });
  }
  return value as Json;
}

/** Registers resources on a Hono app. */
export class RedfishRouter {
  readonly #app: Hono;
  readonly #authorize: Authorizer;

  /**
   * Create a router.
   *
   * @param app The app.
   * @param authorize Authentication and privilege check.
   */
  constructor(app: Hono, authorize: Authorizer) {
    this.#app = app;
    this.#authorize = authorize;
  }

  /**
   * Register a resource.
   *
   * @param path Hono path (`/redfish/v1/Systems/:id`).
   * @param spec Its methods.
   */
  resource(path: string, spec: ResourceSpec): void {
    const allow = [
      ...(spec.get ? ["GET", "HEAD"] : []),
      ...(spec.post ? ["POST"] : []),
      ...(spec.patch ? ["PATCH"] : []),
      ...(spec.delete ? ["DELETE"] : []),
    ].join(", ");
    const get = spec.get;
    if (get !== undefined) {
      this.#app.get(path, async (c) => {
        const answer = await get.handle(this.#request(c, get));
        if (answer instanceof Response) return answer;
        c.header("ETag", etagOf(answer));
        c.header("Allow", allow);
        const select = c.req.query("$select");
        return c.json(select === undefined ? answer : selectProperties(answer, select));
      });
    }
    if (spec.post !== undefined) {
      const post = spec.post;
      this.#app.post(
        path,
        async (c) => this.#respond(c, await post.handle(this.#request(c, post))),
      );
    }
    if (spec.patch !== undefined) {
      const patch = spec.patch;
      this.#app.patch(path, async (c) => {
        const req = this.#request(c, patch);
        if (get !== undefined) {
          const current = await get.handle(req);
          if (current instanceof Response) return current;
          const etag = etagOf(current);
          const ifMatch = c.req.header("If-Match");
          if (ifMatch === undefined) {
            throw redfishError(412, "PreconditionRequired", [], {
              resolution: `Send If-Match: ${etag} (the ETag of a GET of this resource).`,
            });
          }
          if (!ifMatchAccepts(ifMatch, etag)) throw redfishError(412, "PreconditionFailed");
        }
        return this.#respond(c, await patch.handle(req));
      });
    }
    if (spec.delete !== undefined) {
      const del = spec.delete;
      this.#app.delete(
        path,
        async (c) => this.#respond(c, await del.handle(this.#request(c, del))),
      );
    }
    this.#app.all(path, (c) => {
      throw redfishError(405, "GeneralError", [], {
        resolution: `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}.`,
        headers: { Allow: allow },
      });
    });
  }

  #respond(c: Context, answer: Answer): Response {
    if (answer instanceof Response) return answer;
    c.header("ETag", etagOf(answer));
    return c.json(answer);
  }

  #request(c: Context, method: MethodSpec): RedfishRequest {
    const caller = this.#authorize(c, method.privilege);
    let parsed: Promise<Json> | null = null;
    return {
      c,
      caller,
      param: (name) => c.req.param(name) ?? "",
      body: () => parsed ??= parseJsonBody(c),
    };
  }
}
