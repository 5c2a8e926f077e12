import assert from "node:assert/strict";
import { buildTimeline, timelineSvg } from "../../src/ui/assets/timeline.js";
import {
  addTraffic,
  formatLatency,
  median,
  SAMPLE_SIZE,
  type Traffic,
  TRAFFIC_SECONDS,
} from "../../src/ui/assets/traffic.js";

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

Deno.test("buildTimeline() keeps the traffic of the window in time order; the chart draws rate and latency", () => {
  const sec = T0 / 1000;
  const traffic: Traffic = new Map();
  const add = (t: number, type: string, latencyMs?: number) =>
    addTraffic(traffic, { time: new Date(t).toISOString(), type, data: { latencyMs } });
  for (let i = 0; i < 7; i++) add(T0 + 1_200, "ipmi.request");
  for (const ms of [0.08, 0.1, 0.5]) add(T0 + 1_300, "ipmi.response", ms);
  for (let i = 0; i < 3; i++) add(T0 + 5_000, "ipmi.request");
  add(T0 + 5_100, "ipmi.response", 300);
  add(T0 - 100_000, "ipmi.request"); // before the window
  add(T0 + 2_000, "ipmi.response", Number.NaN); // no latency: ignored
  const tl = buildTimeline([], { from: T0, to: T0 + 10_000, traffic });
  assert.deepEqual(tl.rate, [[T0 + 1_000, 7], [T0 + 5_000, 3]]);
  assert.deepEqual(tl.latency, [
    { t: T0 + 1_000, p50: 0.1, max: 0.5, replies: 3 },
    { t: T0 + 5_000, p50: 300, max: 300, replies: 1 },
  ]);
  assert.equal(traffic.has(sec + 2), false, "a reply without latencyMs makes no second");
  const svg = timelineSvg(tl);
  assert.equal(svg.match(/class="rate"/g)?.length, 2);
  assert.match(svg, />7 req\/s</);
  assert.equal(svg.match(/class="latency-max"/g)?.length, 2);
  assert.match(svg, /latency median 100 µs, max 500 µs \(3 replies\)/);
  assert.match(svg, />latency max 300 ms</);
  const empty = timelineSvg(buildTimeline([], { from: T0, to: T0 + 1 }));
  assert.ok(!empty.includes("req/s") && !empty.includes("latency"), "no traffic, no strip");
  assert.match(empty, /viewBox="0 0 900 260"/);
  assert.match(svg, /viewBox="0 0 900 316"/, "the traffic strip adds its height");
});

Deno.test("addTraffic() keeps a bounded uniform sample per second with the exact maximum and count", () => {
  const traffic: Traffic = new Map();
  const time = new Date(T0).toISOString();
  let r = 0;
  const random = () => (r = (r + 0.618034) % 1);
  for (let i = 1; i <= 1000; i++) {
    addTraffic(traffic, { time, type: "ipmi.response", data: { latencyMs: i / 1000 } }, random);
  }
  const s = traffic.get(T0 / 1000)!;
  assert.equal(s.replies, 1000);
  assert.equal(s.maxMs, 1);
  assert.equal(s.sample.length, SAMPLE_SIZE);
  const p50 = median(s.sample);
  assert.ok(p50 > 0.3 && p50 < 0.7, `the sample's median ${p50} is near the true 0.5`);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), 0);
  assert.deepEqual(
    [0.085, 1.25, 300, 2500].map(formatLatency),
    ["85 µs", "1.25 ms", "300 ms", "2.5 s"],
  );
});

Deno.test("addTraffic() forgets seconds older than the longest window", () => {
  const traffic: Traffic = new Map();
  for (let i = 0; i <= TRAFFIC_SECONDS + 10; i++) {
    addTraffic(traffic, { time: new Date(T0 + i * 1000).toISOString(), type: "ipmi.request" });
  }
  assert.ok(traffic.size <= TRAFFIC_SECONDS + 1, `${traffic.size} seconds kept`);
  assert.equal(traffic.has(T0 / 1000), false);
});

Deno.test("timelineSvg() makes markers and spans focusable with their event as name; roving: only the newest tabbable", () => {
  const tl = buildTimeline([
    { time: at(1_000), type: "bmc.reset", data: { mode: "busy" } },
    { time: at(3_000), type: "bmc.ready", data: {} },
    { time: at(4_000), type: "watchdog.pretimeout", data: { pretimeoutInterrupt: "nmi" } },
    { time: at(6_000), type: "watchdog.expired", data: { action: "hard-reset" } },
  ], { from: T0, to: T0 + 10_000 });
  const all = timelineSvg(tl);
  assert.equal(all.match(/tabindex="0"/g)?.length, 3, "a report: every item in the tab order");
  assert.match(all, /role="group"/);
  assert.match(all, /aria-label="00:00:06 watchdog expired: hard-reset"/);
  assert.match(all, /aria-label="00:00:01 reset mode=busy \(2\.0 s\)"/);
  const roving = timelineSvg(tl, { roving: true });
  assert.equal(roving.match(/tabindex="0"/g)?.length, 1);
  assert.equal(roving.match(/tabindex="-1"/g)?.length, 2);
  assert.match(
    roving,
    /tabindex="0" role="img" data-t="\d+" aria-label="00:00:06 watchdog expired/,
  );
  assert.match(timelineSvg(buildTimeline([], { from: T0, to: T0 + 1 })), /role="img"/);
});
