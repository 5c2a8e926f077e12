/**
 * The out-of-band side of one BMC: the UDP socket of IPMI over LAN (RMCP /
 * RMCP+, port 623 on real hardware) and the serial console endpoint that SOL
 * carries. Built next to the VM link by the runtime, over the same `Bmc`.
 *
 * @module
 */

import dgram from "node:dgram";
import type { Clock } from "../clock/clock.ts";
import type { Bmc } from "../core/bmc.ts";
import { DEFAULT_LAN_CIPHER_SUITES } from "../core/config.ts";
import type { EventSink } from "../core/events.ts";
import type { StateStore } from "../core/ports.ts";
import type { Logger } from "../log/logger.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import { errorMessage } from "../util/error_message.ts";
import { ConsoleHub } from "./console_hub.ts";
import type { LanAddress } from "./lan_commands.ts";
import { LanEndpoint, type LanSessionInfo, type LanStats } from "./lan_endpoint.ts";
import { type UserSpec, UserTable } from "./users.ts";

/** IPMI over LAN of one BMC, as configured. */
export interface LanSpec {
  /** Address to bind (`127.0.0.1`, `0.0.0.0`, …). */
  readonly hostname: string;
  /** UDP port (0: any free port). */
  readonly port: number;
  /** Users. */
  readonly users: readonly UserSpec[];
  /** Enabled cipher suites. @default 1, 2, 3, 15, 16, 17 */
  readonly suites?: readonly number[];
}

/** The serial console of one BMC, as configured. */
export interface ConsoleSpec {
  /** Where QEMU's serial chardev connects. */
  readonly listen: Endpoint;
  /** Log file of the console, or `null`. */
  readonly logFile: string | null;
}

/** What the service needs from the runtime. */
export interface LanServiceDeps {
  /** The BMC. */
  readonly bmc: Bmc;
  /** Time source. */
  readonly clock: Clock;
  /** Events. */
  readonly events: EventSink;
  /** Logger. */
  readonly log: Logger;
  /** State store (users, LAN parameters). */
  readonly store: StateStore;
  /** LAN, or `null`. */
  readonly lan: LanSpec | null;
  /** Console, or `null`. */
  readonly console: ConsoleSpec | null;
}

/** The LAN state as shown by the API. */
export interface LanState {
  /** `HOST:PORT` bound. */
  readonly listen: string;
  /** Active sessions. */
  readonly sessions: readonly LanSessionInfo[];
  /** Counters. */
  readonly stats: LanStats;
}

function ipv4(text: string): number[] {
  const parts = text.split(".").map(Number);
  return parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n < 256)
    ? parts
    : [0, 0, 0, 0];
}

function macFor(id: string): number[] {
  let h = 0x811c9dc5;
  for (const c of new TextEncoder().encode(id)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return [0x02, 0x00, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
}

/** The LAN socket and console endpoint of one BMC. */
export class LanService {
  /** The console, if configured. */
  readonly console: ConsoleHub | null;
  /** The LAN endpoint, if configured. */
  readonly endpoint: LanEndpoint | null;
  readonly #socket: dgram.Socket | null;
  readonly #listen: string;
  #unsubscribe: (() => void) | null = null;

  private constructor(
    console: ConsoleHub | null,
    endpoint: LanEndpoint | null,
    socket: dgram.Socket | null,
    listen: string,
  ) {
    this.console = console;
    this.endpoint = endpoint;
    this.#socket = socket;
    this.#listen = listen;
  }

  /**
   * Bind the LAN socket and the console endpoint.
   *
   * @param deps BMC, specs and edges.
   * @returns The running service.
   * @throws {Error} If an address cannot be bound.
   */
  static async start(deps: LanServiceDeps): Promise<LanService> {
    const log = deps.log;
    let console: ConsoleHub | null = null;
    if (deps.console !== null) {
      console = new ConsoleHub({ log, logFile: deps.console.logFile });
      await console.listen(deps.console.listen);
    }
    if (deps.lan === null) return new LanService(console, null, null, "");
    const spec = deps.lan;
    const socket = dgram.createSocket(spec.hostname.includes(":") ? "udp6" : "udp4");
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(spec.port, spec.hostname, () => {
          socket.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      await console?.close();
      throw new Error(
        `Cannot listen for IPMI over LAN on ${spec.hostname}:${spec.port}: ${errorMessage(error)}`,
      );
    }
    const port = socket.address().port;
    const address: LanAddress = {
      ip: ipv4(spec.hostname),
      netmask: spec.hostname.startsWith("127.") ? [255, 0, 0, 0] : [255, 255, 255, 0],
      mac: macFor(deps.bmc.id),
      port,
    };
    const endpoint = new LanEndpoint({
      bmc: deps.bmc,
      clock: deps.clock,
      events: deps.events,
      log,
      users: new UserTable(spec.users, deps.store),
      address,
      store: deps.store,
      suites: new Set(spec.suites ?? deps.bmc.config.lanCipherSuites ?? DEFAULT_LAN_CIPHER_SUITES),
      send: (bytes, peer) => socket.send(bytes, peer.port, peer.address),
      toGuest: (bytes) => console?.write(bytes),
    });
    socket.on("message", (msg: Uint8Array, rinfo: { address: string; port: number }) => {
      endpoint.receive(new Uint8Array(msg), { address: rinfo.address, port: rinfo.port });
    });
    socket.on(
      "error",
      (error: Error) => log.warn("LAN socket error", { error: errorMessage(error) }),
    );
    const host = spec.hostname.includes(":") ? `[${spec.hostname}]` : spec.hostname;
    const service = new LanService(console, endpoint, socket, `${host}:${port}`);
    if (console !== null) {
      service.#unsubscribe = console.subscribe((bytes) => endpoint.sol.output(bytes));
    }
    return service;
  }

  /** `HOST:PORT` of the LAN socket, or `null`. */
  get lanListen(): string | null {
    return this.endpoint === null ? null : this.#listen;
  }

  /** LAN state for the API, or `null`. */
  state(): LanState | null {
    const e = this.endpoint;
    if (e === null) return null;
    return { listen: this.#listen, sessions: e.sessions(), stats: e.stats };
  }

  /**
   * End every LAN session (BMC reset).
   *
   * @param reason Why.
   */
  dropSessions(reason: string): void {
    this.endpoint?.dropSessions(reason);
  }

  /** Close the socket and the console. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.endpoint?.close();
    if (this.#socket !== null) {
      await new Promise<void>((resolve) => this.#socket!.close(() => resolve()));
    }
    await this.console?.close();
  }
}
