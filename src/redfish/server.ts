/**
 * Serve one BMC's Redfish service on its own address: plain HTTP, or HTTPS
 * with the certificate and key files given (`--redfish-tls`), the service
 * built once the real port is known. With TLS the port answers plain HTTP
 * too (the first byte of a connection tells a TLS handshake apart), as
 * clients such as redfishtool read the unauthenticated ServiceRoot over
 * http and the rest over https on the one `-r HOST:PORT`.
 *
 * The app is served by `node:http`/`node:https` through `@hono/node-server`,
 * as the control API is: that adapter replaces the global `Response` class
 * in the process, and `Deno.serve` rejects such responses (and would end
 * the process on the first request), so both servers use the same adapter.
 *
 * @module
 */

import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { nextTick } from "node:process";
import type { RedfishFault } from "../faults/redfish_fault_schema.ts";
import { errorMessage } from "../util/error_message.ts";
import { createRedfishService, type RedfishDeps, type RedfishService } from "./app.ts";

/** Where and how to serve. */
export interface RedfishListen {
  /** Address to bind. */
  readonly hostname: string;
  /** Port (0: any free one). */
  readonly port: number;
  /**
   * PEM certificate and key files for HTTPS, `"self-signed"` for a
   * certificate made at start (by the platform's `openssl`), or `null` for HTTP.
   */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | "self-signed" | null;
  /** Fault rules on the Redfish channel. */
  readonly faults?: readonly RedfishFault[];
}

/** A running Redfish server. */
export interface RedfishServer {
  /** BMC id. */
  readonly bmc: string;
  /** Base URL (`https://127.0.0.1:8443`). */
  readonly url: string;
  /** The service. */
  readonly service: RedfishService;
  /** Stop: end event streams, wait for requests in flight. */
  close(): Promise<void>;
}

async function readTls(
  tls: RedfishListen["tls"],
): Promise<{ cert: string; key: string } | null> {
  if (tls === null) return null;
  if (tls === "self-signed") return await selfSignedCertificate();
  try {
    return {
      cert: await Deno.readTextFile(tls.certFile),
      key: await Deno.readTextFile(tls.keyFile),
    };
  } catch (error) {
    throw new Error(`Cannot read the Redfish TLS files: ${errorMessage(error)}`);
  }
}

/**
 * A self-signed certificate for 127.0.0.1/localhost, made by `openssl` (no
 * cryptography of our own) in a temporary directory that is removed at once.
 *
 * @returns PEM certificate and key.
 * @throws {Error} If `openssl` is missing or fails.
 */
export async function selfSignedCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-redfish-tls-" });
  try {
    const out = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "825",
        "-subj",
        "/CN=bmc-emu Redfish",
        "-addext",
        "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:FALSE",
        "-addext",
        "extendedKeyUsage=serverAuth",
        "-keyout",
        `${dir}/key.pem`,
        "-out",
        `${dir}/cert.pem`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr).trim());
    return {
      cert: await Deno.readTextFile(`${dir}/cert.pem`),
      key: await Deno.readTextFile(`${dir}/key.pem`),
    };
  } catch (error) {
    throw new Error(
      `Cannot make a self-signed Redfish certificate with openssl: ${errorMessage(error)}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Time the answer to the request that reset the BMC gets before its connection is cut. */
const RESET_GRACE_MS = 200;

/**
 * A BMC reset in `disconnect` mode takes the Redfish service away as a
 * rebooting BMC does: open connections are cut (after a moment, so the
 * `Manager.Reset` that asked gets its answer) and new ones are closed at
 * once until the BMC is back. Other reset modes answer 503 (the app).
 */
function refuseDuringDisconnectResets(
  server: Server | NetServer,
  deps: Omit<RedfishDeps, "network">,
): { stop(): void } {
  const sockets = new Set<Socket>();
  const bmc = deps.target.bmc;
  const disconnected = () => bmc.outage?.plan.mode === "disconnect";
  server.on("connection", (socket: Socket) => {
    if (disconnected()) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const unsubscribe = deps.bus.subscribe(
    { bmc: deps.target.id, types: new Set(["bmc.reset"]) },
    (e) => {
      if (e.data.mode !== "disconnect") return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!disconnected()) return;
        deps.log.info("Redfish connections cut by the BMC reset", { open: sockets.size });
        for (const socket of sockets) socket.destroy();
      }, RESET_GRACE_MS);
      timers.add(timer);
    },
  );
  return {
    stop: () => {
      unsubscribe();
      for (const t of timers) clearTimeout(t);
    },
  };
}

/** TLS handshake record type: the first byte a TLS client sends. */
const TLS_HANDSHAKE = 0x16;

/**
 * One port for both: each connection goes to `https` when it opens with a
 * TLS handshake, to `http` otherwise.
 */
function bothProtocols(http: Server, https: Server): NetServer {
  return createNetServer((socket: Socket) => {
    socket.once("data", (chunk: Uint8Array) => {
      socket.pause();
      socket.unshift(chunk);
      (chunk[0] === TLS_HANDSHAKE ? https : http).emit("connection", socket);
      nextTick(() => socket.resume()); // after the server attached its reader (a microtask is too early)
    });
  });
}

/**
 * Start a BMC's Redfish server.
 *
 * @param listen Address and TLS files.
 * @param deps The service's dependencies (network info is filled in here).
 * @returns The server once it listens.
 * @throws {Error} If the address is unusable or the TLS files cannot be read.
 */
export async function startRedfishServer(
  listen: RedfishListen,
  deps: Omit<RedfishDeps, "network">,
): Promise<RedfishServer> {
  const tls = await readTls(listen.tls);
  let service: RedfishService | null = null;
  // The adapter passes the node request and response as env (a drop fault needs the socket).
  const fetch = (req: Request, env: unknown): Response | Promise<Response> =>
    service!.app.fetch(req, env);
  const http = createAdaptorServer({ fetch }) as Server;
  const https = tls === null
    ? null
    : createAdaptorServer({ fetch, createServer: createHttpsServer, serverOptions: tls }) as Server;
  const server: Server | NetServer = https === null ? http : bothProtocols(http, https);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", (error) => deps.log.error("Redfish server failed", { error }));
  const outages = refuseDuringDisconnectResets(server, deps);
  const addr = server.address();
  const bound = typeof addr === "object" && addr !== null
    ? { hostname: addr.address, port: addr.port }
    : listen;
  service = createRedfishService({
    ...deps,
    ...(listen.faults === undefined ? {} : { faults: listen.faults }),
    network: {
      redfishPort: bound.port,
      https: tls !== null,
      hostname: bound.hostname,
    },
  });
  const host = bound.hostname.includes(":") ? `[${bound.hostname}]` : bound.hostname;
  const url = `${tls === null ? "http" : "https"}://${host}:${bound.port}`;
  deps.log.info("Redfish listening", { bmc: deps.target.id, url });
  const running = service;
  return {
    bmc: deps.target.id,
    url,
    service: running,
    close: async () => {
      outages.stop();
      await running.close();
      const closed = new Promise<void>((done) => server.close(() => done()));
      http.closeIdleConnections();
      https?.closeIdleConnections();
      await closed;
    },
  };
}
