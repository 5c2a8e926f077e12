/**
 * A BMC's retained events, read once from the API's event stream
 * (`Last-Event-ID: 0` replays what the process kept), for the HTML report.
 *
 * @module
 */

import { EVENT_TYPES } from "../core/events.ts";
import type { TimelineEvent } from "./assets/timeline.js";

/** One Server-Sent Event message: its `event` name and `data`. */
export interface StreamMessage {
  /** Event name (`stream.open`, `watchdog.set`, …). */
  readonly event: string;
  /** Data (JSON text). */
  readonly data: string;
}

/**
 * Opens an event stream of the API (`ApiClient.events` is one).
 *
 * @param path Path and query of the stream.
 * @param options Where to start and how to stop it.
 * @returns The messages.
 */
export type EventStream = (
  path: string,
  options: { lastEventId: number; signal: AbortSignal },
) => AsyncIterable<StreamMessage>;

/**
 * Every retained event of one BMC but the IPMI exchanges, oldest first.
 *
 * @param stream Opens the API's event stream.
 * @param bmc BMC id.
 * @returns The events.
 */
export async function eventHistory(stream: EventStream, bmc: string): Promise<TimelineEvent[]> {
  const types = EVENT_TYPES.filter((t) => !t.startsWith("ipmi.")).join(",");
  const path = `/api/v1/bmcs/${encodeURIComponent(bmc)}/events?types=${types}`;
  const stop = new AbortController();
  const out: TimelineEvent[] = [];
  let expected = -1;
  try {
    for await (const m of stream(path, { lastEventId: 0, signal: stop.signal })) {
      if (m.event === "stream.open") expected = Number(JSON.parse(m.data).replayed) || 0;
      else if (m.event !== "stream.gap" && m.data !== "") out.push(JSON.parse(m.data));
      if (expected >= 0 && out.length >= expected) break;
    }
  } finally {
    stop.abort();
  }
  return out;
}
