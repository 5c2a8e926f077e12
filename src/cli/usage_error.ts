/**
 * CLI exit codes and the error for bad command lines.
 *
 * @module
 */

/**
 * Exit codes shell scripts can rely on: 0 ok, 1 the operation failed, 2 usage
 * or invalid input, 3 timeout, 4 bmc-emu unreachable or lost mid-stream.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Timeout: 3,
  Unreachable: 4,
} as const;

/** A bad command line: printed with a hint, exit code 2. */
export class UsageError extends TypeError {
  /**
   * Create the error.
   *
   * @param message What is wrong.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
