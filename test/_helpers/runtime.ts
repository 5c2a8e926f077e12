/**
 * In-process BMC runtimes on real sockets for integration tests.
 *
 * @module
 */

import { type Clock, SystemClock } from "../../src/clock/clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";
import { parseProfile } from "../../src/profile/parse_profile.ts";
import { BmcRuntime, type BmcSpec } from "../../src/runtime/bmc_runtime.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import { profileJson } from "./test_bmc.ts";

/** A runtime with its bus and captured log. */
export interface TestRuntime {
  readonly runtime: BmcRuntime;
  readonly bus: EventBus;
  readonly logs: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Start a BMC runtime on `endpoint`.
 *
 * @param vm VM endpoint and mode.
 * @param options Id, profile overrides, state file.
 * @returns The runtime (dispose to close).
 */
export async function startRuntime(
  vm: BmcSpec["vm"],
  options: {
    id?: string;
    profile?: Record<string, unknown>;
    stateFile?: string | null;
    bus?: EventBus;
    /** Time source (default: the system clock, for tests on real sockets and timers). */
    clock?: Clock;
  } = {},
): Promise<TestRuntime> {
  const clock = options.clock ?? new SystemClock();
  const bus = options.bus ?? new EventBus({ clock });
  const logs: string[] = [];
  const log = new StreamLogger({ level: "debug", format: "json", write: (l) => logs.push(l) });
  const runtime = await BmcRuntime.start({
    id: options.id ?? "bmc0",
    profile: parseProfile(profileJson(options.profile), "test.json"),
    vm,
    stateFile: options.stateFile ?? null,
  }, { clock, bus, log });
  return { runtime, bus, logs, [Symbol.asyncDispose]: () => runtime.close() };
}

/** A fresh TCP endpoint on a free port. */
export const TCP_ANY: Endpoint = { transport: "tcp", hostname: "127.0.0.1", port: 0 };

/**
 * A fresh UNIX socket path in a temp dir.
 *
 * @returns Endpoint and cleanup.
 */
export async function unixEndpoint(): Promise<
  { endpoint: Endpoint; cleanup: () => Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-sock-" });
  return {
    endpoint: { transport: "unix", path: `${dir}/bmc.sock` },
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}
