import assert from "node:assert/strict";
import { FEED, LoadTally, RequestCursor } from "../../tools/load/load_tally.ts";
import { parseMix } from "../../tools/load/mix.ts";

const WATCHDOG = { timeoutS: 10, everyS: 2, action: 1, stopFeedingAfterMs: 5000 };

Deno.test("RequestCursor.next() feeds when due until feeding stops, else the mix round robin", () => {
  const cursor = new RequestCursor({
    mix: parseMix("get-device-id,get-watchdog"),
    watchdog: WATCHDOG,
    measureFrom: 1000,
    index: 1,
    spread: 0.5,
    now: 0,
  });
  assert.equal(cursor.next(0), "get-watchdog", "index 1 starts at the mix's second");
  assert.equal(cursor.next(999), "get-device-id", "first feed due at 0.5 × 2 s");
  assert.equal(cursor.next(1000), FEED);
  assert.equal(cursor.next(2999), "get-watchdog");
  assert.equal(cursor.next(3000), FEED);
  assert.equal(cursor.next(6000), "get-device-id", "feeding stopped 5 s after 1000");
});

Deno.test("LoadTally counts after warmup only and times the actions against the last feed", () => {
  const raw = { latencies: [] as number[], late: [] as number[] };
  const tally = new LoadTally({
    mix: parseMix("get-device-id"),
    watchdog: WATCHDOG,
    measureFrom: 100,
    connections: 2,
    raw,
  });
  const ok = { matches: true, cc: 0, ms: 2, data: new Uint8Array(11) };
  tally.record(0, "get-device-id", 50, ok); // warmup
  tally.record(0, "get-device-id", 100, ok);
  tally.record(0, "get-device-id", 110, { ...ok, data: new Uint8Array(3) });
  tally.record(1, "get-device-id", 120, null);
  tally.record(0, FEED, 200, { ...ok, data: new Uint8Array() });
  assert.deepEqual(tally.deadlines, [10_201, null]);
  assert.ok(tally.timesActions);
  assert.equal(tally.giveUpAt(), 11_201);
  assert.ok(!tally.allActed([undefined, undefined]));
  assert.ok(tally.allActed([10_205, undefined]), "connection 1 was never armed");
  const r = tally.result({
    connections: 2,
    failedConnections: 0,
    strayFrames: 0,
    durationMs: 1000,
    actions: [10_205, undefined],
  });
  assert.equal(r.byType["get-device-id"]!.count, 2);
  assert.equal(r.byType["get-device-id"]!.malformed, 1);
  assert.equal(r.byType["get-device-id"]!.timeouts, 1);
  assert.equal(r.byType["reset-watchdog (feed)"]!.count, 1);
  assert.equal(r.total.count, 3);
  assert.deepEqual([r.watchdogActions?.expected, r.watchdogActions?.seen], [1, 1]);
  assert.deepEqual(raw.late, [4]);
  assert.equal(raw.latencies.length, 3);
});
