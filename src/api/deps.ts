/**
 * What the API needs from the process.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger } from "../log/logger.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";
import type { Registry } from "../runtime/registry.ts";
import { unknownBmc } from "./api_error.ts";
import type { Metrics } from "./metrics.ts";

/** Services the routes use. */
export interface ApiDeps {
  /** All BMCs. */
  readonly registry: Registry;
  /** Event bus. */
  readonly bus: EventBus;
  /** Time source (deadlines). */
  readonly clock: Clock;
  /** Metrics collector. */
  readonly metrics: Metrics;
  /** Bearer token, or `null` for none. */
  readonly token: string | null;
  /** Logger. */
  readonly log: Logger;
  /** Version reported in the OpenAPI document and /healthz. */
  readonly version: string;
  /** Aborted at shutdown: open event streams end. */
  readonly closing?: AbortSignal;
}

/**
 * The BMC with `id`, or 404.
 *
 * @param deps API services.
 * @param id BMC id.
 * @returns The runtime.
 * @throws {ApiError} 404.
 */
export function bmcOr404(deps: ApiDeps, id: string): BmcRuntime {
  const runtime = deps.registry.get(id);
  if (runtime === undefined) throw unknownBmc(id);
  return runtime;
}
