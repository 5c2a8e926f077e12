import assert from "node:assert/strict";
import { testApi } from "../_helpers/api.ts";
import { temperatureSensor } from "../_helpers/sensor_fixtures.ts";

async function json(r: Response): Promise<Record<string, unknown>> {
  return await r.json() as Record<string, unknown>;
}

const SENSORS = [
  temperatureSensor("CPU Temp", "0x10", 40),
  {
    kind: "discrete",
    name: "PS1 Status",
    number: "0x60",
    type: "power-supply",
    offsets: [0, 1],
    state: [0],
  },
];

Deno.test("PUT /sensors/{name} crosses a threshold: the SEL shows assertion, then deassertion", async () => {
  await using api = await testApi({ profile: { sensors: SENSORS } });
  const list = await json(await api.call("GET", "/api/v1/bmcs/bmc0/sensors"));
  const cpu = (list.sensors as Record<string, unknown>[]).find((s) => s.name === "CPU Temp")!;
  assert.equal(cpu.value, 40);
  assert.deepEqual(cpu.thresholds, { unc: 80, ucr: 90 });
  const hot = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/CPU%20Temp", { value: 91 });
  assert.equal(hot.status, 200);
  const body = await json(hot);
  assert.equal(body.events, 2, "UNC and UCR going high");
  assert.equal((body.sensor as { value: number }).value, 91);
  await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x10", { value: 88 });
  assert.equal(
    (await json(await api.call("GET", "/api/v1/bmcs/bmc0/sel"))).entries,
    2,
    "88 = 90 − 2: not below",
  );
  await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x10", { value: 87.5 });
  const sel = await json(await api.call("GET", "/api/v1/bmcs/bmc0/sel"));
  const records = sel.records as { description: string; direction: string; sensorNumber: number }[];
  assert.deepEqual(records.map((r) => [r.description, r.direction]), [
    ["Upper Non-critical going high", "assertion"],
    ["Upper Critical going high", "assertion"],
    ["Upper Critical going high", "deassertion"],
  ]);
  const types = api.bus.since(0).map((e) => e.type);
  assert.ok(types.includes("sensor.event") && types.includes("sensor.changed"));
});

Deno.test("PUT /sensors/{name} sets discrete states; wrong kinds and unknown sensors are refused", async () => {
  await using api = await testApi({ profile: { sensors: SENSORS } });
  const ok = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/ps1%20status", { state: [1] });
  assert.equal(ok.status, 200);
  assert.deepEqual(((await json(ok)).sensor as { state: number[] }).state, [1]);
  const wrongKind = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x60", { value: 3 });
  assert.equal(wrongKind.status, 400);
  assert.match(String((await json(wrongKind)).error), /discrete sensor takes a state/);
  const unsupported = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x60", { state: [5] });
  assert.equal(unsupported.status, 400);
  assert.match(String((await json(unsupported)).error), /offsets 5 are not supported/);
  const missing = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/Nope", { value: 1 });
  assert.equal(missing.status, 404);
  const bad = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x10", { value: "hot" });
  assert.equal(bad.status, 400);
  const sdr = await json(await api.call("GET", "/api/v1/bmcs/bmc0/sdr"));
  assert.deepEqual((sdr.records as { type: number }[]).map((r) => r.type), [
    0x12,
    0x01,
    0x02,
    0x02,
  ]);
});
