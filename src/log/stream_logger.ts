/**
 * A logger that writes one line per entry, as text or JSON lines, to a
 * synchronous sink (standard error in the CLI, an array in tests).
 *
 * @module
 */

import { LOG_LEVELS, type LogFields, type Logger, type LogLevel } from "./logger.ts";

/** Output format of {@link StreamLogger}. */
export type LogFormat = "text" | "json";

/** Options for {@link StreamLogger}. */
export interface StreamLoggerOptions {
  /** Least severe level written. @default "info" */
  level?: LogLevel;
  /** Line format. @default "text" */
  format?: LogFormat;
  /** Receives each finished line (without newline). */
  write: (line: string) => void;
  /** Wall clock for timestamps. @default Date.now */
  now?: () => number;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") {
    return /^[\w.:/@+-]*$/.test(value) && value !== "" ? value : JSON.stringify(value);
  }
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === "object" && value !== null) {
    return JSON.stringify(value);
  }
  return String(value);
}

function errorAware(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A level-filtered, structured line logger. */
export class StreamLogger implements Logger {
  readonly #min: number;
  readonly #format: LogFormat;
  readonly #write: (line: string) => void;
  readonly #now: () => number;
  readonly #fields: LogFields;

  /**
   * Create a logger.
   *
   * @param options Level, format and sink.
   * @param fields Fields added to every line.
   */
  constructor(options: StreamLoggerOptions, fields: LogFields = {}) {
    this.#min = LOG_LEVELS.indexOf(options.level ?? "info");
    this.#format = options.format ?? "text";
    this.#write = options.write;
    this.#now = options.now ?? Date.now;
    this.#fields = fields;
  }

  /** Whether `level` passes the filter. */
  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= this.#min;
  }

  /** Write a debug line. */
  debug(message: string, fields?: LogFields): void {
    this.#log("debug", message, fields);
  }

  /** Write an info line. */
  info(message: string, fields?: LogFields): void {
    this.#log("info", message, fields);
  }

  /** Write a warning. */
  warn(message: string, fields?: LogFields): void {
    this.#log("warn", message, fields);
  }

  /** Write an error. */
  error(message: string, fields?: LogFields): void {
    this.#log("error", message, fields);
  }

  /** A logger sharing this one's sink with extra fields. */
  child(fields: LogFields): Logger {
    return new StreamLogger({
      level: LOG_LEVELS[this.#min]!,
      format: this.#format,
      write: this.#write,
      now: this.#now,
    }, { ...this.#fields, ...fields });
  }

  #log(level: LogLevel, message: string, fields?: LogFields): void {
    if (!this.enabled(level)) return;
    const time = new Date(this.#now()).toISOString();
    const all = fields ? { ...this.#fields, ...fields } : this.#fields;
    if (this.#format === "json") {
      this.#write(
        JSON.stringify({ time, level, msg: message, ...all }, errorAware),
      );
      return;
    }
    let line = `${time} ${level.toUpperCase().padEnd(5)} ${message}`;
    for (const [key, value] of Object.entries(all)) {
      if (value !== undefined) line += ` ${key}=${formatValue(value)}`;
    }
    this.#write(line);
  }
}
