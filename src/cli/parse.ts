/**
 * `node:util` parseArgs with errors turned into {@link UsageError}.
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./usage_error.ts";

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
    const text = error instanceof Error ? error.message : String(error);
    throw new UsageError(text.replace(/\. To specify a positional argument.*$/s, ""));
  }
}

/**
 * A non-negative integer option value.
 *
 * @param name Option name, for the error.
 * @param value Text.
 * @returns The number.
 * @throws {UsageError} If not a non-negative integer.
 */
export function integerOption(name: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`Option --${name} must be a non-negative integer, got "${value}"`);
  }
  return Number(value);
}
