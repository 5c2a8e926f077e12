/**
 * A BMC's retained events, read once from the API's event stream
 * (`Last-Event-ID: 0` replays what the process kept), for the HTML report.
 *
 * @module
 */

import { EVENT_TYPES } from "../core/events.ts";
import type { TimelineEvent } from "./assets/timeline.js";

/**
 * Every retained event of one BMC but the IPMI exchanges, oldest first.
 *
 * @param apiUrl The API (`http://127.0.0.1:8623`).
 * @param options BMC id and token.
 * @returns The events.
 */
export async function eventHistory(
  apiUrl: string,
  options: { readonly bmc: string; readonly token?: string | null },
): Promise<TimelineEvent[]> {
  const types = EVENT_TYPES.filter((t) => !t.startsWith("ipmi.")).join(",");
  const ctl = new AbortController();
  const res = await fetch(
    `${apiUrl}/api/v1/bmcs/${encodeURIComponent(options.bmc)}/events?types=${types}&lastEventId=0`,
    {
      signal: ctl.signal,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    },
  );
  if (!res.ok || res.body === null) {
    await res.body?.cancel();
    throw new Error(`Cannot read the events of ${options.bmc}: HTTP ${res.status}`);
  }
  const out: TimelineEvent[] = [];
  let expected = -1;
  let buffer = "";
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (expected < 0 || out.length < expected) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6))
          .join("\n");
        if (event === "stream.open") expected = Number(JSON.parse(data).replayed) || 0;
        else if (event !== undefined && event !== "stream.gap" && data !== "") {
          out.push(JSON.parse(data));
        }
      }
    }
  } finally {
    ctl.abort();
    await reader.cancel().catch(() => {});
  }
  return out;
}
