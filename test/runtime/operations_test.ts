import assert from "node:assert/strict";
import { walk } from "./_walk.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { OperationError } from "../../src/runtime/operation_error.ts";
import {
  addFault,
  addSelRecord,
  deleteSelRecord,
  findSensor,
  power,
  releaseHang,
  removeFault,
  setSensor,
} from "../../src/runtime/operations.ts";
import { importEdges } from "../../tools/check_layers.ts";
import { startRuntime, TCP_ANY } from "../_helpers/runtime.ts";
import { temperatureSensor } from "../_helpers/sensor_fixtures.ts";
import { POWER_ACTIONS } from "../../src/core/power_actions.ts";
import { FaultRuleError } from "../../src/faults/fault_schema.ts";

function refusal(kind: string, message: RegExp, field?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof OperationError, String(e));
    assert.equal(e.kind, kind);
    assert.match(e.message, message);
    assert.equal(e.field, field);
    return true;
  };
}

Deno.test("operations refuse with typed errors: not-found, conflict, invalid with field, full", async () => {
  await using t = await startRuntime({ listen: TCP_ANY }, {
    profile: { sensors: [temperatureSensor("CPU Temp", "0x10", 40)], sel: { capacity: 1 } },
    clock: new ManualClock(),
  });
  const rt = t.runtime;
  assert.throws(
    () => power(rt, "hard-reset", "api"),
    refusal("conflict", /^Cannot hard-reset: no VM is connected/),
  );
  assert.throws(() => releaseHang(rt, null), refusal("conflict", /^No hang in progress$/));
  assert.throws(() => removeFault(rt, "f9"), refusal("not-found", /^No fault rule "f9"$/));
  assert.throws(() => findSensor(rt, "Nope"), refusal("not-found", /^No sensor "Nope" on bmc0/));
  assert.throws(() => deleteSelRecord(rt, 7), refusal("not-found", /^No SEL record 7$/));
  addSelRecord(rt, new Uint8Array(16), "api");
  assert.throws(
    () => addSelRecord(rt, new Uint8Array(16), "api"),
    refusal("full", /^The SEL is full \(1 records\)$/),
  );
  const cpu = findSensor(rt, "cpu temp");
  assert.throws(
    () => setSensor(rt, cpu, { value: 1e308 }, "api"),
    refusal("invalid", /outside the range of CPU Temp \(0 to 127\.5\)/),
  );
  assert.equal(setSensor(rt, cpu, { value: 95 }, "api"), 2, "UNC and UCR going high");
  assert.throws(
    () =>
      addFault(rt, () => {
        throw new FaultRuleError("match.command", "is not a known command");
      }),
    refusal("invalid", /^match.command is not a known command$/, "match.command"),
  );
});

Deno.test("the power action names are defined once in src/ (core/power_actions.ts)", async () => {
  // Names only the power vocabulary has, and a short-name → operation map.
  const patterns = [/["'`]power-on["'`]/, /["'`]diag-interrupt["'`]/, /\bnmi["']?\s*:\s*["']diag/];
  const offenders: string[] = [];
  for await (const file of walk(new URL("../../src/", import.meta.url))) {
    if (file.endsWith("/core/power_actions.ts")) continue;
    const text = await Deno.readTextFile(file);
    for (const p of patterns) if (p.test(text)) offenders.push(`${file}: ${p.source}`);
  }
  assert.deepEqual(offenders, [], "a second table of power action names");
  assert.equal(Object.keys(POWER_ACTIONS).length, 6);
});

Deno.test("HTTP routes and scenario steps are adapters over the same operations; core/bmc.ts stays wiring", async () => {
  const src = new URL("../../src/", import.meta.url);
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", new URL("main.ts", src).href],
    stdout: "piped",
  }).output();
  assert.ok(info.success, "deno info --json src/main.ts");
  const edges = importEdges(JSON.parse(new TextDecoder().decode(info.stdout)), src.href);
  const users = new Set(edges.filter((e) => e.to === "runtime/operations.ts").map((e) => e.from));
  const adapters = [
    "scenario/steps.ts",
    "api/routes/chassis.ts",
    "api/routes/faults.ts",
    "api/routes/hangs.ts",
    "api/routes/events.ts",
    "api/routes/sensors.ts",
    "api/routes/sel.ts",
    "redfish/bmc_ops.ts",
  ];
  assert.deepEqual(adapters.filter((a) => !users.has(a)), [], "adapters that bypass operations.ts");
  // Neither routes nor steps reach past the operations into the core's power, reset or fault calls.
  const direct = /\.(chassisControl|beginReset)\(|\.faults\.(add|remove|clear)\(/;
  for (const a of adapters.slice(0, 7)) {
    assert.doesNotMatch(await Deno.readTextFile(new URL(a, src)), direct, a);
  }
  const lines = (await Deno.readTextFile(new URL("core/bmc.ts", src))).split("\n").length;
  assert.ok(lines < 350, `core/bmc.ts has ${lines} lines`);
});
