/**
 * IPMI over LAN and the serial console over HTTP: the LAN endpoint's
 * sessions and counters, the console's ring, and the console as a live
 * stream of lines (SSE). A BMC without them answers empty values.
 *
 * @module
 */

import { z } from "zod";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { formatEndpoint } from "../../transport/endpoint.ts";
import { ByteLines } from "../../util/byte_lines.ts";
import { SseQueue } from "../../transport/sse_queue.ts";
import { type ApiDeps, type BmcApp, type BmcEnv, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";

const lanState = z.object({
  listen: z.string().nullable().describe("HOST:PORT of the RMCP+ socket (null: no LAN endpoint)"),
  console: z.string().nullable().describe("Console endpoint (null: none)"),
  sessions: z.array(z.object({
    handle: z.number().int(),
    user: z.string().nullable(),
    privilege: z.number().int().describe("1 callback … 4 administrator"),
    cipherSuite: z.number().int(),
    peer: z.string(),
    since: z.string(),
    sol: z.boolean().describe("SOL is active in this session"),
  })),
  stats: z.object({
    received: z.number().int(),
    sent: z.number().int(),
    requests: z.number().int(),
    dropped: z.record(z.string(), z.number().int()).describe("Dropped datagrams by reason"),
    sessionsOpened: z.number().int(),
    authFailures: z.number().int(),
  }).nullable(),
});

/** Lines a slow client may fall behind by before the newest are dropped. */
const MAX_QUEUE = 10_000;

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function lanRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/lan",
      operationId: "getLan",
      tag: "lan",
      summary: "IPMI over LAN: address, console endpoint, RMCP+ sessions and datagram counters",
      params: bmcIdParam,
      ok: { status: 200, description: "LAN state", schema: lanState },
      errors: [404],
    }),
    (c) => {
      const lan = c.var.runtime.lan;
      const state = lan?.state() ?? null;
      const endpoint = lan?.console?.endpoint ?? null;
      return c.json({
        listen: state?.listen ?? null,
        console: endpoint === null ? null : formatEndpoint(endpoint),
        sessions: [...(state?.sessions ?? [])],
        stats: state?.stats ?? null,
      }, 200);
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/console",
      operationId: "getConsole",
      tag: "lan",
      summary: "The serial console's recent output (the last 64 KiB; empty without a console)",
      description:
        "With Accept: text/event-stream, the console as it is written instead: the stream of /console/stream (one console.line event per line).",
      params: bmcIdParam,
      ok: { status: 200, description: "Console text", schema: "text" },
      errors: [404],
    }),
    (c) => {
      if (c.req.header("accept")?.includes("text/event-stream")) return consoleStream(c, deps);
      const hub = c.var.runtime.lan?.console ?? null;
      return c.text(hub === null ? "" : new TextDecoder().decode(hub.tail()), 200);
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/console/stream",
      operationId: "streamConsole",
      tag: "lan",
      summary: "The serial console as it is written: one SSE event `console.line` per line",
      params: bmcIdParam,
      ok: { status: 200, description: "Console lines", schema: "sse" },
      errors: [404],
    }),
    (c) => consoleStream(c, deps),
  );
}

/** The console as SSE: `stream.open`, then one `console.line` event per line. */
function consoleStream(c: Context<BmcEnv>, deps: ApiDeps): Response {
  const hub = c.var.runtime.lan?.console ?? null;
  return streamSSE(c, async (stream) => {
    const queue = new SseQueue<string>(stream, MAX_QUEUE, deps.closing);
    const splitter = new ByteLines();
    const unsubscribe = hub?.subscribe((bytes) => {
      for (const line of splitter.push(bytes)) queue.push(line);
    });
    try {
      await stream.writeSSE({
        event: "stream.open",
        data: JSON.stringify({ console: hub !== null }),
      });
      for (let batch = await queue.next(); batch !== null; batch = await queue.next()) {
        for (const line of batch.items) {
          await stream.writeSSE({ event: "console.line", data: JSON.stringify({ line }) });
        }
      }
    } finally {
      unsubscribe?.();
      queue.close();
    }
  });
}
