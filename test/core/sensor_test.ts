import assert from "node:assert/strict";
import { NetFn, SensorEventCmd, StorageCmd } from "../../src/codec/constants.ts";
import type { ThresholdSensor } from "../../src/core/sensor.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

/** A temperature sensor 0–255 °C (M = 1), thresholds and 2 °C hysteresis. */
const INLET = {
  kind: "threshold",
  name: "Inlet Temp",
  number: "0x04",
  type: "temperature",
  unit: "degrees-c",
  range: [0, 255],
  reading: 25,
  thresholds: { lcr: 5, lnc: 10, unc: 40, ucr: 45, unr: 50 },
  hysteresis: 2,
};

const PSU = {
  kind: "discrete",
  name: "PS1 Status",
  number: "0x60",
  type: "power-supply",
  entity: "power-supply",
  offsets: [0, 1, 3],
  state: [0],
};

function bmcWithSensors() {
  const t = testBmc({ config: { sensors: [INLET, PSU] } });
  const inlet = t.bmc.sensors.find("Inlet Temp") as ThresholdSensor;
  const psu = t.bmc.sensors.find("0x60")!;
  const set = (value: number) => t.bmc.sensors.update(inlet, { value }, "test");
  /** SEL records logged so far: [sensor number, dir/type, data1, data2, data3]. */
  const sel = () => t.bmc.sel.records().map((r) => [...r.bytes.subarray(11, 16)]);
  return { t, inlet, psu, set, sel };
}

Deno.test("an upper threshold asserts at the threshold and deasserts below it minus hysteresis", () => {
  const { inlet, set, sel, t } = bmcWithSensors();
  set(44);
  assert.deepEqual(sel(), [[0x04, 0x01, 0x57, 44, 40]], "UNC going high asserted at 40");
  set(45);
  assert.deepEqual(sel().at(-1), [0x04, 0x01, 0x59, 45, 45], "UCR going high (offset 9)");
  set(44);
  set(43);
  assert.equal(sel().length, 2, "44 and 43 are within the 2 °C hysteresis of UCR");
  set(42);
  assert.deepEqual(sel().at(-1), [0x04, 0x81, 0x59, 42, 45], "UCR deasserted below 45 − 2");
  assert.equal((inlet.asserted >> 7) & 1, 1, "UNC still asserted (42 ≥ 40 − 2)");
  set(37);
  assert.deepEqual(sel().at(-1), [0x04, 0x81, 0x57, 37, 40]);
  assert.equal(inlet.asserted, 0);
  const sensorEvents = t.events.of("sensor.event");
  assert.deepEqual(sensorEvents.map((e) => [e.offset, e.assertion]), [
    [7, true],
    [9, true],
    [9, false],
    [7, false],
  ]);
});

Deno.test("a lower threshold asserts at or below it and deasserts above it plus hysteresis", () => {
  const { set, sel } = bmcWithSensors();
  set(10);
  assert.deepEqual(sel(), [[0x04, 0x01, 0x50, 10, 10]], "LNC going low (offset 0)");
  set(5);
  assert.deepEqual(sel().at(-1), [0x04, 0x01, 0x52, 5, 5], "LCR going low (offset 2)");
  set(7);
  assert.equal(sel().length, 2, "7 ≤ 5 + 2: still critical");
  set(8);
  assert.deepEqual(sel().at(-1), [0x04, 0x81, 0x52, 8, 5]);
  set(13);
  assert.deepEqual(sel().at(-1), [0x04, 0x81, 0x50, 13, 10]);
});

Deno.test("a jump asserts from the least severe up and deasserts from the most severe down", () => {
  const { set, sel } = bmcWithSensors();
  set(60);
  assert.deepEqual(sel().map((r) => r[2]), [0x57, 0x59, 0x5b]);
  set(25);
  assert.deepEqual(sel().slice(3).map((r) => [r[1], r[2]]), [[0x81, 0x5b], [0x81, 0x59], [
    0x81,
    0x57,
  ]]);
});

Deno.test("Get Sensor Reading, Thresholds, Hysteresis and Factors describe the sensor", () => {
  const { t, set } = bmcWithSensors();
  const read = () => t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorReading, [0x04]);
  assert.deepEqual([...read().data], [25, 0xc0, 0xc0]);
  set(46);
  assert.deepEqual([...read().data], [46, 0xc0, 0xc0 | 0x08 | 0x10], "UNC and UCR status bits");
  const th = t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorThresholds, [0x04]);
  assert.deepEqual([...th.data], [0x3b, 10, 5, 0, 40, 45, 50], "readable mask without LNR");
  const hy = t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorHysteresis, [0x04, 0xff]);
  assert.deepEqual([...hy.data], [2, 2]);
  const f = t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorReadingFactors, [0x04, 0]);
  assert.deepEqual([...f.data], [0xff, 1, 0, 0, 0, 0, 0]);
  assert.equal(t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorReading, [0x99]).cc, 0xcb);
  assert.equal(
    t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorThresholds, [0x60]).cc,
    0xcd,
    "a discrete sensor has no thresholds",
  );
});

Deno.test("Set Sensor Thresholds re-evaluates; unsupported thresholds are 0xCC", () => {
  const { t, sel } = bmcWithSensors();
  const r = t.send(NetFn.SensorEvent, SensorEventCmd.SetSensorThresholds, [
    0x04,
    0x08,
    0,
    0,
    0,
    20,
    0,
    0,
  ]);
  assert.equal(r.cc, 0);
  assert.deepEqual(sel(), [[0x04, 0x01, 0x57, 25, 20]], "UNC lowered below the reading asserts");
  const bad = t.send(NetFn.SensorEvent, SensorEventCmd.SetSensorThresholds, [
    0x04,
    0x04,
    0,
    0,
    3,
    0,
    0,
    0,
  ]);
  assert.equal(bad.cc, 0xcc, "LNR is not supported by this sensor");
});

Deno.test("disabled events are not logged; the state still follows the reading", () => {
  const { t, inlet, set, sel } = bmcWithSensors();
  // Disable the UCR going-high assertion (offset 9) only.
  const r = t.send(NetFn.SensorEvent, SensorEventCmd.SetSensorEventEnable, [
    0x04,
    0xc0 | 0x20,
    0x00,
    0x02,
  ]);
  assert.equal(r.cc, 0);
  const en = t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorEventEnable, [0x04]);
  assert.deepEqual([...en.data], [0xc0, 0x85, 0x08, 0x85, 0x0a]);
  set(46);
  assert.deepEqual(sel().map((e) => e[2]), [0x57], "UNC logged, UCR not");
  assert.equal((inlet.asserted >> 9) & 1, 1);
  t.send(NetFn.SensorEvent, SensorEventCmd.SetSensorEventEnable, [0x04, 0x00]);
  set(25);
  assert.equal(sel().length, 1, "all event messages disabled");
  const status = t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorEventStatus, [0x04]);
  assert.deepEqual([...status.data], [0x00, 0x00, 0x00, 0x80, 0x02], "deasserted since re-arm");
});

Deno.test("a discrete sensor logs assertions and deassertions of its offsets", () => {
  const { t, psu, sel } = bmcWithSensors();
  assert.deepEqual(
    [...t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorReading, [0x60]).data],
    [0x00, 0xc0, 0x01, 0x00],
  );
  const r = t.bmc.sensors.update(psu, { state: 0b1010 }, "test");
  assert.deepEqual(r, { ok: true, events: 3 });
  assert.deepEqual(sel(), [
    [0x60, 0xef, 0x00, 0xff, 0xff],
    [0x60, 0x6f, 0x01, 0xff, 0xff],
    [0x60, 0x6f, 0x03, 0xff, 0xff],
  ], "deassertion of offset 0 first, then the assertions");
  const refused = t.bmc.sensors.update(psu, { state: 0b100 }, "test");
  assert.equal(refused.ok, false);
  assert.match((refused as { reason: string }).reason, /offsets 2 are not supported/);
});

Deno.test("the Watchdog 2 sensor is always there", () => {
  const { t } = bmcWithSensors();
  const wd = t.bmc.sensors.byNumber(t.bmc.config.watchdogSensorNumber)!;
  assert.equal(wd.config.sensorType, 0x23);
  assert.equal(
    t.send(NetFn.SensorEvent, SensorEventCmd.GetSensorReading, [wd.config.number]).cc,
    0,
  );
});

Deno.test("noise dynamics move the reading on the sensor scan; an API value pins it", () => {
  const t = testBmc({
    config: { sensors: [{ ...INLET, dynamics: { kind: "noise", amplitude: 3 } }] },
  });
  const inlet = t.bmc.sensors.find("inlet temp") as ThresholdSensor;
  const seen = new Set<number>();
  for (let i = 0; i < 10; i++) {
    t.clock.advance(1000);
    seen.add(inlet.raw);
    assert.ok(inlet.value >= 22 && inlet.value <= 28, `${inlet.value} within 25 ± 3`);
  }
  assert.ok(seen.size > 1, "the reading changes");
  t.bmc.sensors.update(inlet, { value: 30 }, "test");
  t.clock.advance(5000);
  assert.equal(inlet.value, 30, "pinned");
  t.bmc.close();
});

Deno.test("SDR repository: MC locator, FRU locators, sensors; reservations guard partial reads", () => {
  const t = testBmc({
    config: {
      sensors: [INLET, PSU],
      frus: [{ id: 0, name: "System Board", board: BOARD }],
    },
  });
  const info = t.send(NetFn.Storage, StorageCmd.GetSdrRepositoryInfo);
  assert.equal(info.data[0], 0x51);
  assert.equal(info.data[1], 5, "MC, FRU, two sensors, watchdog");
  const types: number[] = [];
  const numbers: number[] = [];
  let id = 0;
  while (id !== 0xffff) {
    const r = t.send(NetFn.Storage, StorageCmd.GetSdr, [0, 0, id & 0xff, id >> 8, 0, 0xff]);
    assert.equal(r.cc, 0);
    const record = r.data.subarray(2);
    assert.equal(record[2], 0x51, "SDR version");
    assert.equal(record[4], record.length - 5, "length byte");
    types.push(record[3]!);
    if (record[3] === 0x01 || record[3] === 0x02) numbers.push(record[7]!);
    id = r.data[0]! | (r.data[1]! << 8);
  }
  assert.deepEqual(types, [0x12, 0x11, 0x01, 0x02, 0x02]);
  assert.deepEqual(numbers, [0x04, 0x60, t.bmc.config.watchdogSensorNumber]);
  assert.equal(
    t.send(NetFn.Storage, StorageCmd.GetSdr, [0x99, 0x99, 3, 0, 5, 16]).cc,
    0xc5,
    "a partial read needs the reservation",
  );
  const res = t.send(NetFn.Storage, StorageCmd.ReserveSdrRepository).data;
  const part = t.send(NetFn.Storage, StorageCmd.GetSdr, [res[0]!, res[1]!, 3, 0, 5, 16]);
  assert.equal(part.cc, 0);
  assert.equal(part.data.length, 2 + 16);
  assert.equal(t.send(NetFn.Storage, StorageCmd.GetSdr, [0, 0, 9, 0, 0, 0xff]).cc, 0xcb);
});

const BOARD = {
  manufacturer: "Acme",
  productName: "Board X",
  serialNumber: "SN0001",
  partNumber: "PN-1",
};

Deno.test("FRU: area info, reads, writes that persist across a BMC restart", () => {
  const config = { frus: [{ id: 0, name: "System Board", size: 256, board: BOARD }] };
  const first = testBmc({ config });
  const info = first.send(NetFn.Storage, StorageCmd.GetFruInventoryAreaInfo, [0]);
  assert.deepEqual([...info.data], [0x00, 0x01, 0x00], "256 bytes, byte access");
  const head = first.send(NetFn.Storage, StorageCmd.ReadFruData, [0, 0, 0, 8]);
  assert.deepEqual([...head.data], [8, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xfe]);
  const w = first.send(NetFn.Storage, StorageCmd.WriteFruData, [0, 0xf0, 0x00, 0xde, 0xad]);
  assert.deepEqual([w.cc, ...w.data], [0, 2]);
  assert.equal(first.send(NetFn.Storage, StorageCmd.ReadFruData, [0, 0xff, 0x00, 2]).data[0], 1);
  assert.equal(first.send(NetFn.Storage, StorageCmd.ReadFruData, [0, 0x00, 0x01, 2]).cc, 0xc9);
  assert.equal(first.send(NetFn.Storage, StorageCmd.WriteFruData, [0, 0xff, 0x00, 1, 2]).cc, 0xc9);
  assert.equal(first.send(NetFn.Storage, StorageCmd.GetFruInventoryAreaInfo, [7]).cc, 0xcb);
  const second = testBmc({ config, store: first.store });
  const again = second.send(NetFn.Storage, StorageCmd.ReadFruData, [0, 0xf0, 0x00, 2]);
  assert.deepEqual([...again.data], [2, 0xde, 0xad], "the write survived the restart");
});

Deno.test("OEM commands answer their fixed data", () => {
  const t = testBmc({
    config: { oemCommands: [{ netfn: "0x3a", cmd: "0xc1", response: "10 00 00" }] },
  });
  const r = t.send(0x3a, 0xc1, [1, 2]);
  assert.deepEqual([r.cc, ...r.data], [0, 0x10, 0, 0]);
});
