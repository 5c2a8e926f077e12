/**
 * The HTTP server around the API app (`Deno.serve`), with a clean shutdown
 * that also ends open event streams.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { Api } from "./app.ts";

/** A running API server. */
export interface ApiServer {
  /** Base URL (`http://127.0.0.1:8623`). */
  readonly url: string;
  /** Stop accepting, end streams, wait for in-flight requests. */
  close(): Promise<void>;
}

/**
 * Serve the API.
 *
 * @param api The app.
 * @param options Address, logger and the signal that ends open streams.
 * @returns The server once it listens.
 */
export function startApiServer(
  api: Api,
  options: { hostname: string; port: number; log: Logger; closing: AbortController },
): Promise<ApiServer> {
  return new Promise((resolve, reject) => {
    let server: Deno.HttpServer;
    try {
      server = Deno.serve({
        hostname: options.hostname,
        port: options.port,
        onListen: (addr) => {
          const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
          const url = `http://${host}:${addr.port}`;
          options.log.info("API listening", { url });
          resolve({
            url,
            close: async () => {
              options.closing.abort();
              await server.shutdown();
            },
          });
        },
        onError: (error) => {
          options.log.error("HTTP request failed", { error });
          return new Response(JSON.stringify({ error: "Internal error" }), { status: 500 });
        },
      }, api.app.fetch);
    } catch (error) {
      reject(error);
    }
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
