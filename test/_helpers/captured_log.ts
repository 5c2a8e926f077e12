/**
 * A debug-level JSON logger whose lines a test can read and wait for: log
 * lines are events too (what a component did, when it did it).
 *
 * @module
 */

import type { Logger } from "../../src/log/logger.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";
import { withDeadline } from "./deadline.ts";

/** A logger and what it wrote. */
export interface CapturedLog {
  /** The logger to hand to the code under test. */
  readonly log: Logger;
  /** Lines written so far (JSON). */
  readonly lines: string[];
  /**
   * The first line from index `from` on (so far or to come) that `pattern`
   * matches; a real-time deadline of `timeoutMs` is the safety net.
   */
  logged(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
}

/**
 * Capture a logger's lines.
 *
 * @returns The logger, its lines and a wait for a line.
 */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const log = new StreamLogger({
    level: "debug",
    format: "json",
    write: (line) => {
      lines.push(line);
      for (const w of waiters) w(line);
    },
  });
  const logged = (pattern: RegExp, timeoutMs = 5000, from = 0) => {
    const seen = lines.slice(from).find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    const { promise, resolve } = Promise.withResolvers<string>();
    const waiter = (line: string) => pattern.test(line) && resolve(line);
    waiters.add(waiter);
    return withDeadline(promise, `a log line matching ${pattern}`, timeoutMs)
      .finally(() => waiters.delete(waiter));
  };
  return { log, lines, logged };
}
