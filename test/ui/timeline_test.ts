import assert from "node:assert/strict";
import { buildTimeline, timelineSvg } from "../../src/ui/assets/timeline.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();

Deno.test("buildTimeline() draws the countdown as a sawtooth of feeds ending at the expiry", () => {
  const tl = buildTimeline([
    { time: at(0), type: "watchdog.set", data: { running: true, initialCountdownMs: 10_000 } },
    { time: at(4_000), type: "watchdog.reset", data: { expiresInMs: 10_000 } },
    { time: at(12_000), type: "watchdog.pretimeout", data: { pretimeoutInterrupt: "nmi" } },
    { time: at(14_000), type: "watchdog.expired", data: { action: "hard-reset" } },
    { time: at(14_001), type: "host.reset", data: {} },
  ], { from: T0, to: T0 + 20_000 });
  assert.deepEqual(tl.runs, [[
    [T0, 10_000],
    [T0 + 4_000, 6_000],
    [T0 + 4_000, 10_000],
    [T0 + 14_000, 0],
  ]]);
  assert.equal(tl.maxMs, 10_000);
  assert.deepEqual(tl.markers.map((m) => [m.t - T0, m.kind]), [
    [12_000, "pretimeout"],
    [14_000, "expired"],
    [14_001, "host"],
  ]);
});

Deno.test("buildTimeline() shades resets and hangs, an open one up to now", () => {
  const tl = buildTimeline([
    { time: at(1_000), type: "bmc.reset", data: { mode: "busy" } },
    { time: at(3_000), type: "bmc.ready", data: {} },
    { time: at(5_000), type: "hang.started", data: { mode: "silent" } },
  ], { from: T0, to: T0 + 9_000 });
  assert.deepEqual(tl.spans.map((s) => [s.kind, s.from - T0, s.to - T0]), [
    ["reset", 1_000, 3_000],
    ["hang", 5_000, 9_000],
  ]);
});

Deno.test("buildTimeline() and timelineSvg() take bad events without throwing", () => {
  const tl = buildTimeline([
    { time: "not a time", type: "watchdog.set", data: null },
    { time: at(0), type: "watchdog.reset" },
    { time: at(1), type: "scenario.step", data: { status: "failed", name: "<b>x</b>" } },
  ], { from: T0, to: T0 + 1_000 });
  const svg = timelineSvg(tl, { title: 'a "title" <with> markup' });
  assert.match(svg, /^<svg /);
  assert.ok(!svg.includes("<b>"), "labels are escaped");
  assert.match(svg, /marker-fail/);
});

Deno.test("buildTimeline() keeps the request counts of the window, in time order; the chart draws them", () => {
  const sec = T0 / 1000;
  const requests = new Map([[sec + 5, 3], [sec + 1, 7], [sec - 100, 9]]);
  const tl = buildTimeline([], { from: T0, to: T0 + 10_000, requests });
  assert.deepEqual(tl.rate, [[T0 + 1_000, 7], [T0 + 5_000, 3]]);
  const svg = timelineSvg(tl);
  assert.equal(svg.match(/class="rate"/g)?.length, 2);
  assert.match(svg, />7 req\/s</);
  assert.ok(!timelineSvg(buildTimeline([], { from: T0, to: T0 + 1 })).includes("req/s"));
});
