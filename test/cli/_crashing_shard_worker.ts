/**
 * A stand-in shard worker that starts (reporting the BMCs it was given, with
 * placeholder banners) and then fails at run time: the first forwarded
 * request throws an uncaught error, the way a bug in a real shard would.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { BmcBanner, FromShard, ToShard } from "../../src/cli/shard/protocol.ts";

/** The message of the error the worker throws. */
export const CRASH_MESSAGE = "shard exploded on purpose";

self.onmessage = (e: MessageEvent<ToShard>) => {
  const message = e.data;
  switch (message.kind) {
    case "start": {
      const bmcs: BmcBanner[] = message.bmcs.map((b) => ({
        id: b.id,
        mode: "listen",
        endpoint: { transport: "tcp", hostname: "127.0.0.1", port: 0 },
        lan: [],
        redfish: null,
      }));
      self.postMessage({ kind: "started", bmcs } satisfies FromShard);
      return;
    }
    case "request":
      throw new Error(CRASH_MESSAGE);
    case "close":
      self.postMessage({ kind: "closed" } satisfies FromShard);
      self.close();
  }
};
