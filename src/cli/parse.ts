/**
 * `node:util` parseArgs with errors turned into {@link UsageError}.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";

/** Option definitions as `parseArgs` takes them. */
export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parse `argv` strictly.
 *
 * @param argv Arguments after the command name.
 * @param options Option definitions.
 * @param allowPositionals Whether positional arguments are allowed.
 * @returns Values and positionals.
 * @throws {UsageError} For unknown options or missing values.
 */
export function parseCommandLine<O extends OptionSpecs>(
  argv: string[],
  options: O,
  allowPositionals = false,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>
> {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const text = errorMessage(error);
    throw new UsageError(text.replace(/\. To specify a positional argument.*$/s, ""));
  }
}
