/**
 * The command-line frame every tool shares: parse the options, print the
 * usage for `--help` (exit 0) or for a bad option (exit 2), print lines to
 * stdout, and leave with a message and exit status.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { errorMessage } from "../src/util/error_message.ts";
import { parseDuration } from "../src/util/duration.ts";

/** Print one line to stdout (synchronously, so exits never lose output). */
export function say(line: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(line + "\n"));
}

/**
 * Print `tool: message` and exit.
 *
 * @param tool Tool name.
 * @param message What went wrong.
 * @param status Exit status. @default 2 (usage)
 */
export function quit(tool: string, message: string, status = 2): never {
  say(`${tool}: ${message}`);
  Deno.exit(status);
}

/**
 * Parse `Deno.args` for a tool; `-h`/`--help` is always understood.
 *
 * @param tool Tool name for messages.
 * @param usage Usage text.
 * @param config Option declarations (node:util parseArgs, without `args`).
 * @returns The parsed values and positionals.
 */
export function toolArgs<T extends Omit<ParseArgsConfig, "args">>(
  tool: string,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const withHelp = {
    ...config,
    options: { ...config.options, help: { type: "boolean", short: "h" } },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ ...withHelp, args: Deno.args });
  } catch (error) {
    quit(tool, `${errorMessage(error)}\n\n${usage}`);
  }
  if ((parsed.values as Record<string, unknown>).help === true) {
    say(usage);
    Deno.exit(0);
  }
  return parsed as ReturnType<typeof parseArgs<T>>;
}

/**
 * A duration option: `10s`, `500ms`, `2m`, or a bare number of seconds.
 *
 * @param name Option name, for the message.
 * @param text Its value.
 * @returns Milliseconds.
 * @throws {Error} When it is not a duration.
 */
export function durationOption(name: string, text: string): number {
  const ms = parseDuration(text, "s");
  if (ms === null) {
    throw new Error(`--${name} must be a duration such as 10s or 500ms, got "${text}"`);
  }
  return ms;
}
