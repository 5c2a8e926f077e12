import assert from "node:assert/strict";
import { MIX_REQUESTS, parseMix, setWatchdogData, wellFormed } from "../../tools/load/mix.ts";
import { LatencyStats, percentile } from "../../tools/load/stats.ts";
import { loadExitStatus } from "../../tools/vm-load.ts";
import type { LoadResult } from "../../tools/load/run_load.ts";

Deno.test("percentile() is the nearest rank: the smallest sample with q of all at or below it", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(hundred, 0.5), 50);
  assert.equal(percentile(hundred, 0.9), 90);
  assert.equal(percentile(hundred, 0.99), 99);
  assert.equal(percentile(hundred, 1), 100);
  assert.equal(percentile(hundred, 0), 1, "q = 0 is the minimum");
  assert.equal(percentile([7], 0.99), 7);
  assert.equal(percentile([1, 2, 3], 0.5), 2);
  assert.equal(percentile([], 0.5), 0, "no samples");
});

Deno.test("LatencyStats summarises counts, rate, codes and percentiles, growing past its first buffer", () => {
  const s = new LatencyStats();
  for (let i = 1; i <= 5000; i++) s.add(i / 1000, i % 1000 === 0 ? 0xc0 : 0);
  s.timeouts = 2;
  s.malformed = 1;
  const sum = s.summary(2);
  assert.equal(sum.count, 5000);
  assert.equal(sum.perSecond, 2500);
  assert.equal(sum.errors, 5);
  assert.equal(sum.timeouts, 2);
  assert.equal(sum.malformed, 1);
  assert.equal(sum.p50, 2.5);
  assert.equal(sum.p90, 4.5);
  assert.equal(sum.p99, 4.95);
  assert.equal(sum.max, 5);
});

Deno.test("LatencyStats sorts numerically and merges", () => {
  const a = new LatencyStats();
  for (const ms of [10, 9, 100, 2]) a.add(ms, 0);
  const b = new LatencyStats();
  b.add(1, 0xc1);
  b.timeouts = 3;
  a.merge(b);
  const sum = a.summary(1);
  assert.equal(sum.count, 5);
  assert.equal(sum.p50, 9, "1 2 9 10 100: numeric, not lexical order");
  assert.equal(sum.max, 100);
  assert.equal(sum.errors, 1);
  assert.equal(sum.timeouts, 3);
  assert.deepEqual(new LatencyStats().summary(1).p99, 0);
});

Deno.test("parseMix() expands weights, knows 'all', and names what it rejects", () => {
  assert.deepEqual(parseMix("get-device-id=2,add-sel").sequence, [
    "get-device-id",
    "get-device-id",
    "add-sel",
  ]);
  assert.deepEqual(parseMix("all").sequence, Object.keys(MIX_REQUESTS));
  assert.throws(() => parseMix("get-device-id,warm-reset"), /unknown request "warm-reset"/);
  assert.throws(() => parseMix("add-sel=0"), /weight of add-sel must be an integer 1–100/);
  assert.throws(() => parseMix("add-sel=1.5"), /weight/);
});

Deno.test("setWatchdogData(): SMS/OS use, don't stop, the action, countdown in 100 ms", () => {
  assert.deepEqual([...setWatchdogData(10, 1)], [0x44, 0x01, 0, 0, 100, 0]);
  assert.deepEqual([...setWatchdogData(600, 0)], [0x44, 0x00, 0, 0, 0x70, 0x17]);
});

Deno.test("wellFormed() checks the reply's command and, on success, its length", () => {
  const id = MIX_REQUESTS["get-device-id"]!;
  const ok = { matches: true, cc: 0, data: new Uint8Array(15) };
  assert.ok(wellFormed(id, ok));
  assert.ok(wellFormed(id, { ...ok, data: new Uint8Array(11) }), "no auxiliary revision");
  assert.ok(!wellFormed(id, { ...ok, data: new Uint8Array(10) }), "truncated");
  assert.ok(!wellFormed(id, { ...ok, data: new Uint8Array(16) }), "too long");
  assert.ok(!wellFormed(id, { ...ok, matches: false }), "another command's reply");
  assert.ok(wellFormed(id, { matches: true, cc: 0xc0, data: new Uint8Array() }), "an error code");
  const flags = MIX_REQUESTS["get-message-flags"]!;
  assert.ok(wellFormed(flags, { matches: true, cc: 0, data: Uint8Array.of(0) }));
  assert.ok(!wellFormed(flags, { matches: true, cc: 0, data: new Uint8Array() }));
});

Deno.test("loadExitStatus(): 1 when nothing answered; with strict, 1 on anything unclean", () => {
  const clean = new LatencyStats();
  clean.add(0.1, 0);
  const result = (over: Partial<LoadResult>, total = clean.summary(1)): LoadResult => ({
    connections: 2,
    failedConnections: 0,
    strayFrames: 0,
    seconds: 1,
    total,
    byType: {},
    watchdogActions: null,
    ...over,
  });
  assert.equal(loadExitStatus(result({}), true), 0);
  assert.equal(loadExitStatus(result({ failedConnections: 2 }), false), 1);
  assert.equal(loadExitStatus(result({ failedConnections: 1 }), false), 0);
  assert.equal(loadExitStatus(result({ failedConnections: 1 }), true), 1);
  assert.equal(loadExitStatus(result({ strayFrames: 1 }), true), 1);
  const coded = new LatencyStats();
  coded.add(0.1, 0xc3);
  assert.equal(loadExitStatus(result({}, coded.summary(1)), true), 1);
  assert.equal(loadExitStatus(result({}, coded.summary(1)), false), 0);
  assert.equal(loadExitStatus(result({}, new LatencyStats().summary(1)), true), 1, "no answers");
});
