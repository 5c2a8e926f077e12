/**
 * Server-Sent Events from the event bus: replay after `Last-Event-ID` from
 * the ring buffer, then live events, with keep-alives; a slow client is
 * told what it missed instead of growing memory without bound.
 *
 * @module
 */

import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { BusEvent, EventBus, EventFilter } from "../events/event_bus.ts";
import { SseQueue } from "../transport/sse_queue.ts";

/** Events queued for one client before it counts as too slow. */
export const MAX_CLIENT_QUEUE = 10_000;

/**
 * The JSON form of an event.
 *
 * @param e Event.
 * @returns Serialisable object.
 */
export function eventJson(e: BusEvent): Record<string, unknown> {
  return { id: e.id, time: e.time, bmc: e.bmc, type: e.type, data: e.data };
}

/**
 * Stream events matching `filter`.
 *
 * @param c Hono context.
 * @param bus Event bus.
 * @param filter Filter.
 * @returns The SSE response.
 */
export function streamEvents(
  c: Context,
  bus: EventBus,
  filter: EventFilter,
  closing?: AbortSignal,
): Response {
  const header = c.req.header("last-event-id") ?? c.req.query("lastEventId");
  const lastId = header !== undefined && /^\d+$/.test(header) ? Number(header) : null;
  return streamSSE(c, async (stream) => {
    const queue = new SseQueue<BusEvent>(stream, MAX_CLIENT_QUEUE, closing);
    // Replay and subscription happen in one synchronous step: nothing slips between.
    const replay = lastId === null ? [] : bus.since(lastId, filter);
    const gap = lastId !== null && lastId + 1 < bus.oldestId ? bus.oldestId - lastId - 1 : 0;
    const unsubscribe = bus.subscribe(filter, (e) => queue.push(e));
    const send = (e: BusEvent) =>
      stream.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(eventJson(e)) });
    try {
      await stream.writeSSE({
        event: "stream.open",
        data: JSON.stringify({ lastEventId: bus.lastId, replayed: replay.length }),
      });
      if (gap > 0) {
        await stream.writeSSE({
          event: "stream.gap",
          data: JSON.stringify({ missed: gap, oldestRetained: bus.oldestId }),
        });
      }
      for (const e of replay) await send(e);
      for (let batch = await queue.next(); batch !== null; batch = await queue.next()) {
        if (batch.dropped > 0) {
          await stream.writeSSE({
            event: "stream.gap",
            data: JSON.stringify({ missed: batch.dropped, reason: "client too slow" }),
          });
        }
        for (const e of batch.items) {
          if (queue.ended) break;
          await send(e);
        }
      }
    } finally {
      unsubscribe();
      queue.close();
    }
  });
}
