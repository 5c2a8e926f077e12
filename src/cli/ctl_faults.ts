/**
 * ctl commands for fault injection: rules, BMC resets and hangs (scenarios:
 * `ctl_scenario.ts`).
 *
 * @module
 */

import { byteArg, type CtlCommand, type CtlContext } from "./ctl.ts";
import { runScenario } from "./ctl_scenario.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";
import { parseDuration } from "../util/duration.ts";

/**
 * A duration argument (`10s`, `500ms`, `2m`, or plain milliseconds).
 *
 * @param name Option name.
 * @param text Value.
 * @returns Milliseconds.
 * @throws {UsageError} If malformed.
 */
export function durationArg(name: string, text: string): number {
  const ms = parseDuration(text, "ms");
  if (ms === null) {
    throw new UsageError(`--${name} must be a duration such as 10s, 500ms or 2m, got "${text}"`);
  }
  return ms;
}

/**
 * JSON given inline or with `--file FILE`.
 *
 * @param ctx The command's context.
 * @param inline The argument, if any.
 * @param what The command, for errors.
 * @returns The parsed JSON.
 * @throws {UsageError} When there is none or it is not JSON.
 */
export async function readJsonArg(
  ctx: CtlContext,
  inline: string | undefined,
  what: string,
): Promise<unknown> {
  const file = ctx.options.file;
  const text = typeof file === "string" ? await Deno.readTextFile(file) : inline;
  if (text === undefined) throw new UsageError(`${what} needs JSON as an argument or --file FILE`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${what}: not valid JSON (${errorMessage(error)})`,
    );
  }
}

function ruleLine(r: Record<string, unknown>): string {
  const m = r.match as string | { command?: string; channel?: string };
  const match = typeof m === "string"
    ? m
    : (m.command ?? JSON.stringify(m)) + (m.channel === undefined ? "" : ` (${m.channel} only)`);
  const l = r.limits as Record<string, unknown>;
  return `${r.id}\t${JSON.stringify(r.action)}\ton ${match}\thits ${r.hits} (matched ${r.matched})${
    l.count === null ? "" : ` of ${l.count}`
  }${r.expiresAt ? `\texpires ${r.expiresAt}` : ""}`;
}

const fault: CtlCommand = async (ctx) => {
  const [sub, arg] = ctx.args;
  const base = `/api/v1/bmcs/${ctx.bmc}/faults`;
  const print = (value: unknown, text: string): number => {
    ctx.io.stdout(ctx.json ? JSON.stringify(value, null, 2) : text);
    return ExitCode.Ok;
  };
  switch (sub) {
    case "add": {
      const r = await ctx.api.json("POST", base, await readJsonArg(ctx, arg, "fault add"));
      return print(r, `added ${ruleLine(r)}`);
    }
    case "list": {
      const r = await ctx.api.json<{ rules: Record<string, unknown>[] }>("GET", base);
      return print(r, r.rules.length === 0 ? "no fault rules" : r.rules.map(ruleLine).join("\n"));
    }
    case "remove": {
      if (arg === undefined) throw new UsageError("fault remove needs a rule id");
      return print(
        await ctx.api.json("DELETE", `${base}/${encodeURIComponent(arg)}`),
        `removed ${arg}`,
      );
    }
    case "clear": {
      const r = await ctx.api.json("DELETE", base);
      return print(r, `removed ${r.removed} rules`);
    }
    default:
      throw new UsageError(
        `fault needs add, list, remove or clear${sub === undefined ? "" : `, got "${sub}"`}`,
      );
  }
};

const reset: CtlCommand = async (ctx) => {
  const o = ctx.options;
  const body: Record<string, unknown> = {};
  if (o.mode !== undefined) body.mode = String(o.mode);
  if (o.duration !== undefined) body.durationMs = durationArg("duration", String(o.duration));
  if (o.cc !== undefined) body.busyCc = byteArg("cc", String(o.cc));
  if (o.watchdog !== undefined) body.watchdog = String(o.watchdog);
  if (o.after !== undefined) {
    body.after = o.after === "spec"
      ? "spec"
      : { resetWatchdogCc: byteArg("after", String(o.after)) };
  }
  const r = await ctx.api.json("POST", `/api/v1/bmcs/${ctx.bmc}/reset`, body);
  ctx.io.stdout(
    ctx.json
      ? JSON.stringify(r, null, 2)
      : `BMC ${ctx.bmc} resetting: ${r.mode} for ${r.durationMs} ms, watchdog ${r.watchdog}, back at ${r.endsAt}${
        r.resetWatchdogCc === null
          ? ""
          : `, then Reset Watchdog answers 0x${Number(r.resetWatchdogCc).toString(16)}`
      }`,
  );
  return ExitCode.Ok;
};

const hang: CtlCommand = async (ctx) => {
  const [sub, mode] = ctx.args;
  const path = `/api/v1/bmcs/${ctx.bmc}/hang`;
  if (sub === "start") {
    if (mode === undefined) {
      throw new UsageError(
        "hang start needs a mode: silent, wedge, sticky-event-buffer, sticky-receive-queue",
      );
    }
    const body: Record<string, unknown> = { mode };
    if (ctx.options.duration !== undefined) {
      body.durationMs = durationArg("duration", String(ctx.options.duration));
    }
    if (ctx.options.message !== undefined) body.message = String(ctx.options.message);
    if (ctx.options.channel !== undefined) body.channel = String(ctx.options.channel);
    const r = await ctx.api.json("POST", path, body);
    const only = r.channel === undefined ? "" : ` (${r.channel} only)`;
    ctx.io.stdout(
      ctx.json
        ? JSON.stringify(r)
        : `hang ${mode}${only} started${r.durationMs === null ? "" : ` for ${r.durationMs} ms`}`,
    );
    return ExitCode.Ok;
  }
  if (sub === "release") {
    const body = ctx.options.cc === undefined ? {} : { cc: byteArg("cc", String(ctx.options.cc)) };
    const r = await ctx.api.json("DELETE", path, body);
    ctx.io.stdout(ctx.json ? JSON.stringify(r) : `released ${r.released} after ${r.durationMs} ms`);
    return ExitCode.Ok;
  }
  throw new UsageError(
    `hang needs start MODE or release${sub === undefined ? "" : `, got "${sub}"`}`,
  );
};

/** The commands, by name. */
export const faultCommands: Record<string, CtlCommand> = {
  fault,
  reset,
  scenario: runScenario,
  hang,
};
