/**
 * How `ctl` turns an error into an exit code and a message: one table for
 * every command, so scripts can rely on the codes (0 ok, 1 the operation
 * failed, 2 usage or invalid input, 3 timeout, 4 bmc-emu unreachable or lost
 * mid-stream), and `--json` callers get the error as JSON on stderr too.
 *
 * @module
 */

import { ApiCallError } from "./api_client.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { errorMessage } from "../util/error_message.ts";

/** HTTP statuses that mean the user's arguments were refused. */
const INVALID_INPUT_STATUSES: ReadonlySet<number> = new Set([400, 413, 415, 422]);

/** HTTP status of a request that timed out on the server (`wait`). */
const TIMEOUT_STATUS = 408;

/**
 * The exit code for an error a command threw.
 *
 * @param error What was thrown.
 * @returns The exit code.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.Usage;
  if (error instanceof ApiCallError) {
    if (error.status === 0) return ExitCode.Unreachable;
    if (error.status === TIMEOUT_STATUS) return ExitCode.Timeout;
    if (INVALID_INPUT_STATUSES.has(error.status)) return ExitCode.Usage;
  }
  return ExitCode.Failure;
}

/**
 * Print an error the way the caller asked for: a line (plus a hint for usage
 * errors), or a JSON object on stderr with `--json`.
 *
 * @param stderr Where to write.
 * @param json Whether the caller asked for JSON.
 * @param error What was thrown.
 * @returns The exit code.
 */
export function reportError(stderr: (line: string) => void, json: boolean, error: unknown): number {
  const code = exitCodeOf(error);
  const message = errorMessage(error);
  if (json) {
    stderr(JSON.stringify({
      error: message,
      exitCode: code,
      ...(error instanceof ApiCallError && error.status !== 0 ? { status: error.status } : {}),
    }));
    return code;
  }
  stderr(`bmc-emu ctl: ${message}`);
  if (error instanceof UsageError) stderr("Try 'bmc-emu ctl --help'.");
  return code;
}
