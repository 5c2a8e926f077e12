/**
 * `serve --workers N` (N > 1): the BMCs spread over N shard workers (config
 * order, round robin), the HTTP API in the main isolate forwarding to them,
 * their events republished on the main isolate's bus, their log lines on
 * `serve`'s standard error. One process, one API.
 *
 * @module
 */

import { Metrics } from "../../api/metrics.ts";
import { startApiServer } from "../../api/server.ts";
import { SystemClock } from "../../clock/clock.ts";
import type { BmcEventType } from "../../core/events.ts";
import { EventBus } from "../../events/event_bus.ts";
import type { Logger } from "../../log/logger.ts";
import { Registry } from "../../runtime/registry.ts";
import { bannerLines } from "../serve_banner.ts";
import type { ServePlan } from "../../runtime/config_plan.ts";
import type { ServeIo } from "../serve.ts";
import type { ServeOptions } from "../serve_args.ts";
import { ExitCode } from "../usage_error.ts";
import type { BmcBanner } from "./protocol.ts";
import { ShardClient, ShardStartError } from "./shard_client.ts";
import { createShardedApi } from "./sharded_api.ts";
import { ShardSet } from "./shard_set.ts";
import { aborted } from "../../util/aborted.ts";

/** What the sharded `serve` runs with. */
export interface ShardedServeEnv {
  readonly options: ServeOptions;
  readonly io: ServeIo;
  readonly log: Logger;
  readonly version: string;
}

/**
 * Run the BMCs of `plan` in `workers` shards until the signal.
 *
 * @param plan BMCs, state directory and API.
 * @param workers Shards (> 1).
 * @param env Options, output and logger.
 * @returns Exit code.
 */
export async function serveSharded(
  plan: ServePlan,
  workers: number,
  env: ShardedServeEnv,
): Promise<number> {
  const { options, io, log } = env;
  const clock = new SystemClock();
  const bus = new EventBus({ clock });
  const sinks = {
    events: (events: readonly (readonly [string, string, unknown])[]) => {
      for (const [bmc, type, data] of events) bus.publish(bmc, type as BmcEventType, data as never);
    },
    log: io.stderr,
  };
  const set = new ShardSet(
    Array.from({ length: workers }, (_, i) => new ShardClient(i, sinks)),
    log,
  );
  const closing = new AbortController();
  let server: { url: string; close(): Promise<void> } | null = null;
  const metrics = new Metrics(bus);
  const shutdown = async (): Promise<void> => {
    await server?.close();
    await set.close();
    metrics.close();
  };
  let banners: BmcBanner[];
  try {
    const started = await Promise.all(set.shards.map((shard) =>
      shard.start({
        bmcs: plan.bmcs.filter((_, i) => i % workers === shard.index),
        stateDir: plan.stateDir,
        resetState: options.resetState ?? false,
        logLevel: options.logLevel,
        logFormat: options.logFormat,
        version: env.version,
      })
    ));
    const byId = new Map(started.flatMap((bmcs, shard) => bmcs.map((b) => [b.id, { b, shard }])));
    banners = plan.bmcs.map((bmc) => byId.get(bmc.id)!.b);
    for (const bmc of plan.bmcs) set.assign(bmc.id, set.shards[byId.get(bmc.id)!.shard]!);
    if (plan.api !== null) {
      const deps = {
        registry: new Registry(),
        bmcs: {
          add: () => Promise.reject(new Error("BMCs are added in their shard")),
          remove: () => Promise.reject(new Error("BMCs are removed in their shard")),
        },
        bus,
        clock,
        metrics,
        token: plan.apiToken,
        log,
        version: env.version,
        closing: closing.signal,
        ui: options.ui ?? true,
      };
      server = await startApiServer(createShardedApi(deps, set), {
        hostname: plan.api.hostname,
        port: plan.api.port,
        log,
        closing,
      });
    }
  } catch (error) {
    await shutdown();
    if (error instanceof ShardStartError) {
      log.error(error.message);
      return error.refused ? ExitCode.Usage : ExitCode.Failure;
    }
    throw error;
  }
  log.info("serving", { bmcs: banners.length, workers, api: server?.url ?? "off" });
  for (const line of bannerLines(banners, server?.url ?? null)) io.stdout(line);
  if (server !== null && options.ui !== false) io.stdout(`Dashboard: ${server.url}/`);
  for (const b of banners) for (const line of b.lan) io.stdout(line);
  for (const b of banners) if (b.redfish !== null) io.stdout(`Redfish ${b.id}: ${b.redfish}`);
  await aborted(io.signal);
  log.info("shutting down");
  await shutdown();
  return ExitCode.Ok;
}
