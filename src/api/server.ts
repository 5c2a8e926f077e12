/**
 * The HTTP server around the API app, with the timeouts a long-running
 * control plane needs: a connection that sends no complete request head
 * within `headersTimeoutMs`, or sits idle between requests for
 * `idleTimeoutMs`, is closed by the server. A request in progress (an
 * event stream, a long-poll) is never cut by these timeouts. Shutdown ends
 * open event streams and waits for in-flight requests.
 *
 * `Deno.serve` has no idle or header timeout, so the app is served by
 * `node:http` (through `@hono/node-server`), whose sockets have them.
 *
 * @module
 */

import { createAdaptorServer } from "@hono/node-server";
import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../log/logger.ts";
import type { Api } from "./app.ts";
import { listenError } from "../transport/listen_error.ts";

/** Default time a connection may wait for a request head. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Default time a connection may sit idle between requests. */
export const IDLE_TIMEOUT_MS = 30_000;

/** A running API server. */
export interface ApiServer {
  /** Base URL (`http://127.0.0.1:8623`). */
  readonly url: string;
  /** Stop accepting, end streams, wait for in-flight requests. */
  close(): Promise<void>;
}

/** Where and how to serve. */
export interface ApiServerOptions {
  /** Address to bind. */
  readonly hostname: string;
  /** Port (0: any free one). */
  readonly port: number;
  /** Logger. */
  readonly log: Logger;
  /** Aborted at shutdown: open event streams end. */
  readonly closing: AbortController;
  /** Time a connection may wait for a request head. @default HEADERS_TIMEOUT_MS */
  readonly headersTimeoutMs?: number;
  /** Time a connection may sit idle between requests. @default IDLE_TIMEOUT_MS */
  readonly idleTimeoutMs?: number;
}

/**
 * Close sockets that wait too long: for the first request head, then for
 * the next request after each response. The timer is off while a request
 * is being answered.
 */
function closeIdleSockets(server: Server, headersMs: number, idleMs: number): void {
  const destroy = (socket: Socket) => () => socket.destroy();
  server.on("connection", (socket: Socket) => {
    socket.setTimeout(headersMs, destroy(socket));
  });
  server.on("request", (req: { socket: Socket }, res: ServerResponse) => {
    const socket = req.socket;
    socket.setTimeout(0);
    res.on("close", () => {
      if (!socket.destroyed) socket.setTimeout(idleMs, destroy(socket));
    });
  });
}

/**
 * Serve the API.
 *
 * @param api The app.
 * @param options Address, logger, timeouts and the signal that ends open streams.
 * @returns The server once it listens.
 */
export function startApiServer(api: Api, options: ApiServerOptions): Promise<ApiServer> {
  const server = createAdaptorServer({ fetch: api.app.fetch }) as Server;
  const headersMs = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  closeIdleSockets(server, headersMs, options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
    server.once(
      "error",
      (error) => reject(listenError("API listen", `${host}:${options.port}`, error)),
    );
    server.listen(options.port, options.hostname, () => {
      server.removeAllListeners("error");
      server.on("error", (error) => options.log.error("HTTP server failed", { error }));
      const addr = server.address();
      const bound = typeof addr === "object" && addr !== null
        ? { hostname: addr.address, port: addr.port }
        : options;
      const host = bound.hostname.includes(":") ? `[${bound.hostname}]` : bound.hostname;
      const url = `http://${host}:${bound.port}`;
      options.log.info("API listening", { url });
      resolve({
        url,
        close: () => {
          options.closing.abort();
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          return closed;
        },
      });
    });
  });
}

/**
 * Whether `hostname` is a loopback address.
 *
 * @param hostname Host name or IP.
 * @returns `true` for 127.0.0.0/8, ::1 and localhost.
 */
export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
