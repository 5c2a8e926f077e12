/**
 * The Redfish SSE stream's per-client queue: a client that does not read
 * while a burst arrives makes the server hold at most the queue's limit;
 * the rest is dropped and logged, and the stream carries on with Event
 * payloads only.
 */

import assert from "node:assert/strict";
import { Hono } from "hono";
import { ManualClock } from "../../../src/clock/manual_clock.ts";
import type { Json } from "../../../src/redfish/odata.ts";
import { streamRedfishEvents } from "../../../src/redfish/event_stream.ts";
import { captureLog } from "../../_helpers/captured_log.ts";

/** An SSE reader that hands out one message's `data` at a time. */
function sseReader(body: ReadableStream<Uint8Array>): {
  next(): Promise<Json>;
  ended(): Promise<void>;
} {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  return {
    async next() {
      let end = text.indexOf("\n\n");
      while (end < 0) {
        const { value, done } = await reader.read();
        if (done) throw new Error("the stream ended");
        text += value;
        end = text.indexOf("\n\n");
      }
      const message = text.slice(0, end);
      text = text.slice(end + 2);
      const data = /^data: (.*)$/m.exec(message);
      if (data === null) throw new Error(`not an Event message: ${message}`);
      return JSON.parse(data[1]!);
    },
    async ended() {
      while (!(await reader.read()).done);
    },
  };
}

Deno.test("streamRedfishEvents() holds at most its limit for a client that does not read, and logs the drop", async () => {
  const listeners = new Set<(payload: Json) => void>();
  const publish = (id: number) => {
    for (const l of listeners) l({ "@odata.type": "#Event.v1_0_0.Event", Id: String(id) });
  };
  const closing = new AbortController();
  const { log, logged } = captureLog();
  const app = new Hono().get("/sse", (c) =>
    streamRedfishEvents(c, {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      closing: closing.signal,
      clock: new ManualClock(),
      log,
      limit: 3,
    }));
  const res = await app.request("/sse");
  assert.equal(listeners.size, 1, "subscribed when the response starts");
  const client = sseReader(res.body!);
  publish(1);
  assert.equal((await client.next()).Id, "1");
  // A burst while the client reads nothing: the queue keeps 3, drops 7.
  for (let id = 2; id <= 11; id++) publish(id);
  const burst = [await client.next(), await client.next(), await client.next()];
  assert.deepEqual(burst.map((e) => e.Id), ["2", "3", "4"], "the first 3 of the burst");
  assert.match(await logged(/events dropped/), /"dropped":7/);
  publish(12);
  assert.equal((await client.next()).Id, "12", "5 to 11 were not held");
  closing.abort();
  await client.ended();
  assert.equal(listeners.size, 0, "unsubscribed when the service closes");
});
