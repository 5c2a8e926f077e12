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
