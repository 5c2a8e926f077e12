/**
 * A Redfish service over an in-process BMC on a manual clock, for
 * `app.request()` tests: the BMC's events reach a real bus.
 *
 * @module
 */

import { ManualClock } from "../../src/clock/manual_clock.ts";
import { Bmc } from "../../src/core/bmc.ts";
import type { PowerBackend } from "../../src/core/ports.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { NullLogger } from "../../src/log/logger.ts";
import { loadProfile } from "../../src/profile/load_profile.ts";
import { resolveProfile } from "../../src/profile/parse_profile.ts";
import { createRedfishService, type RedfishService } from "../../src/redfish/app.ts";
import type { UserSpec as BmcUser } from "../../src/lan/users.ts";
import type { BmcRuntime } from "../../src/runtime/bmc_runtime.ts";
import type { RedfishFault } from "../../src/faults/redfish_fault_schema.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { RecordingLink } from "../_helpers/test_bmc.ts";

/** Users of the test service. */
export const TEST_USERS: readonly BmcUser[] = [
  { id: 2, name: "admin", password: "secret-admin", privilege: 4 },
  { id: 3, name: "oper", password: "secret-oper", privilege: 3 },
  { id: 4, name: "viewer", password: "secret-view", privilege: 2 },
  { id: 5, name: "callback", password: "secret-cb", privilege: 1 },
];

/**
 * Log what a guest panic writes (OS Critical Stop, run-time critical stop).
 *
 * @param bmc The BMC.
 */
export function logPanicEvent(bmc: Bmc): void {
  bmc.logEvent({
    generatorId: 0x41,
    evmRev: 4,
    sensorType: 0x20,
    sensorNumber: 1,
    eventDirType: 0x6f,
    data: [0x01, 0xff, 0xff],
  }, "guest");
}

/** A service with its BMC and doubles. */
export interface TestService {
  readonly service: RedfishService;
  readonly bmc: Bmc;
  readonly clock: ManualClock;
  readonly link: RecordingLink;
  readonly bus: EventBus;
  /** Request with the admin's Basic credentials (unless `init.headers` says otherwise). */
  request(path: string, init?: RequestInit & { user?: string | null }): Promise<Response>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Build a service.
 *
 * @param options Profile name, power backend.
 * @returns The service (dispose to close).
 */
export async function testService(
  options: {
    profile?: string;
    power?: PowerBackend;
    lanListen?: string;
    faults?: readonly RedfishFault[];
  } = {},
): Promise<TestService> {
  const clock = new ManualClock({ wallAtZero: Date.UTC(2026, 11, 1, 12) });
  const bus = new EventBus({ clock });
  const link = new RecordingLink();
  const profile = (await loadProfile(options.profile ?? "generic")).profile;
  const bmc = new Bmc({
    id: "bmc0",
    config: resolveProfile(profile, { bmcId: "bmc0" }),
    clock,
    link,
    store: new MemoryStore(),
    events: bus.sinkFor("bmc0"),
    ...(options.power === undefined ? {} : { power: options.power }),
  });
  const service = createRedfishService({
    // The operations surface only uses a runtime's id and core.
    target: {
      id: "bmc0",
      bmc,
      lan: options.lanListen === undefined ? null : { lanListen: options.lanListen },
    } as unknown as BmcRuntime,
    users: TEST_USERS,
    clock,
    bus,
    log: new NullLogger(),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    network: { redfishPort: 8000, https: false, hostname: "127.0.0.1" },
  });
  return {
    service,
    bmc,
    clock,
    link,
    bus,
    request(path, init = {}) {
      const { user = "admin", ...rest } = init;
      const headers = new Headers(rest.headers);
      const u = TEST_USERS.find((x) => x.name === user);
      if (u !== undefined && !headers.has("Authorization") && !headers.has("X-Auth-Token")) {
        headers.set("Authorization", `Basic ${btoa(`${u.name}:${u.password}`)}`);
      }
      return Promise.resolve(service.app.request(path, { ...rest, headers }));
    },
    async [Symbol.asyncDispose]() {
      await service.close();
      bmc.close();
    },
  };
}

/**
 * Status of a GET with the default admin's Basic credentials on a fresh
 * connection (no pooling), 0 when the connection fails (refused or cut).
 *
 * @param url URL.
 * @param caCerts Trusted certificates for HTTPS.
 * @returns HTTP status or 0.
 */
export async function freshStatus(url: string, caCerts: string[] = []): Promise<number> {
  using client = Deno.createHttpClient({ caCerts, poolMaxIdlePerHost: 0 });
  try {
    const res = await fetch(url, {
      headers: { Authorization: `Basic ${btoa("admin:admin")}` },
      client,
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}
