/**
 * CLI exit codes and the error for bad command lines.
 *
 * @module
 */

/** Exit codes shell scripts can rely on. */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Timeout: 3,
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
