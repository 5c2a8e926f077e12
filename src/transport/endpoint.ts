/**
 * Socket endpoints as users write them: `tcp:HOST:PORT` or `unix:PATH`.
 *
 * @module
 */

/** A parsed endpoint. */
export type Endpoint =
  | { readonly transport: "tcp"; readonly hostname: string; readonly port: number }
  | { readonly transport: "unix"; readonly path: string };

/**
 * Parse `tcp:HOST:PORT` (IPv6 as `tcp:[::1]:PORT`) or `unix:PATH`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEndpoint } from "./endpoint.ts";
 * assert.deepEqual(parseEndpoint("tcp:127.0.0.1:9002"), {
 *   transport: "tcp", hostname: "127.0.0.1", port: 9002,
 * });
 * ```
 *
 * @param text Endpoint text.
 * @returns The endpoint.
 * @throws {TypeError} If the text is not a valid endpoint.
 */
export function parseEndpoint(text: string): Endpoint {
  if (text.startsWith("unix:")) {
    const path = text.slice(5);
    if (path === "") {
      throw new TypeError(`Cannot parse endpoint "${text}": the UNIX socket path is empty`);
    }
    return { transport: "unix", path };
  }
  if (!text.startsWith("tcp:")) {
    throw new TypeError(
      `Cannot parse endpoint "${text}": expected tcp:HOST:PORT or unix:PATH`,
    );
  }
  const hostPort = parseHostPort(text.slice(4));
  if (hostPort === null) {
    throw new TypeError(`Cannot parse endpoint "${text}": expected tcp:HOST:PORT`);
  }
  if (hostPort.port > 65535) {
    throw new TypeError(
      `Cannot parse endpoint "${text}": port ${hostPort.port} is out of range 0-65535`,
    );
  }
  return { transport: "tcp", ...hostPort };
}

/**
 * Split `HOST:PORT` (`[v6]:PORT` for IPv6); the port is not range-checked.
 *
 * @param text The text.
 * @returns Host and port, or `null` when it is not of that form.
 */
export function parseHostPort(text: string): { hostname: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  return match === null ? null : { hostname: match[1] ?? match[2]!, port: Number(match[3]) };
}

/**
 * Parse `HOST:PORT` (`[v6]:PORT` for IPv6) with a port of 0-65535.
 *
 * @param text The text.
 * @returns Host and port, or `null` when malformed.
 */
export function parseAddress(text: string): { hostname: string; port: number } | null {
  const hostPort = parseHostPort(text);
  return hostPort === null || hostPort.port > 65535 ? null : hostPort;
}

/**
 * Format an endpoint back to its text form.
 *
 * @param endpoint Endpoint.
 * @returns `tcp:HOST:PORT` or `unix:PATH`.
 */
export function formatEndpoint(endpoint: Endpoint): string {
  if (endpoint.transport === "unix") return `unix:${endpoint.path}`;
  const host = endpoint.hostname.includes(":") ? `[${endpoint.hostname}]` : endpoint.hostname;
  return `tcp:${host}:${endpoint.port}`;
}

/**
 * Describe a connection's remote address for logs.
 *
 * @param addr Remote address.
 * @returns `host:port` or `unix:path`.
 */
export function describeAddr(addr: Deno.Addr): string {
  if (addr.transport === "tcp" || addr.transport === "udp") return `${addr.hostname}:${addr.port}`;
  if (addr.transport === "unix" || addr.transport === "unixpacket") {
    return `unix:${addr.path || "(client)"}`;
  }
  return "vsock";
}

/**
 * Connect to an endpoint.
 *
 * @param endpoint Where to connect.
 * @returns The connection.
 */
export function dial(endpoint: Endpoint): Promise<Deno.Conn> {
  return endpoint.transport === "tcp"
    ? Deno.connect({ transport: "tcp", hostname: endpoint.hostname, port: endpoint.port })
    : Deno.connect({ transport: "unix", path: endpoint.path });
}
