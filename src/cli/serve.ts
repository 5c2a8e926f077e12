/**
 * `bmc-emu serve`: parse the command line (or a config file), start the
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
import { isLogLevel, type LogLevel } from "../log/logger.ts";
import { type LogFormat, StreamLogger } from "../log/stream_logger.ts";
import type { FaultRuleSpec } from "../core/faults.ts";
import { BMC_ID_PATTERN, loadConfig } from "../runtime/config_file.ts";
import { Registry } from "../runtime/registry.ts";
import { type Endpoint, parseEndpoint, parseHostPort } from "../transport/endpoint.ts";
import { bmcOptionsOf } from "./bmc_entry.ts";
import { BmcLauncher, LaunchRefusal } from "./bmc_launcher.ts";
import { parseCommandLine } from "./parse.ts";
import { bannerLines } from "./serve_banner.ts";
import { serveSharded } from "./shard/serve_sharded.ts";
import { defaultWorkers, MAX_WORKERS } from "./shard/worker_count.ts";
import {
  LAN_SERVE_OPTIONS,
  LAN_SINGLE_BMC_FLAGS,
  lanBanner,
  type LanOptions,
  parseLanFlags,
} from "./serve_lan.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";
import { parseRedfishListen } from "../redfish/redfish_options.ts";
import type { RedfishListen } from "../redfish/server.ts";
import type { UserSpec } from "../lan/users.ts";
import { aborted } from "../util/aborted.ts";

/** bmc-emu's version. */
export const VERSION = "0.1.0";
/** Default VM endpoint (QEMU's conventional port 9002). */
export const DEFAULT_VM_LISTEN = "tcp:127.0.0.1:9002";
/** Default state directory. */
export const DEFAULT_STATE_DIR = ".bmc-state";
/** Default API address. */
export const DEFAULT_API_LISTEN = "127.0.0.1:8623";
/** Environment variable holding the API token. */
export const TOKEN_ENV = "BMC_EMU_API_TOKEN";

/** One BMC as the command line describes it. */
export interface BmcOptions {
  /** BMC id. */
  readonly id: string;
  /** Profile name or path. */
  readonly profile: string;
  /** VM endpoint. */
  readonly vm: { readonly mode: "listen" | "connect"; readonly endpoint: Endpoint };
  /** QEMU monitor for the qmp power backend, or `null` for the vm backend. */
  readonly qmp: Endpoint | null;
  /** State file override (`null`: memory; `undefined`: `<stateDir>/<id>.sqlite`). */
  readonly stateFile?: string | null;
  /** Fault rules active from the start (config file). */
  readonly faults?: readonly FaultRuleSpec[];
  /** IPMI over LAN and serial console. */
  readonly lan?: LanOptions;
  /** Redfish service, if any. */
  readonly redfish?: RedfishListen | null;
  /** Configured users (default: `DEFAULT_LAN_USERS`, loopback only). */
  readonly users?: readonly UserSpec[];
}

/** What `serve` was asked to do. */
export interface ServeOptions {
  /** BMCs from flags, or a config file to read. */
  readonly source: { readonly kind: "flags"; readonly bmc: BmcOptions } | {
    readonly kind: "config";
    readonly file: string;
  };
  /** State directory (`null` for `--ephemeral`; `undefined`: the config's or the default). */
  readonly stateDir: string | null | undefined;
  /** Empty the start-up BMCs' state files first (`--reset-state`). */
  readonly resetState?: boolean;
  /** API address (`null`: off; `undefined`: the config's or the default). */
  readonly api: { readonly hostname: string; readonly port: number } | null | undefined;
  /** API token from the flag or environment. */
  readonly apiToken: string | null;
  /** Log level. */
  readonly logLevel: LogLevel;
  /** Log format. */
  readonly logFormat: LogFormat;
  /** Whether the API listener serves the dashboard at `/` (`--ui on|off`). @default true */
  readonly ui?: boolean;
  /** Shard workers (`--workers N`; `undefined`: {@link defaultWorkers}). */
  readonly workers?: number;
}

const SERVE_OPTIONS = {
  "config": { type: "string" },
  "check-profile": { type: "string" },
  "check-config": { type: "string" },
  "id": { type: "string" },
  "profile": { type: "string" },
  "vm-listen": { type: "string" },
  "vm-connect": { type: "string" },
  "qmp": { type: "string" },
  "state-dir": { type: "string" },
  "ephemeral": { type: "boolean" },
  "reset-state": { type: "boolean" },
  "api-listen": { type: "string" },
  "api-token": { type: "string" },
  "ui": { type: "string" },
  "workers": { type: "string" },
  "redfish-listen": { type: "string" },
  "redfish-tls": { type: "string" },
  "log-level": { type: "string" },
  "log-format": { type: "string" },
  "help": { type: "boolean", short: "h" },
  ...LAN_SERVE_OPTIONS,
} as const;

const SINGLE_BMC_FLAGS = [
  "id",
  "profile",
  "vm-listen",
  "vm-connect",
  "qmp",
  "redfish-listen",
  "redfish-tls",
  ...LAN_SINGLE_BMC_FLAGS,
] as const;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function endpointOption(name: string, text: string): Endpoint {
  try {
    return parseEndpoint(text);
  } catch (error) {
    throw new UsageError(`Option --${name}: ${errorMessage(error)}`);
  }
}

function redfishOption(listen: string | undefined, tls: string | undefined): RedfishListen | null {
  if (listen === undefined) {
    if (tls !== undefined) throw new UsageError("Option --redfish-tls needs --redfish-listen");
    return null;
  }
  try {
    return parseRedfishListen(listen, tls, "Option --redfish-listen");
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

/**
 * Parse `HOST:PORT` (or `[v6]:PORT`, or `off`) for the API.
 *
 * @param text Address.
 * @param where Option or field name for errors.
 * @returns Host and port, or `null` for off.
 * @throws {UsageError} If malformed.
 */
export function parseApiListen(
  text: string,
  where: string,
): { hostname: string; port: number } | null {
  if (text === "off") return null;
  const hostPort = parseHostPort(text);
  if (hostPort === null || hostPort.port > 65535) {
    throw new UsageError(`${where} must be HOST:PORT or off, got "${text}"`);
  }
  return hostPort;
}

/**
 * Parse `serve` arguments.
 *
 * @param argv Arguments after `serve`.
 * @param env Environment lookup (for the API token).
 * @returns Options, `"help"` when help was asked for, or the profile to check.
 * @throws {UsageError} For invalid combinations and values.
 */
export function parseServeArgs(
  argv: string[],
  env: (name: string) => string | undefined = () => undefined,
): ServeOptions | "help" | { readonly checkProfile: string } | { readonly checkConfig: string } {
  const { values } = parseCommandLine(argv, SERVE_OPTIONS);
  if (values.help) return "help";
  if (values["check-config"] !== undefined) {
    const other = Object.keys(values).find((k) => k !== "check-config");
    if (other !== undefined) {
      throw new UsageError(`Option --check-config cannot be combined with --${other}`);
    }
    return { checkConfig: values["check-config"] };
  }
  if (values["check-profile"] !== undefined) {
    const other = Object.keys(values).find((k) => k !== "check-profile");
    if (other !== undefined) {
      throw new UsageError(`Option --check-profile cannot be combined with --${other}`);
    }
    return { checkProfile: values["check-profile"] };
  }
  if (values["vm-listen"] !== undefined && values["vm-connect"] !== undefined) {
    throw new UsageError("Options --vm-listen and --vm-connect exclude each other");
  }
  if (values.ephemeral && values["state-dir"] !== undefined) {
    throw new UsageError("Options --state-dir and --ephemeral exclude each other");
  }
  if (values.ephemeral && values["reset-state"]) {
    throw new UsageError("Option --reset-state has nothing to reset with --ephemeral");
  }
  const level = values["log-level"] ?? "info";
  if (!isLogLevel(level)) {
    throw new UsageError(`Option --log-level must be debug, info, warn or error, got "${level}"`);
  }
  const format = values["log-format"] ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`Option --log-format must be text or json, got "${format}"`);
  }
  if (values.ui !== undefined && values.ui !== "on" && values.ui !== "off") {
    throw new UsageError(`Option --ui must be on or off, got "${values.ui}"`);
  }
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (
    workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)
  ) {
    throw new UsageError(
      `Option --workers must be a whole number from 1 to ${MAX_WORKERS}, got "${values.workers}"`,
    );
  }
  const common = {
    ...(values.ui === undefined ? {} : { ui: values.ui === "on" }),
    ...(workers === undefined ? {} : { workers }),
    stateDir: values.ephemeral ? null : values["state-dir"],
    ...(values["reset-state"] ? { resetState: true } : {}),
    api: values["api-listen"] === undefined
      ? undefined
      : parseApiListen(values["api-listen"], "Option --api-listen"),
    apiToken: nonEmpty(values["api-token"]) ?? nonEmpty(env(TOKEN_ENV)) ?? null,
    logLevel: level,
    logFormat: format as LogFormat,
  };
  if (values.config !== undefined) {
    const clash = SINGLE_BMC_FLAGS.find((f) => values[f] !== undefined);
    if (clash !== undefined) {
      throw new UsageError(
        `Option --${clash} cannot be combined with --config (declare it in the file)`,
      );
    }
    return { source: { kind: "config", file: values.config }, ...common };
  }
  const id = values.id ?? "bmc0";
  if (!BMC_ID_PATTERN.test(id)) {
    throw new UsageError(`Option --id must be 1-64 letters, digits, '.', '_' or '-', got "${id}"`);
  }
  const { users: lanUsers, ...lan } = parseLanFlags(values);
  const vm = values["vm-connect"] !== undefined
    ? { mode: "connect" as const, endpoint: endpointOption("vm-connect", values["vm-connect"]) }
    : {
      mode: "listen" as const,
      endpoint: endpointOption("vm-listen", values["vm-listen"] ?? DEFAULT_VM_LISTEN),
    };
  return {
    source: {
      kind: "flags",
      bmc: {
        id,
        profile: values.profile ?? "generic",
        vm,
        qmp: values.qmp === undefined ? null : endpointOption("qmp", values.qmp),
        redfish: redfishOption(values["redfish-listen"], values["redfish-tls"]),
        lan,
        ...(lanUsers === null ? {} : { users: lanUsers }),
      },
    },
    ...common,
  };
}

/** Where `serve` writes and what stops it. */
export interface ServeIo {
  /** Standard output lines (the attach banner). */
  readonly stdout: (line: string) => void;
  /** Standard error lines (logs). */
  readonly stderr: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}

/** The BMCs and API that `serve` will run. */
export interface Plan {
  readonly bmcs: BmcOptions[];
  readonly stateDir: string | null;
  readonly api: { readonly hostname: string; readonly port: number } | null;
  readonly apiToken: string | null;
}

async function plan(options: ServeOptions): Promise<Plan> {
  const defaultApi = parseApiListen(DEFAULT_API_LISTEN, "default")!;
  if (options.source.kind === "flags") {
    return {
      bmcs: [options.source.bmc],
      stateDir: options.stateDir === undefined ? DEFAULT_STATE_DIR : options.stateDir,
      api: options.api === undefined ? defaultApi : options.api,
      apiToken: options.apiToken,
    };
  }
  const file = options.source.file;
  const config = await loadConfig(file);
  const fromFile = config.api?.listen === undefined
    ? defaultApi
    : parseApiListen(config.api.listen, `Config field "api.listen"`);
  return {
    bmcs: config.bmcs.map((b, i) => bmcOptionsOf(b, { file, prefix: `bmcs[${i}]` })),
    stateDir: options.stateDir === undefined ? config.stateDir : options.stateDir,
    api: options.api === undefined ? fromFile : options.api,
    apiToken: options.apiToken ?? config.api?.token ?? null,
  };
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
    const p = await plan(options);
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
