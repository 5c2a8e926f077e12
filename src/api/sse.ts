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

/** Keep-alive comment interval. */
export const KEEPALIVE_MS = 15_000;
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
    const queue: BusEvent[] = [];
    let dropped = 0;
    let wake: (() => void) | null = null;
    // Replay and subscription happen in one synchronous step: nothing slips between.
    const replay = lastId === null ? [] : bus.since(lastId, filter);
    const gap = lastId !== null && lastId + 1 < bus.oldestId ? bus.oldestId - lastId - 1 : 0;
    const unsubscribe = bus.subscribe(filter, (e) => {
      if (queue.length >= MAX_CLIENT_QUEUE) dropped++;
      else queue.push(e);
      wake?.();
    });
    let aborted = false;
    const onClosing = (): void => {
      aborted = true;
      wake?.();
    };
    stream.onAbort(onClosing);
    closing?.addEventListener("abort", onClosing, { once: true });
    if (closing?.aborted) aborted = true;
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
      for (const e of replay) {
        await stream.writeSSE({
          id: String(e.id),
          event: e.type,
          data: JSON.stringify(eventJson(e)),
        });
      }
      while (!aborted) {
        if (queue.length === 0) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timedOut = await new Promise<boolean>((resolve) => {
            wake = () => resolve(false);
            timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
          });
          clearTimeout(timer);
          wake = null;
          if (timedOut && !aborted) await stream.write(": keep-alive\n\n");
          continue;
        }
        if (dropped > 0) {
          await stream.writeSSE({
            event: "stream.gap",
            data: JSON.stringify({ missed: dropped, reason: "client too slow" }),
          });
          dropped = 0;
        }
        const e = queue.shift()!;
        await stream.writeSSE({
          id: String(e.id),
          event: e.type,
          data: JSON.stringify(eventJson(e)),
        });
      }
    } finally {
      unsubscribe();
      closing?.removeEventListener("abort", onClosing);
    }
  });
}
