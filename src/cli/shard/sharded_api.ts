/**
 * The API of `serve --workers N`, in the main isolate: every per-BMC route
 * is forwarded to the shard that runs the BMC, and answered there by the
 * same routes as in one isolate; the BMC list, `POST /api/v1/bmcs`,
 * `/healthz` and `/metrics` gather from every shard; the OpenAPI document,
 * the dashboard and the process-wide event stream (fed by the shards'
 * events; IPMI exchanges and sensor readings only while such a stream is
 * open) are the main isolate's own. A scenario runs in the shard of its
 * BMCs; one across shards is refused with 501.
 *
 * @module
 */

import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError, unknownBmc } from "../../api/api_error.ts";
import { type Api, createApi, limitBody } from "../../api/app.ts";
import { bearerAuth } from "../../api/auth.ts";
import type { ApiDeps } from "../../api/deps.ts";
import { formatEndpoint, parseEndpoint } from "../../transport/endpoint.ts";
import { mergeExpositions } from "./merge_metrics.ts";
import { type ShardClient, ShardDownError } from "./shard_client.ts";
import type { ShardSet } from "./shard_set.ts";

const BMC_PREFIX = "/api/v1/bmcs/";

/** A JSON body's fields, or `null` when it is not a JSON object (the shard then says why). */
function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : null;
  } catch {
    return null;
  }
}

/** The same request with `body` (already read) as its body. */
function withBody(c: Context, body: string): Request {
  return new Request(c.req.url, {
    method: c.req.method,
    headers: c.req.raw.headers,
    body,
    signal: c.req.raw.signal,
  });
}

/** The BMC ids a scenario names (its default and every step's). */
function scenarioBmcs(scenario: Record<string, unknown>): Set<string> {
  const ids = new Set([typeof scenario.bmc === "string" ? scenario.bmc : "bmc0"]);
  for (const step of Array.isArray(scenario.steps) ? scenario.steps : []) {
    if (typeof step?.bmc === "string") ids.add(step.bmc);
  }
  return ids;
}

async function jsonOf<T>(responses: Response[]): Promise<T[]> {
  return await Promise.all(responses.map((r) => r.json() as Promise<T>));
}

/**
 * Build the main isolate's API.
 *
 * @param deps The main isolate's services (its bus carries every shard's events; its registry is empty).
 * @param shards The shards.
 * @returns The app.
 */
export function createShardedApi(deps: ApiDeps, shards: ShardSet): Api {
  const own = createApi(deps).app;
  const app = new OpenAPIHono();
  if (deps.token !== null) app.use("*", bearerAuth(deps.token));
  app.use("*", limitBody());
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toJSON(), error.status as 400);
    if (error instanceof ShardDownError) {
      return c.json(
        { error: `${error.message}; its BMCs cannot answer until serve restarts` },
        503,
      );
    }
    deps.log.error("API forwarding failed", { method: c.req.method, path: c.req.path, error });
    return c.json({ error: "Internal error; see the bmc-emu log" }, 500);
  });
  const all = (c: Context, path: string) => shards.getAll(c.req.url, path, c.req.raw.headers);

  app.get("/healthz", async (c) => {
    const parts = await jsonOf<{ bmcs: number; connected: number }>(await all(c, "/healthz"));
    return c.json({
      status: "ok",
      version: deps.version,
      bmcs: parts.reduce((n, p) => n + p.bmcs, 0),
      connected: parts.reduce((n, p) => n + p.connected, 0),
      shards: shards.shards.length,
    });
  });

  app.get("/metrics", async (c) => {
    const texts = await Promise.all((await all(c, "/metrics")).map((r) => r.text()));
    return c.text(
      mergeExpositions(texts, { bmc_emu_events_last_id: deps.bus.lastId }),
      200,
      { "content-type": "text/plain; version=0.0.4" },
    );
  });

  app.get("/api/v1/bmcs", async (c) => {
    const parts = await jsonOf<{ bmcs: { id: string }[] }>(await all(c, "/api/v1/bmcs"));
    const byId = new Map(parts.flatMap((p) => p.bmcs).map((b) => [b.id, b]));
    const bmcs = shards.ids().flatMap((id) => byId.get(id) ?? []);
    return c.json({ bmcs, lastEventId: deps.bus.lastId });
  });

  /** The shard of the BMC listening where `vm` asks to (it answers the 409), if any. */
  const listenHolder = async (c: Context, vm: unknown): Promise<ShardClient | undefined> => {
    const listen = typeof vm === "object" && vm !== null && "listen" in vm ? vm.listen : null;
    if (typeof listen !== "string") return undefined;
    let wanted: string;
    try {
      wanted = `listen ${formatEndpoint(parseEndpoint(listen))}`;
    } catch {
      return undefined; // the shard names the field
    }
    const parts = await jsonOf<{ bmcs: { id: string; vm: string }[] }>(
      await all(c, "/api/v1/bmcs"),
    );
    const holder = parts.flatMap((p) => p.bmcs).find((b) => b.vm === wanted);
    return holder === undefined ? undefined : shards.owner(holder.id);
  };

  let adding: Promise<unknown> = Promise.resolve();
  app.post("/api/v1/bmcs", async (c) => {
    const text = await c.req.text();
    const entry = jsonObject(text);
    const id = entry?.id;
    const add = async (): Promise<Response> => {
      // A taken id or VM socket goes to its owner, which answers the 409.
      const known = typeof id === "string" ? shards.owner(id) : undefined;
      const target = known ?? await listenHolder(c, entry?.vm) ?? shards.leastLoaded();
      const response = await target.fetch(withBody(c, text));
      if (response.status === 201 && typeof id === "string") shards.assign(id, target);
      return response;
    };
    const done = adding.then(add, add);
    adding = done.catch(() => {});
    return await done;
  });

  app.post("/api/v1/scenarios", async (c) => {
    const text = await c.req.text();
    const scenario = jsonObject(text);
    const owners = new Set<ShardClient>();
    for (const id of scenario === null ? [] : scenarioBmcs(scenario)) {
      const owner = shards.owner(id);
      if (owner !== undefined) owners.add(owner);
    }
    if (owners.size > 1) {
      throw new ApiError(
        501,
        `The scenario's BMCs run in ${owners.size} shards; a scenario runs in one (serve --workers 1 for this one)`,
      );
    }
    const target = [...owners][0] ?? shards.shards[0]!;
    return await target.fetch(withBody(c, text));
  });

  app.get("/api/v1/events", async (c) => {
    const closed = shards.openStream();
    const response = await own.fetch(c.req.raw);
    if (response.body === null) {
      closed();
      return response;
    }
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
        closed();
        controller.close();
      },
      cancel(reason) {
        closed();
        return reader.cancel(reason);
      },
    });
    return new Response(body, response);
  });

  const forward = async (c: Context): Promise<Response> => {
    const id = c.req.param("id") ?? "";
    const shard = shards.owner(id);
    if (shard === undefined) throw unknownBmc(id);
    const response = await shard.fetch(c.req.raw);
    const whole = c.req.path.slice(BMC_PREFIX.length).split("/").filter((p) => p !== "");
    if (c.req.method === "DELETE" && whole.length === 1 && response.status === 200) {
      shards.drop(id);
    }
    return response;
  };
  app.all(`${BMC_PREFIX}:id`, forward);
  app.all(`${BMC_PREFIX}:id/*`, forward);
  app.all("*", (c) => own.fetch(c.req.raw));
  return { app };
}
