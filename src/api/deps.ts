/**
 * What the API needs from the process.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";
import type { Clock } from "../clock/clock.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger } from "../log/logger.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";
import type { Registry } from "../runtime/registry.ts";
import type { BmcConfigEntry } from "../runtime/config_file.ts";
import { unknownBmc } from "./api_error.ts";
import type { Metrics } from "./metrics.ts";

/** Starts and stops BMCs at run time, with their services. */
export interface BmcAdmin {
  /**
   * Start a BMC from a config-file entry.
   *
   * @param entry The validated entry.
   * @returns The running BMC.
   */
  add(entry: BmcConfigEntry): Promise<BmcRuntime>;
  /**
   * Stop a BMC; its state file stays.
   *
   * @param id BMC id.
   * @returns The state file it kept.
   */
  remove(id: string): Promise<{ readonly stateFile: string | null }>;
}

/** Services the routes use. */
export interface ApiDeps {
  /** All BMCs. */
  readonly registry: Registry;
  /** Adds and removes BMCs. */
  readonly bmcs: BmcAdmin;
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
  /** Serve the dashboard at `/` (`serve --ui on`, the default there). @default false */
  readonly ui?: boolean;
}

/** Hono environment of the per-BMC routes: the BMC, resolved once. */
export interface BmcEnv {
  /** Context variables. */
  Variables: {
    /** The BMC named by the path's `{id}`. */
    runtime: BmcRuntime;
  };
}

/** The app the per-BMC routes are declared on (mounted at `/api/v1/bmcs/{id}`). */
export type BmcApp = OpenAPIHono<BmcEnv>;

/** Path parameter of every per-BMC route. */
export const bmcIdParam = z.object({ id: z.string().min(1).describe("BMC id (bmc0, node-a, …)") });

/**
 * Middleware resolving the BMC of `/api/v1/bmcs/{id}/…` once for every
 * route under it: 404 for an unknown id.
 *
 * @param deps API services.
 * @returns Middleware setting `runtime`.
 */
export function resolveBmc(deps: ApiDeps): MiddlewareHandler<BmcEnv> {
  return async (c, next) => {
    const id = c.req.param("id") ?? "";
    const runtime = deps.registry.get(id);
    if (runtime === undefined) throw unknownBmc(id);
    c.set("runtime", runtime);
    await next();
  };
}
