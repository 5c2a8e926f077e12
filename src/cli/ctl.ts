/**
 * `bmc-emu ctl`: drive a running bmc-emu over its HTTP API from a shell.
 * Exit codes (see `ctl_exit.ts`): 0 ok, 1 the operation failed, 2 usage or
 * invalid input, 3 timeout, 4 bmc-emu unreachable or lost mid-stream.
 *
 * @module
 */

import { DEFAULT_API_URL } from "../runtime/config_plan.ts";
import { ApiClient } from "./api_client.ts";
import { reportError } from "./ctl_exit.ts";
import { eventLine, followEvents } from "./ctl_events.ts";
import { CTL_HELP } from "./ctl_help.ts";
import { extraCtlCommands } from "./ctl_commands.ts";
import { parseCommandLine } from "./parse.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";
import { parseByteText } from "../codec/names.ts";
import { POWER_ACTION_SHORT_NAMES, powerAction } from "../core/power_actions.ts";

/** Where `ctl` writes and reads its environment. */
export interface CtlIo {
  /** Standard output. */
  readonly stdout: (line: string) => void;
  /** Standard error. */
  readonly stderr: (line: string) => void;
  /** Environment lookup. */
  readonly env: (name: string) => string | undefined;
  /** Aborts `events --follow` and `wait`. */
  readonly signal?: AbortSignal;
}

/** What a ctl command gets. */
export interface CtlContext {
  /** API client. */
  readonly api: ApiClient;
  /** Selected BMC id. */
  readonly bmc: string;
  /** Print JSON instead of text. */
  readonly json: boolean;
  /** Positional arguments after the command. */
  readonly args: string[];
  /** Parsed options. */
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  /** I/O. */
  readonly io: CtlIo;
}

/** A ctl command: returns an exit code. */
export type CtlCommand = (ctx: CtlContext) => Promise<number>;

const CTL_OPTIONS = {
  "api": { type: "string" },
  "token": { type: "string" },
  "bmc": { type: "string" },
  "json": { type: "boolean" },
  "help": { type: "boolean", short: "h" },
  "follow": { type: "boolean", short: "f" },
  "type": { type: "string" },
  "types": { type: "string" },
  "timeout": { type: "string" },
  "after": { type: "string" },
  "raw": { type: "string" },
  "sensor-type": { type: "string" },
  "sensor-number": { type: "string" },
  "event-type": { type: "string" },
  "data": { type: "string" },
  "direction": { type: "string" },
  "generator": { type: "string" },
  "mode": { type: "string" },
  "duration": { type: "string" },
  "watchdog": { type: "string" },
  "cc": { type: "string" },
  "value": { type: "string" },
  "state": { type: "string" },
  "file": { type: "string" },
  "message": { type: "string" },
  "channel": { type: "string" },
  "reconnect-for": { type: "string" },
  "junit": { type: "string" },
  "html": { type: "string" },
  "iface": { type: "string" },
  "qemu": { type: "string" },
} as const;

/**
 * Parse a byte given as decimal or `0x` hex.
 *
 * @param name Option name.
 * @param text Value.
 * @returns The byte.
 * @throws {UsageError} If not a byte.
 */
export function byteArg(name: string, text: string): number {
  const n = parseByteText(text);
  if (n === null) {
    throw new UsageError(`--${name} must be a byte (decimal or 0x hex), got "${text}"`);
  }
  return n;
}

function eventFromOptions(o: CtlContext["options"]): Record<string, unknown> {
  if (o["sensor-type"] === undefined) {
    throw new UsageError("--sensor-type is required (or --raw HEX)");
  }
  const data = String(o.data ?? "0x00").split(",").map((b) => byteArg("data", b.trim()));
  if (data.length > 3) throw new UsageError("--data takes at most 3 bytes");
  return {
    sensorType: byteArg("sensor-type", String(o["sensor-type"])),
    sensorNumber: byteArg("sensor-number", String(o["sensor-number"] ?? "0")),
    eventType: byteArg("event-type", String(o["event-type"] ?? "0x6f")),
    direction: o.direction === "deassertion" ? "deassertion" : "assertion",
    eventData: data,
    ...(o.generator === undefined
      ? {}
      : { generatorId: byteArg("generator", String(o.generator)) }),
  };
}

function printJson(ctx: CtlContext, value: unknown): void {
  ctx.io.stdout(JSON.stringify(value, null, 2));
}

function recordLine(r: Record<string, unknown>): string {
  const id = String(r.id).padStart(5);
  const time = String(r.timestamp ?? "-");
  const what = r.description ??
    (r.sensorType === undefined ? r.kind : `sensor type 0x${Number(r.sensorType).toString(16)}`);
  return `${id} | ${time} | ${what} | ${r.direction ?? ""} | ${r.raw}`;
}

const status: CtlCommand = async (ctx) => {
  const s = await ctx.api.json("GET", `/api/v1/bmcs/${ctx.bmc}`);
  if (ctx.json) return printJson(ctx, s), ExitCode.Ok;
  const c = s.connection as Record<string, unknown>;
  const p = s.power as Record<string, unknown>;
  const w = s.watchdog as Record<string, unknown>;
  const sel = s.sel as Record<string, unknown>;
  const out = ctx.io.stdout;
  out(`BMC ${s.id} (profile ${s.profile})`);
  out(
    `  VM:        ${
      c.connected
        ? `connected from ${c.peer} since ${c.connectedSince}, ${c.requestsServed} requests`
        : "not connected"
    }`,
  );
  out(
    `  power:     ${p.state} (backend ${p.backend}), restart cause ${
      (p.restartCause as { name: string }).name
    }`,
  );
  out(
    `  watchdog:  ${
      w.running ? `running, ${w.remainingMs} ms left` : "stopped"
    }; ${w.timerUse}, action ${w.action}, pretimeout ${w.pretimeoutInterrupt} ${w.pretimeoutSeconds}s, initial ${w.initialCountdownMs} ms`,
  );
  out(`  flags:     message ${s.messageFlags}, global enables ${s.globalEnables}`);
  out(`  SEL:       ${sel.entries}/${sel.capacity} records${sel.overflow ? " (overflow)" : ""}`);
  return ExitCode.Ok;
};

const list: CtlCommand = async (ctx) => {
  const r = await ctx.api.json<{ bmcs: Record<string, unknown>[] }>("GET", "/api/v1/bmcs");
  if (ctx.json) return printJson(ctx, r), ExitCode.Ok;
  for (const b of r.bmcs) {
    ctx.io.stdout(
      `${String(b.id).padEnd(16)} ${String(b.profile).padEnd(16)} ${
        b.connected ? "connected" : "waiting  "
      } power ${b.power} watchdog ${b.watchdogRunning ? "running" : "stopped"} SEL ${b.selEntries}`,
    );
  }
  return ExitCode.Ok;
};

const sel: CtlCommand = async (ctx) => {
  const [sub, arg] = ctx.args;
  const base = `/api/v1/bmcs/${ctx.bmc}/sel`;
  switch (sub) {
    case "list": {
      const r = await ctx.api.json<{ records: Record<string, unknown>[] }>("GET", base);
      if (ctx.json) return printJson(ctx, r), ExitCode.Ok;
      if (r.records.length === 0) ctx.io.stdout("SEL is empty");
      for (const rec of r.records) ctx.io.stdout(recordLine(rec));
      return ExitCode.Ok;
    }
    case "add": {
      const body = ctx.options.raw !== undefined
        ? { raw: String(ctx.options.raw) }
        : eventFromOptions(ctx.options);
      const r = await ctx.api.json("POST", base, body);
      if (ctx.json) printJson(ctx, r);
      else ctx.io.stdout(`added ${recordLine(r)}`);
      return ExitCode.Ok;
    }
    case "clear": {
      const r = await ctx.api.json("DELETE", base);
      if (ctx.json) printJson(ctx, r);
      else ctx.io.stdout(`cleared ${r.removed} records`);
      return ExitCode.Ok;
    }
    case "get":
    case "delete": {
      if (arg === undefined) throw new UsageError(`sel ${sub} needs a record id`);
      const r = await ctx.api.json(
        sub === "get" ? "GET" : "DELETE",
        `${base}/${encodeURIComponent(arg)}`,
      );
      if (ctx.json) printJson(ctx, r);
      else ctx.io.stdout(sub === "get" ? recordLine(r) : `deleted ${r.deleted}`);
      return ExitCode.Ok;
    }
    default:
      throw new UsageError(
        `sel needs list, add, clear, get or delete${sub === undefined ? "" : `, got "${sub}"`}`,
      );
  }
};

const power: CtlCommand = async (ctx) => {
  const action = powerAction(ctx.args[0] ?? "");
  if (action === undefined) {
    throw new UsageError(`power needs one of ${POWER_ACTION_SHORT_NAMES.join(", ")}`);
  }
  const r = await ctx.api.json("POST", `/api/v1/bmcs/${ctx.bmc}/chassis`, { action });
  if (ctx.json) printJson(ctx, r);
  else ctx.io.stdout(`${action}: done (power ${r.power}, backend ${r.backend})`);
  return ExitCode.Ok;
};

const wait: CtlCommand = async (ctx) => {
  const type = ctx.args[0];
  if (type === undefined) {
    throw new UsageError("wait needs an event type, e.g. wait watchdog.expired --timeout 60s");
  }
  const params = new URLSearchParams({ type, timeout: String(ctx.options.timeout ?? "30s") });
  if (ctx.options.after !== undefined) params.set("after", String(ctx.options.after));
  const e = await ctx.api.json("GET", `/api/v1/bmcs/${ctx.bmc}/events/wait?${params}`);
  ctx.io.stdout(ctx.json ? JSON.stringify(e) : eventLine(e));
  return ExitCode.Ok;
};

const COMMANDS: Record<string, CtlCommand> = {
  status,
  list,
  sel,
  power,
  events: followEvents,
  wait,
};

/**
 * Run `ctl`.
 *
 * @param argv Arguments after `ctl`.
 * @param io Output and environment.
 * @returns Exit code.
 */
export async function ctl(argv: string[], io: CtlIo): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, CTL_OPTIONS, true);
  } catch (error) {
    io.stderr(`bmc-emu ctl: ${errorMessage(error)}`);
    io.stderr("Try 'bmc-emu ctl --help'.");
    return ExitCode.Usage;
  }
  const { values, positionals } = parsed;
  const [name, ...args] = positionals;
  if (values.help || name === undefined || name === "help") {
    io.stdout(CTL_HELP);
    return name === undefined && !values.help ? ExitCode.Usage : ExitCode.Ok;
  }
  const command = COMMANDS[name] ?? extraCtlCommands()[name];
  if (command === undefined) {
    io.stderr(`bmc-emu ctl: unknown command "${name}"`);
    io.stderr("Try 'bmc-emu ctl --help'.");
    return ExitCode.Usage;
  }
  const api = new ApiClient(
    values.api ?? io.env("BMC_EMU_API") ?? DEFAULT_API_URL,
    values.token ?? io.env("BMC_EMU_API_TOKEN") ?? null,
  );
  try {
    return await command({
      api,
      bmc: values.bmc ?? "bmc0",
      json: values.json === true,
      args,
      options: values,
      io,
    });
  } catch (error) {
    return reportError(io.stderr, values.json === true, error);
  }
}
