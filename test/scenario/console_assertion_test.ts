import assert from "node:assert/strict";
import { NullLogger } from "../../src/log/logger.ts";
import { formatReport } from "../../src/scenario/report_text.ts";
import { ScenarioRunner } from "../../src/scenario/runner.ts";
import { parseScenario } from "../../src/scenario/scenario_schema.ts";
import { testApi } from "../_helpers/api.ts";
import { drive } from "../_helpers/drive.ts";

type Api = Awaited<ReturnType<typeof testApi>>;

function run(api: Api, steps: unknown[]) {
  const runner = new ScenarioRunner({
    registry: api.registry,
    bus: api.bus,
    clock: api.clock,
    log: new NullLogger(),
    randomSeed: () => 1,
  });
  return drive(api.clock, runner.run(parseScenario({ name: "console", steps }, "test.json")));
}

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("assert console: a line already in the ring passes at once", async () => {
  await using api = await testApi({ console: true });
  const hub = api.registry.get("bmc0")!.lan!.console!;
  hub.receive(text("[ 12.5] Kernel panic - not syncing: sysrq triggered crash\r\n"));
  const report = await run(api, [
    { assert: { console: { $match: "Kernel panic" }, within: "60s" } },
  ]);
  assert.equal(report.passed, true, formatReport(report).join("\n"));
  assert.match(
    report.steps[0]!.detail,
    /console has "\[ 12.5\] Kernel panic - not syncing: sysrq triggered crash" \(in the ring\)/,
  );
  assert.equal(report.steps[0]!.durationMs, 0);
});

Deno.test("assert console since step waits on the ManualClock for a new line, across chunks", async () => {
  await using api = await testApi({ console: true });
  const hub = api.registry.get("bmc0")!.lan!.console!;
  hub.receive(text("Kernel panic - an older boot\n"));
  // The new line arrives in two pieces, 5 s and 7 s into the step.
  api.clock.setTimer(() => hub.receive(text("boot 2\nKernel pa")), 5_000);
  api.clock.setTimer(() => hub.receive(text("nic - not syncing\n")), 7_000);
  const report = await run(api, [
    { assert: { console: { $match: "^Kernel panic - not" }, within: "60s", since: "step" } },
  ]);
  assert.equal(report.passed, true, formatReport(report).join("\n"));
  assert.match(report.steps[0]!.detail, /console printed "Kernel panic - not syncing" after 7.0 s/);
});

Deno.test("assert console matches the unfinished line (a prompt) and exact lines", async () => {
  await using api = await testApi({ console: true });
  const hub = api.registry.get("bmc0")!.lan!.console!;
  api.clock.setTimer(() => hub.receive(text("\r\nDebian GNU/Linux 12\r\nguest login: ")), 1_000);
  const report = await run(api, [
    { assert: { console: { $match: "login: $" }, within: "10s" } },
    { assert: { console: "Debian GNU/Linux 12", within: "1s" } },
  ]);
  assert.equal(report.passed, true, formatReport(report).join("\n"));
  assert.match(report.steps[0]!.detail, /"guest login:" after 1.0 s/);
});

Deno.test("assert console fails at its deadline, and without a console", async () => {
  await using api = await testApi({ console: true });
  const hub = api.registry.get("bmc0")!.lan!.console!;
  api.clock.setTimer(() => hub.receive(text("all quiet\n")), 1_000);
  const report = await run(api, [
    { assert: { console: { $match: "Kernel panic" }, within: "60s" }, failure: "no panic seen" },
    { bmc: "bmc1", assert: { console: { $match: "x" }, within: "1s" } },
  ]);
  assert.equal(report.passed, false);
  assert.match(
    report.steps[0]!.detail,
    /no console line \{"\$match":"Kernel panic"\} within 60.0 s — no panic seen/,
  );
  assert.equal(report.steps[0]!.durationMs, 60_000);
  assert.match(report.steps[1]!.detail, /BMC bmc1 has no serial console \(serve --console-listen/);
});

Deno.test("console assertions are validated: a bad regular expression names the field", () => {
  assert.throws(
    () =>
      parseScenario({
        name: "x",
        steps: [{ assert: { console: { $match: "(" }, within: "1s" } }],
      }, "t.json"),
    /steps\[0\]\.assert\.console\.\$match" must be a valid regular expression/,
  );
  assert.throws(
    () =>
      parseScenario({
        name: "x",
        steps: [{ assert: { console: "x", within: "1s", since: "boot" } }],
      }, "t.json"),
    /steps\[0\]\.assert\.since/,
  );
});
