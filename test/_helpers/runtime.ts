/**
 * In-process BMC runtimes on real sockets for integration tests.
 *
 * @module
 */

import { ManualClock } from "../../src/clock/manual_clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { parseProfile } from "../../src/profile/parse_profile.ts";
import { BmcRuntime, type BmcSpec } from "../../src/runtime/bmc_runtime.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import { captureLog } from "./captured_log.ts";
import { profileJson } from "./test_bmc.ts";

/** A runtime with its bus and captured log. */
export interface TestRuntime {
  readonly runtime: BmcRuntime;
  readonly bus: EventBus;
  readonly logs: string[];
  /** Its clock (a ManualClock unless the test passed another). */
  readonly clock: ManualClock;
  /**
   * The first log line (so far or to come) that `pattern` matches; a
   * real-time deadline of `timeoutMs` is the safety net (the lines come from real sockets).
   */
  logged(pattern: RegExp, timeoutMs?: number): Promise<string>;
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
    /** Time source (default: a ManualClock: time moves only when the test advances it). */
    clock?: ManualClock;
  } = {},
): Promise<TestRuntime> {
  const clock = options.clock ?? new ManualClock();
  const bus = options.bus ?? new EventBus({ clock });
  const { log, lines: logs, logged } = captureLog();
  const runtime = await BmcRuntime.start({
    id: options.id ?? "bmc0",
    profile: parseProfile(profileJson(options.profile), "test.json"),
    vm,
    stateFile: options.stateFile ?? null,
  }, { clock, bus, log });
  return { runtime, bus, logs, clock, logged, [Symbol.asyncDispose]: () => runtime.close() };
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
