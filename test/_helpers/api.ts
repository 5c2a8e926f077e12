/**
 * An API app over real in-process BMC runtimes (no HTTP server) for
 * `app.request()` tests.
 *
 * @module
 */

import { type Api, createApi } from "../../src/api/app.ts";
import { Metrics } from "../../src/api/metrics.ts";
import { BmcLauncher } from "../../src/cli/bmc_launcher.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";
import { parseProfile } from "../../src/profile/parse_profile.ts";
import { BmcRuntime } from "../../src/runtime/bmc_runtime.ts";
import { Registry } from "../../src/runtime/registry.ts";
import { profileJson } from "./test_bmc.ts";

const LOOPBACK = { transport: "tcp", hostname: "127.0.0.1" } as const;
const LOOPBACK_LAN = {
  hostname: "127.0.0.1",
  port: 0,
  users: [{ id: 2, name: "admin", password: "secret", privilege: 4 as const }],
};

/** An API with two BMCs, `bmc0` and `bmc1`. */
export interface TestApi extends Api {
  readonly registry: Registry;
  readonly bus: EventBus;
  /** The BMCs' and the API's clock: time moves only when a test advances it. */
  readonly clock: ManualClock;
  readonly logs: string[];
  /** `app.request` with a JSON body. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Build the API.
 *
 * @param options Token, profile fields to replace.
 * @returns The API (dispose to close the BMCs).
 */
export async function testApi(
  options: {
    token?: string;
    profile?: Record<string, unknown>;
    /** bmc0 gets a serial console endpoint (loopback TCP; tests feed its hub). */
    console?: boolean;
    /** bmc0 gets IPMI over LAN on a loopback UDP port (user admin/secret). */
    lan?: boolean;
  } = {},
): Promise<TestApi> {
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const logs: string[] = [];
  const log = new StreamLogger({ level: "debug", format: "json", write: (l) => logs.push(l) });
  const registry = new Registry();
  for (const id of ["bmc0", "bmc1"]) {
    registry.add(
      await BmcRuntime.start({
        id,
        profile: parseProfile(profileJson(options.profile), "test.json"),
        vm: { listen: { transport: "tcp", hostname: "127.0.0.1", port: 0 } },
        stateFile: null,
        ...(options.console && id === "bmc0"
          ? { console: { listen: { ...LOOPBACK, port: 0 }, logFile: null } }
          : {}),
        ...(options.lan && id === "bmc0" ? { lan: { ...LOOPBACK_LAN } } : {}),
      }, { clock, bus, log }),
    );
  }
  const metrics = new Metrics(bus);
  const bmcs = new BmcLauncher({ clock, bus, log, registry, stateDir: null });
  const api = createApi({
    registry,
    bmcs,
    bus,
    clock,
    metrics,
    token: options.token ?? null,
    log,
    version: "test",
  });
  return {
    ...api,
    registry,
    bus,
    clock,
    logs,
    call(method, path, body, headers = {}) {
      return Promise.resolve(api.app.request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      }));
    },
    async [Symbol.asyncDispose]() {
      metrics.close();
      await bmcs.close();
      await registry.closeAll();
    },
  };
}
