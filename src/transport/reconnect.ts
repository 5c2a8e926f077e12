/**
 * Keep dialling a peer that may not be there yet (QEMU, its monitor):
 * exponential backoff from 100 ms to 5 s, one info line for the first
 * failure (debug after that), and dialling again whenever a connection ends.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import { delay } from "../clock/delay.ts";
import type { Logger } from "../log/logger.ts";
import { type Endpoint, formatEndpoint } from "./endpoint.ts";

/** First retry delay, and the pause after a connection ends, ms. */
const RECONNECT_MIN_MS = 100;
/** Largest retry delay, ms. */
const RECONNECT_MAX_MS = 5000;

/** What {@link reconnectLoop} dials and does with each connection. */
export interface Reconnect<C> {
  /** What is dialled, for logs ("QEMU", "QEMU monitor"). */
  readonly what: string;
  /** Where. */
  readonly endpoint: Endpoint;
  readonly clock: Clock;
  readonly log: Logger;
  /** Ends the loop. */
  readonly signal: AbortSignal;
  /** Dial once. */
  connect(): Promise<C>;
  /** Use a connection until it ends. */
  serve(conn: C): Promise<void>;
  /** Close a connection that arrived after the loop was told to stop. */
  discard(conn: C): void | Promise<void>;
  /** Whether to dial now; when not, ask again after the minimum delay. @default always */
  ready?(): boolean;
}

/**
 * Run until `r.signal` aborts.
 *
 * @param r The peer and what to do with it.
 */
export async function reconnectLoop<C>(r: Reconnect<C>): Promise<void> {
  let wait = RECONNECT_MIN_MS;
  let failures = 0;
  while (!r.signal.aborted) {
    if (r.ready !== undefined && !r.ready()) {
      await delay(r.clock, RECONNECT_MIN_MS, r.signal);
      continue;
    }
    let conn: C;
    try {
      conn = await r.connect();
    } catch (error) {
      failures++;
      const fields = { endpoint: formatEndpoint(r.endpoint), retryInMs: wait, error };
      if (failures === 1) r.log.info(`${r.what} not reachable yet; retrying`, fields);
      else r.log.debug(`${r.what} still not reachable`, fields);
      await delay(r.clock, wait, r.signal);
      wait = Math.min(RECONNECT_MAX_MS, wait * 2);
      continue;
    }
    if (r.signal.aborted) {
      await r.discard(conn);
      break;
    }
    failures = 0;
    wait = RECONNECT_MIN_MS;
    await r.serve(conn);
    await delay(r.clock, RECONNECT_MIN_MS, r.signal);
  }
}
