import assert from "node:assert/strict";
import { ScenarioRunner } from "../../src/scenario/runner.ts";
import { parseScenario, ScenarioError } from "../../src/scenario/scenario_schema.ts";
import { formatReport } from "../../src/scenario/report_text.ts";
import { matchesWhere, valueAt } from "../../src/scenario/where.ts";
import { NullLogger } from "../../src/log/logger.ts";
import { testApi } from "../_helpers/api.ts";
import { drive, flush } from "../_helpers/drive.ts";

function runner(api: Awaited<ReturnType<typeof testApi>>): ScenarioRunner {
  return new ScenarioRunner({
    registry: api.registry,
    bus: api.bus,
    clock: api.clock,
    log: new NullLogger(),
    randomSeed: () => 42,
  });
}

async function run(json: unknown) {
  await using api = await testApi();
  const report = await drive(api.clock, runner(api).run(parseScenario(json, "test.json")));
  return { report, api };
}

Deno.test("a scenario acts, waits and asserts; the report says what passed", async () => {
  const { report } = await run({
    name: "inject and check",
    steps: [
      { mark: "before" },
      {
        fault: {
          add: { match: { command: "app/get-device-id" }, action: { type: "error", cc: "0xC0" } },
          as: "busy",
        },
      },
      { inject: { sensorType: "0x12", eventData: [1] } },
      {
        assert: {
          event: "sel.added",
          within: "1s",
          where: { source: "scenario" },
          since: "before",
        },
        description: "the event was logged",
      },
      { assert: { state: "faults.0.action.cc", equals: "0xc0" } },
      { fault: { remove: "busy" } },
      { assert: { state: "sel.entries", equals: 1, within: "1s", for: "300ms" } },
      { assert: { noEvent: "watchdog.expired", for: "200ms" } },
      { reset: { mode: "busy", durationMs: 200 } },
      { wait: { event: "bmc.ready", timeout: "2s" } },
      { assert: { state: "reset", equals: null } },
    ],
  });
  assert.equal(report.passed, true, formatReport(report).join("\n"));
  assert.deepEqual(report.assertions, { passed: 6, failed: 0 });
  assert.match(
    report.steps[3]!.detail,
    /got sel.added with \{"source":"scenario"\} \(event \d+\) after .* — the event was logged/,
  );
  assert.match(report.steps[1]!.detail, /added fault f1/);
});

Deno.test("scenario steps name the interface: a fault rule on lan, a hang of the host's side", async () => {
  const { report } = await run({
    name: "one side",
    steps: [
      {
        fault: {
          add: {
            match: { channel: "lan", command: "chassis/get-chassis-status" },
            action: { type: "delay", ms: 500 },
          },
        },
      },
      { hang: { mode: "silent", channel: "system" } },
      { assert: { state: "faults.0.match.channel", equals: "lan" } },
      { assert: { state: "hang.channel", equals: "system" } },
    ],
  });
  assert.equal(report.passed, true, formatReport(report).join("\n"));
  assert.match(report.steps[1]!.detail, /hang silent \(system only\) until released/);
  assert.throws(
    () => parseScenario({ name: "x", steps: [{ hang: { mode: "wedge", channel: "ipmb" } }] }, "t"),
    /steps\[0\]\.hang\.channel" is invalid: .*"system"\|"lan"/,
  );
});

Deno.test("a failed assertion fails the report but the run continues; a failed wait stops it", async () => {
  const { report } = await run({
    name: "failing",
    steps: [
      {
        assert: { state: "watchdog.running", equals: true },
        failure: "the watchdog is not protecting the host",
      },
      { assert: { event: "watchdog.expired", within: "100ms" } },
      { wait: { event: "host.reset", timeout: "100ms" } },
      { sleep: "1s" },
    ],
  });
  assert.equal(report.passed, false);
  assert.deepEqual(report.steps.map((s) => s.status), ["failed", "failed", "failed", "skipped"]);
  assert.match(
    report.steps[0]!.detail,
    /watchdog.running is false, expected true — the watchdog is not protecting the host/,
  );
  assert.match(report.steps[2]!.detail, /no host.reset within 0.1 s/);
  const text = formatReport(report);
  assert.match(text[0]!, /^Scenario failing: FAILED \(0 passed, 3 failed/);
});

/** Run a two-second noEvent assertion on SEL events and add a SEL record `afterMs` into it. */
async function selAddedDuringNoEvent(api: Awaited<ReturnType<typeof testApi>>, afterMs: number) {
  const pending = runner(api).run(
    parseScenario({ name: "x", steps: [{ assert: { noEvent: "sel.*", for: "2s" } }] }, "t"),
  );
  await flush();
  api.clock.advance(afterMs);
  api.registry.get("bmc0")!.bmc.sel.add(new Uint8Array(16), "test");
  return await drive(api.clock, pending);
}

Deno.test("a noEvent assertion fails when the event happens", async () => {
  await using api = await testApi();
  const report = await selAddedDuringNoEvent(api, 50);
  assert.equal(report.passed, false);
  assert.match(report.steps[0]!.detail, /sel.added happened after/);
});

Deno.test("step and report durations are whole milliseconds, as the event catalogue says", async () => {
  await using api = await testApi();
  const report = await selAddedDuringNoEvent(api, 0.6);
  assert.equal(report.steps[0]!.durationMs, 1);
  assert.equal(report.durationMs, 1);
  const step = api.bus.since(0).find((e) => e.type === "scenario.step");
  assert.equal((step?.data as { durationMs: number }).durationMs, 1);
});

Deno.test("a noEvent assertion with since also fails on events that already happened", async () => {
  const { report } = await run({
    name: "x",
    steps: [
      { mark: "begin" },
      { inject: { sensorType: "0x12", eventData: [1] } },
      { assert: { noEvent: "sel.added", for: "100ms" } },
      { assert: { noEvent: "sel.added", for: "100ms", since: "begin" } },
    ],
  });
  assert.deepEqual(report.steps.slice(2).map((s) => s.status), ["passed", "failed"]);
});

Deno.test("scenario files are validated with errors naming the field", () => {
  const cases: [unknown, RegExp][] = [
    [{ name: "x", steps: [] }, /field "steps"/],
    [{ name: "x", steps: [{ sleep: "soon" }] }, /field "steps\[0\]\.sleep"/],
    [
      { name: "x", steps: [{ wait: { event: "nothing.happens", timeout: "1s" } }] },
      /field "steps\[0\]\.wait\.event" must be a known event type/,
    ],
    [
      { name: "x", steps: [{ fault: { add: { action: { type: "explode" } } } }] },
      /steps\[0\]\.fault\.add\.action\.type/,
    ],
    [{ name: "x", steps: [{ dance: true }] }, /steps\[0\]/],
  ];
  for (const [json, message] of cases) {
    assert.throws(
      () => parseScenario(json, "s.json"),
      (e: unknown) => e instanceof ScenarioError && message.test(e.message),
    );
  }
});

Deno.test("matchesWhere() and valueAt()", () => {
  assert.ok(
    matchesWhere({ cc: 213, command: "app/x", extra: 1 }, { cc: "0xd5", command: "app/x" }),
  );
  assert.ok(!matchesWhere({ cc: 0 }, { cc: "0xd5" }));
  assert.ok(matchesWhere({ a: { b: [1, 2] } }, { a: { b: [1, 2] } }));
  assert.ok(!matchesWhere({ a: { b: [1] } }, { a: { b: [1, 2] } }));
  assert.ok(matchesWhere({ v: null }, { v: null }));
  assert.equal(valueAt({ a: { b: [10, 20] } }, "a.b.1"), 20);
  assert.equal(valueAt({ a: 1 }, "a.b.c"), undefined);
});
