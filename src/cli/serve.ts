/**
 * `bmc-emu serve`: parse the command line, start the BMCs, print how to
 * attach QEMU, run until a signal, shut down cleanly.
 *
 * @module
 */

import { SystemClock } from "../clock/clock.ts";
import { EventBus } from "../events/event_bus.ts";
import { isLogLevel, type LogLevel } from "../log/logger.ts";
import { type LogFormat, StreamLogger } from "../log/stream_logger.ts";
import { loadProfile } from "../profile/load_profile.ts";
import { BmcRuntime } from "../runtime/bmc_runtime.ts";
import { qemuAttachHelp } from "../runtime/qemu_args.ts";
import { Registry } from "../runtime/registry.ts";
import { type Endpoint, formatEndpoint, parseEndpoint } from "../transport/endpoint.ts";
import { parseCommandLine } from "./parse.ts";
import { ExitCode, UsageError } from "./usage_error.ts";

/** What `serve` was asked to do. */
export interface ServeOptions {
  /** BMC id. */
  readonly id: string;
  /** Profile name or path. */
  readonly profile: string;
  /** VM endpoint. */
  readonly vm: { readonly mode: "listen" | "connect"; readonly endpoint: Endpoint };
  /** State directory, or `null` for `--ephemeral`. */
  readonly stateDir: string | null;
  /** Log level. */
  readonly logLevel: LogLevel;
  /** Log format. */
  readonly logFormat: LogFormat;
  /** QEMU monitor for the qmp power backend, or `null` for the vm backend. */
  readonly qmp: Endpoint | null;
}

/** Default VM endpoint (QEMU's conventional port 9002). */
export const DEFAULT_VM_LISTEN = "tcp:127.0.0.1:9002";
/** Default state directory. */
export const DEFAULT_STATE_DIR = ".bmc-state";

const SERVE_OPTIONS = {
  "id": { type: "string" },
  "profile": { type: "string" },
  "vm-listen": { type: "string" },
  "vm-connect": { type: "string" },
  "state-dir": { type: "string" },
  "ephemeral": { type: "boolean" },
  "qmp": { type: "string" },
  "log-level": { type: "string" },
  "log-format": { type: "string" },
  "help": { type: "boolean", short: "h" },
} as const;

function endpointOption(name: string, text: string): Endpoint {
  try {
    return parseEndpoint(text);
  } catch (error) {
    throw new UsageError(`Option --${name}: ${error instanceof Error ? error.message : error}`);
  }
}

/**
 * Parse `serve` arguments.
 *
 * @param argv Arguments after `serve`.
 * @returns Options, or `"help"` when help was asked for.
 * @throws {UsageError} For invalid combinations and values.
 */
export function parseServeArgs(argv: string[]): ServeOptions | "help" {
  const { values } = parseCommandLine(argv, SERVE_OPTIONS);
  if (values.help) return "help";
  if (values["vm-listen"] !== undefined && values["vm-connect"] !== undefined) {
    throw new UsageError("Options --vm-listen and --vm-connect exclude each other");
  }
  if (values.ephemeral && values["state-dir"] !== undefined) {
    throw new UsageError("Options --state-dir and --ephemeral exclude each other");
  }
  const level = values["log-level"] ?? "info";
  if (!isLogLevel(level)) {
    throw new UsageError(`Option --log-level must be debug, info, warn or error, got "${level}"`);
  }
  const format = values["log-format"] ?? "text";
  if (format !== "text" && format !== "json") {
    throw new UsageError(`Option --log-format must be text or json, got "${format}"`);
  }
  const id = values.id ?? "bmc0";
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id)) {
    throw new UsageError(`Option --id must be 1-64 letters, digits, '.', '_' or '-', got "${id}"`);
  }
  const vm = values["vm-connect"] !== undefined
    ? { mode: "connect" as const, endpoint: endpointOption("vm-connect", values["vm-connect"]) }
    : {
      mode: "listen" as const,
      endpoint: endpointOption("vm-listen", values["vm-listen"] ?? DEFAULT_VM_LISTEN),
    };
  return {
    id,
    profile: values.profile ?? "generic",
    vm,
    stateDir: values.ephemeral ? null : values["state-dir"] ?? DEFAULT_STATE_DIR,
    logLevel: level,
    logFormat: format,
    qmp: values.qmp === undefined ? null : endpointOption("qmp", values.qmp),
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
  const registry = new Registry();
  try {
    const { profile, path } = await loadProfile(options.profile);
    let stateFile: string | null = null;
    if (options.stateDir !== null) {
      await Deno.mkdir(options.stateDir, { recursive: true });
      stateFile = `${options.stateDir}/${options.id}.sqlite`;
    }
    const runtime = await BmcRuntime.start(
      {
        id: options.id,
        profile,
        vm: options.vm,
        stateFile,
        power: options.qmp === null ? { kind: "vm" } : { kind: "qmp", endpoint: options.qmp },
      },
      { clock, bus, log },
    );
    registry.add(runtime);
    log.info("BMC started", {
      bmc: options.id,
      profile: profile.name,
      profileFile: path,
      state: runtime.store.location,
      vm: `${options.vm.mode} ${formatEndpoint(runtime.endpoint)}`,
      power: options.qmp === null ? "vm" : `qmp ${formatEndpoint(options.qmp)}`,
    });
    const role = options.vm.mode === "listen" ? "client" : "server";
    for (const line of qemuAttachHelp(runtime.endpoint, role)) io.stdout(line);
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    await registry.closeAll();
    return ExitCode.Failure;
  }
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) resolve();
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  log.info("shutting down");
  await registry.closeAll();
  return ExitCode.Ok;
}
