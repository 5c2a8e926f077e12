/**
 * Accounting of dropped LAN datagrams: a count per reason, and a warning
 * at most every {@link DROP_WARN_INTERVAL_MS} that says how many were
 * dropped since the last one, so a flood of bad datagrams cannot flood the
 * log.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { Logger } from "../log/logger.ts";
import { RateLimit } from "../log/rate_limit.ts";
import type { DropReason } from "./rmcp_packet.ts";
import type { Peer } from "./session_table.ts";

/** Minimum time between two warnings about dropped datagrams. */
export const DROP_WARN_INTERVAL_MS = 10_000;

/** What a {@link DropLog} needs. */
export interface DropLogOptions {
  /** Time source. */
  readonly clock: Clock;
  /** Where the warnings go. */
  readonly log: Logger;
  /** The counters to add to, by reason (the endpoint's stats). */
  readonly counts: Partial<Record<DropReason, number>>;
}

/** Counts dropped datagrams and warns about them, rate-limited. */
export class DropLog {
  readonly #o: DropLogOptions;
  readonly #warn: RateLimit;

  /**
   * Create the log.
   *
   * @param options Clock, logger and counters.
   */
  constructor(options: DropLogOptions) {
    this.#o = options;
    this.#warn = new RateLimit(options.clock, DROP_WARN_INTERVAL_MS);
  }

  /**
   * Count one dropped datagram, and warn unless a warning went out less than
   * {@link DROP_WARN_INTERVAL_MS} ago.
   *
   * @param reason Why it was dropped.
   * @param peer Who sent it.
   */
  record(reason: DropReason, peer: Peer): void {
    const counts = this.#o.counts;
    counts[reason] = (counts[reason] ?? 0) + 1;
    const skipped = this.#warn.take();
    if (skipped === null) return;
    this.#o.log.warn("dropped LAN datagram", {
      reason,
      peer: `${peer.address}:${peer.port}`,
      droppedSinceLastWarning: skipped,
    });
  }
}
