/**
 * The logging interface every layer receives by injection, and a logger that
 * discards everything (the default in unit tests and library use).
 *
 * @module
 */

/** Log levels, least to most severe. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

/** A log level name. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A structured logger. */
export interface Logger {
  /** Whether a line at `level` would be written (guards costly formatting). */
  enabled(level: LogLevel): boolean;
  /** Write a debug line. */
  debug(message: string, fields?: LogFields): void;
  /** Write an info line. */
  info(message: string, fields?: LogFields): void;
  /** Write a warning. */
  warn(message: string, fields?: LogFields): void;
  /** Write an error. */
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ bmc: "bmc0" }`). */
  child(fields: LogFields): Logger;
}

/** A logger that writes nothing. */
export class NullLogger implements Logger {
  /** Always `false`. */
  enabled(_level: LogLevel): boolean {
    return false;
  }
  /** Discard. */
  debug(_message: string, _fields?: LogFields): void {}
  /** Discard. */
  info(_message: string, _fields?: LogFields): void {}
  /** Discard. */
  warn(_message: string, _fields?: LogFields): void {}
  /** Discard. */
  error(_message: string, _fields?: LogFields): void {}
  /** Returns itself. */
  child(_fields: LogFields): Logger {
    return this;
  }
}

/**
 * Whether `value` names a log level.
 *
 * @param value Candidate string.
 * @returns `true` for `debug`, `info`, `warn` or `error`.
 */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
