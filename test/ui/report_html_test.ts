import assert from "node:assert/strict";
import type { ScenarioReport } from "../../src/scenario/runner.ts";
import { scenarioHtml } from "../../src/ui/report_html.ts";

const REPORT: ScenarioReport = {
  scenario: "x<y>",
  description: "a & b",
  passed: false,
  startedAt: "2026-01-01T00:00:00.000Z",
  durationMs: 5_000,
  assertions: { passed: 1, failed: 1 },
  steps: [
    {
      index: 0,
      kind: "wait",
      bmc: "bmc0",
      status: "passed",
      detail: "ok",
      atMs: 0,
      durationMs: 100,
    },
    {
      index: 1,
      kind: "reset",
      bmc: "bmc0",
      status: "done",
      detail: "reset",
      atMs: 100,
      durationMs: 0,
    },
    {
      index: 2,
      kind: "assert",
      name: "<it>",
      bmc: "bmc0",
      status: "failed",
      detail: "no",
      atMs: 200,
      durationMs: 0,
    },
  ],
};

Deno.test("scenarioHtml() is one page: the verdict, the chart with the steps on it, the step table", () => {
  const html = scenarioHtml(REPORT, [
    {
      time: "2026-01-01T00:00:00.050Z",
      type: "watchdog.set",
      data: { running: true, initialCountdownMs: 9_000 },
    },
    { time: "2026-01-01T00:00:00.100Z", type: "bmc.reset", data: {} },
    { time: "2026-01-01T00:00:01.100Z", type: "bmc.ready", data: {} },
  ], { notes: ["kernel 6.1"] });
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /id="verdict">FAIL</);
  assert.deepEqual([...html.matchAll(/<td class="(\w+)">/g)].map((m) => m[1]), [
    "PASS",
    "done",
    "FAIL",
  ]);
  assert.match(html, /<svg class="timeline"/);
  assert.match(html, /class="countdown"/);
  assert.match(html, /span-reset/);
  assert.match(html, /marker-pass/);
  assert.match(html, /marker-fail/);
  assert.match(html, /kernel 6\.1/);
  assert.ok(!html.includes("<it>") && !html.includes("x<y>"), "text is escaped");
  assert.ok(!/<script|<link|src=/.test(html), "self-contained: no script, no external file");
});

Deno.test("scenarioHtml() draws the IPMI exchanges among the events as the traffic strip, the same each time", () => {
  const at = (ms: number) => new Date(Date.parse(REPORT.startedAt) + ms).toISOString();
  const events = [
    { time: at(1_000), type: "ipmi.request", data: { command: "app/get-device-id" } },
    { time: at(1_001), type: "ipmi.response", data: { latencyMs: 0.08 } },
    { time: at(2_000), type: "ipmi.request", data: { command: "app/reset-watchdog-timer" } },
    { time: at(4_500), type: "ipmi.response", data: { latencyMs: 2_500, wire: "released" } },
  ];
  const html = scenarioHtml(REPORT, events);
  assert.equal(html.match(/class="rate"/g)?.length, 2);
  assert.equal(html.match(/class="latency-max"/g)?.length, 2);
  assert.match(html, />latency max 2\.5 s</);
  assert.match(html, /reply latency, median per second/, "the legend names the strip");
  assert.ok(
    !/class="marker[^"]*"[^>]*aria-label="[^"]*ipmi/.test(html),
    "exchanges are no markers",
  );
  assert.equal(scenarioHtml(REPORT, events), html, "repeatable");
  assert.ok(!scenarioHtml(REPORT, []).includes("latency"), "no exchanges, no strip");
});
