/**
 * The `ServerSentEventUri` stream of the Redfish `EventService`: each
 * `Event` payload as one SSE message, through a bounded per-client queue
 * (keep-alive comments while it is empty; ended by the client's abort or the
 * service's closing). A Redfish stream carries only `Event` payloads, so
 * events a slow client could not take are dropped and logged as a warning
 * (at most one per interval, each carrying the count since the last one),
 * not announced on the stream.
 *
 * @module
 */

import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Logger } from "../log/logger.ts";
import { type MonotonicClock, RateLimit } from "../log/rate_limit.ts";
import { SseQueue } from "../transport/sse_queue.ts";
import type { Json } from "./odata.ts";

/** Events held for one SSE client before further ones are dropped. */
export const MAX_SSE_QUEUE = 1000;

/** Minimum time between two warnings about one client's dropped events. */
const DROP_WARN_INTERVAL_MS = 10_000;

/** What one stream needs of its service. */
export interface EventStreamSource {
  /**
   * Call `listener` with each event's payload from now on.
   *
   * @returns Stops the calls.
   */
  subscribe(listener: (payload: Json) => void): () => void;
  /** Aborted when the service closes. */
  readonly closing: AbortSignal;
  /** Time source of the drop warnings' rate limit. */
  readonly clock: MonotonicClock;
  /** Where dropped events are reported. */
  readonly log: Logger;
  /** Events held for the client. @default MAX_SSE_QUEUE */
  readonly limit?: number;
}

/** Reports a client's dropped events, rate-limited, keeping count of those not reported yet. */
class DropReport {
  readonly #log: Logger;
  readonly #limit: RateLimit;
  #unreported = 0;

  constructor(source: EventStreamSource) {
    this.#log = source.log;
    this.#limit = new RateLimit(source.clock, DROP_WARN_INTERVAL_MS);
  }

  add(dropped: number): void {
    this.#unreported += dropped;
    if (this.#limit.take() !== null) this.flush();
  }

  flush(): void {
    if (this.#unreported === 0) return;
    this.#log.warn("Redfish SSE client too slow: events dropped", {
      dropped: this.#unreported,
    });
    this.#unreported = 0;
  }
}

/**
 * Stream the service's events to one client.
 *
 * @param c Hono context of the request.
 * @param source The service's events, closing signal, clock and log.
 * @returns The SSE response.
 */
export function streamRedfishEvents(c: Context, source: EventStreamSource): Response {
  return streamSSE(c, async (stream) => {
    const queue = new SseQueue<Json>(stream, source.limit ?? MAX_SSE_QUEUE, source.closing);
    // Subscribed before the first await: an event right after the response starts is not lost.
    const unsubscribe = source.subscribe((payload) => queue.push(payload));
    const drops = new DropReport(source);
    try {
      for (let batch = await queue.next(); batch !== null; batch = await queue.next()) {
        if (batch.dropped > 0) drops.add(batch.dropped);
        for (const payload of batch.items) {
          if (queue.ended) break;
          await stream.writeSSE({ id: String(payload.Id), data: JSON.stringify(payload) });
        }
      }
    } finally {
      unsubscribe();
      queue.close();
      drops.flush();
    }
  });
}
