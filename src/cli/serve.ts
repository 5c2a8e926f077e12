/**
 * `bmc-emu serve`: from the parsed options (`serve_args.ts`), start the
 * BMCs and the HTTP API, print how to attach QEMU, run until a signal, and
 * shut down cleanly.
 *
 * @module
 */

import { createApi } from "../api/app.ts";
import { Metrics } from "../api/metrics.ts";
import { isLoopback, startApiServer } from "../api/server.ts";
import { SystemClock } from "../clock/clock.ts";
import { EventBus } from "../events/event_bus.ts";
import { StreamLogger } from "../log/stream_logger.ts";
import { planServe } from "../runtime/config_plan.ts";
import { Registry } from "../runtime/registry.ts";
import { BmcLauncher, LaunchRefusal } from "./bmc_launcher.ts";
import { bannerLines } from "./serve_banner.ts";
import { serveSharded } from "./shard/serve_sharded.ts";
import { defaultWorkers } from "./shard/worker_count.ts";
import { lanBanner } from "./serve_lan.ts";
import { ExitCode } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";
import { aborted } from "../util/aborted.ts";
import { type ServeOptions, TOKEN_ENV, VERSION } from "./serve_args.ts";

/** Where `serve` writes and what stops it. */
export interface ServeIo {
  /** Standard output lines (the attach banner). */
  readonly stdout: (line: string) => void;
  /** Standard error lines (logs). */
  readonly stderr: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/**
 * Run `serve` until `io.signal` aborts.
 *
 * @param options Parsed options.
 * @param io Output sinks and the stop signal.
 * @returns Exit code.
 */
export async function serve(options: ServeOptions, io: ServeIo): Promise<number> {
  const log = new StreamLogger({
    level: options.logLevel,
    format: options.logFormat,
    write: io.stderr,
  });
  const clock = new SystemClock();
  const bus = new EventBus({ clock });
  const metrics = new Metrics(bus);
  const registry = new Registry();
  const closing = new AbortController();
  let server: { url: string; close(): Promise<void> } | null = null;
  let launcher: BmcLauncher | null = null;
  const shutdown = async (): Promise<void> => {
    await launcher?.close();
    await server?.close();
    await registry.closeAll();
    metrics.close();
  };
  try {
    const p = await planServe(options);
    if (p.api !== null && !isLoopback(p.api.hostname) && p.apiToken === null) {
      log.error(
        `Refusing to serve the API on ${p.api.hostname} without a token: pass --api-token or set ${TOKEN_ENV} (loopback needs none)`,
      );
      return ExitCode.Usage;
    }
    if (p.stateDir !== null) await Deno.mkdir(p.stateDir, { recursive: true });
    const workers = options.workers ?? defaultWorkers(p.bmcs.length);
    if (workers > 1) return await serveSharded(p, workers, { options, io, log, version: VERSION });
    launcher = new BmcLauncher({ clock, bus, log, registry, stateDir: p.stateDir });
    for (const bmc of p.bmcs) {
      try {
        await launcher.start(bmc, { resetState: options.resetState ?? false });
      } catch (error) {
        if (!(error instanceof LaunchRefusal)) throw error;
        log.error(error.message, { bmc: bmc.id });
        await shutdown();
        return ExitCode.Usage;
      }
    }
    if (p.api !== null) {
      const deps = {
        registry,
        bmcs: launcher,
        bus,
        clock,
        metrics,
        token: p.apiToken,
        log,
        version: VERSION,
        closing: closing.signal,
        ui: options.ui ?? true,
      };
      const api = createApi(deps);
      server = await startApiServer(api, {
        hostname: p.api.hostname,
        port: p.api.port,
        log,
        closing,
      });
    }
    log.info("serving", { bmcs: registry.size, api: server?.url ?? "off" });
    const bmcs = registry.list().map((r) => ({ id: r.id, ...r.connection() }));
    for (const line of bannerLines(bmcs, server?.url ?? null)) io.stdout(line);
    if (server !== null && options.ui !== false) io.stdout(`Dashboard: ${server.url}/`);
    for (const bmc of p.bmcs) {
      const runtime = registry.get(bmc.id);
      for (const line of runtime ? lanBanner(runtime, bmc.users ?? null) : []) io.stdout(line);
    }
    for (const r of launcher.redfish.values()) io.stdout(`Redfish ${r.bmc}: ${r.url}/redfish/v1/`);
  } catch (error) {
    log.error(errorMessage(error));
    await shutdown();
    return ExitCode.Failure;
  }
  await aborted(io.signal);
  log.info("shutting down");
  await shutdown();
  return ExitCode.Ok;
}
