/**
 * `bmc-emu serve`'s command line: the flags, their defaults, and what they
 * ask for (one BMC from flags, or a config file to read). The wiring that
 * carries it out is `serve.ts`.
 *
 * @module
 */

import { isLogLevel, type LogLevel } from "../log/logger.ts";
import type { LogFormat } from "../log/stream_logger.ts";
import { BMC_ID_PATTERN, type BmcConfigEntry, parseApiAddress } from "../runtime/config_file.ts";
import type { ApiAddress, PlanRequest } from "../runtime/config_plan.ts";
import { type Endpoint, parseEndpoint } from "../transport/endpoint.ts";
import { parseCommandLine } from "./parse.ts";
import { MAX_WORKERS } from "./shard/worker_count.ts";
import { LAN_SERVE_OPTIONS, LAN_SINGLE_BMC_FLAGS, parseLanFlags } from "./serve_lan.ts";
import { UsageError } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";
import { parseRedfishListen } from "../redfish/redfish_options.ts";

/** bmc-emu's version. */
export const VERSION = "0.1.0";
/** Default VM endpoint (QEMU's conventional port 9002). */
export const DEFAULT_VM_LISTEN = "tcp:127.0.0.1:9002";
/** Environment variable holding the API token. */
export const TOKEN_ENV = "BMC_EMU_API_TOKEN";

/**
 * What `serve` was asked to do: the BMCs (one from flags, as a config entry,
 * or a config file to read), the overrides the plan applies, and the rest.
 */
export interface ServeOptions extends PlanRequest {
  /** Empty the start-up BMCs' state files first (`--reset-state`). */
  readonly resetState?: boolean;
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

function redfishOption(
  listen: string | undefined,
  tls: string | undefined,
): Pick<BmcConfigEntry, "redfish"> {
  if (listen === undefined) {
    if (tls !== undefined) throw new UsageError("Option --redfish-tls needs --redfish-listen");
    return {};
  }
  let parsed;
  try {
    parsed = parseRedfishListen(listen, tls, "Option --redfish-listen");
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const files = parsed.tls;
  return {
    redfish: {
      listen,
      ...(files === null
        ? {}
        : { tls: files === "self-signed" ? files : { cert: files.certFile, key: files.keyFile } }),
    },
  };
}

/**
 * Parse `HOST:PORT` (or `[v6]:PORT`, or `off`) for the API.
 *
 * @param text Address.
 * @param where Option or field name for errors.
 * @returns Host and port, or `null` for off.
 * @throws {UsageError} If malformed.
 */
export function parseApiListen(text: string, where: string): ApiAddress | null {
  const address = parseApiAddress(text);
  if (address === undefined) {
    throw new UsageError(`${where} must be HOST:PORT or off, got "${text}"`);
  }
  return address;
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
  const vm = values["vm-connect"] !== undefined
    ? { connect: endpointOption("vm-connect", values["vm-connect"]) }
    : { listen: endpointOption("vm-listen", values["vm-listen"] ?? DEFAULT_VM_LISTEN) };
  const bmc: BmcConfigEntry = {
    id,
    profile: values.profile ?? "generic",
    vm,
    ...(values.qmp === undefined ? {} : { qmp: endpointOption("qmp", values.qmp) }),
    faults: [],
    ...redfishOption(values["redfish-listen"], values["redfish-tls"]),
    ...parseLanFlags(values),
  };
  return { source: { kind: "flags", bmc }, ...common };
}
