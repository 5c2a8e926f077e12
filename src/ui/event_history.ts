/**
 * A BMC's retained events, read once from the API's event stream
 * (`Last-Event-ID: 0` replays what the process kept), for the HTML report:
 * its time line, and the IPMI exchanges for the chart's traffic strip.
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

/** The types read: every one but the sensors' readings (the chart has no use for them). */
const HISTORY_TYPES = EVENT_TYPES.filter((t) => t !== "sensor.changed");

/**
 * Every retained event of one BMC (IPMI exchanges included; not the
 * sensors' readings), oldest first.
 *
 * @param stream Opens the API's event stream.
 * @param bmc BMC id.
 * @returns The events.
 */
export async function eventHistory(stream: EventStream, bmc: string): Promise<TimelineEvent[]> {
  const path = `/api/v1/bmcs/${encodeURIComponent(bmc)}/events?types=${HISTORY_TYPES.join(",")}`;
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
