import assert from "node:assert/strict";
import type { SSEStreamingApi } from "hono/streaming";
import { SseQueue } from "../../src/transport/sse_queue.ts";

/** The two members SseQueue uses; abort() plays the client leaving. */
function fakeStream(): { stream: SSEStreamingApi; abort(): void } {
  let onAbort = (): void => {};
  const stream = {
    onAbort(cb: () => void) {
      onAbort = cb;
    },
    write() {
      return Promise.resolve(stream);
    },
  };
  return { stream: stream as unknown as SSEStreamingApi, abort: () => onAbort() };
}

Deno.test("SseQueue hands out what was queued in one batch and counts what a slow client lost", async () => {
  const { stream } = fakeStream();
  const queue = new SseQueue<number>(stream, 2);
  for (const n of [1, 2, 3, 4]) queue.push(n);
  assert.deepEqual(await queue.next(), { items: [1, 2], dropped: 2 });
  const waiting = queue.next();
  queue.push(5);
  assert.deepEqual(await waiting, { items: [5], dropped: 0 });
  queue.close();
});

Deno.test("SseQueue ends when the client leaves, when the server closes, or if it already had", async () => {
  const client = fakeStream();
  const left = new SseQueue<number>(client.stream, 10);
  const waiting = left.next();
  client.abort();
  assert.equal(await waiting, null);
  assert.ok(left.ended);

  const closing = new AbortController();
  const closed = new SseQueue<number>(fakeStream().stream, 10, closing.signal);
  const pending = closed.next();
  closing.abort();
  assert.equal(await pending, null);
  closed.close();

  const already = new SseQueue<number>(fakeStream().stream, 10, closing.signal);
  already.push(1);
  assert.equal(await already.next(), null, "a server already closing sends nothing more");
  already.close();
});
