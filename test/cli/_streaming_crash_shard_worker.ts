/**
 * A stand-in shard worker whose first request gets a streaming response
 * (one chunk, then the stream stays open, as an SSE event stream does) and
 * whose second request crashes it: what happens to a response body still
 * streaming from a shard that fails.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { FromShard, ToShard } from "../../src/cli/shard/protocol.ts";

/** The first chunk of the streaming response. */
export const FIRST_CHUNK = "event: stream.open\n\n";

let requests = 0;

self.onmessage = (e: MessageEvent<ToShard>) => {
  const message = e.data;
  switch (message.kind) {
    case "start":
      self.postMessage({ kind: "started", bmcs: [] } satisfies FromShard);
      return;
    case "request": {
      if (++requests > 1) throw new Error("shard exploded mid-stream");
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(FIRST_CHUNK));
        },
      });
      self.postMessage(
        { kind: "response", id: message.id, status: 200, headers: [], body } satisfies FromShard,
        [body],
      );
      return;
    }
    case "close":
      self.postMessage({ kind: "closed" } satisfies FromShard);
      self.close();
  }
};
