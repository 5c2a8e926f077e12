import assert from "node:assert/strict";
import { NetFn, SensorEventCmd, StorageCmd } from "../../src/codec/constants.ts";
import { decodeSelRecord } from "../../src/core/sel_record.ts";
import { type TestBmc, testBmc } from "../_helpers/test_bmc.ts";

const le16 = (v: number) => [v & 0xff, v >> 8];

function add(t: TestBmc, type = 0x02, fill = 0x11): { cc: number; id: number } {
  const record = [0, 0, type, ...new Array(13).fill(fill)];
  const r = t.send(NetFn.Storage, StorageCmd.AddSelEntry, record);
  return { cc: r.cc, id: r.data[0]! | (r.data[1]! << 8) };
}

function getEntry(t: TestBmc, id: number, offset = 0, count = 0xff, reservation = 0) {
  return t.send(NetFn.Storage, StorageCmd.GetSelEntry, [
    ...le16(reservation),
    ...le16(id),
    offset,
    count,
  ]);
}

function reserve(t: TestBmc): number {
  const r = t.send(NetFn.Storage, StorageCmd.ReserveSel);
  return r.data[0]! | (r.data[1]! << 8);
}

function info(t: TestBmc): number[] {
  return [...t.send(NetFn.Storage, StorageCmd.GetSelInfo).data];
}

Deno.test("Add SEL Entry assigns increasing ids and the SEL timestamp", () => {
  const t = testBmc();
  assert.deepEqual([add(t).id, add(t).id, add(t).id], [1, 2, 3]);
  const r = getEntry(t, 2);
  assert.equal(r.cc, 0);
  const record = decodeSelRecord(r.data.subarray(2));
  assert.equal(record.id, 2);
  assert.equal(record.timestamp, "2026-11-22T00:00:00.000Z");
  assert.deepEqual([...r.data.subarray(0, 2)], [3, 0], "next record id");
});

Deno.test("non-timestamped OEM records keep their bytes", () => {
  const t = testBmc();
  // Linux panic string record: 00 00 F0 20 seq c0..c10
  const bytes = [0, 0, 0xf0, 0x20, 0x00, ...[..."Kernel pani"].map((c) => c.charCodeAt(0))];
  const id = t.send(NetFn.Storage, StorageCmd.AddSelEntry, bytes).data[0]!;
  assert.deepEqual([...getEntry(t, id).data.subarray(2)], [id, 0, ...bytes.slice(2)]);
});

Deno.test("Get SEL Entry: 0000 is the first, FFFF the last, FFFF is the end", () => {
  const t = testBmc();
  for (let i = 0; i < 3; i++) add(t, 0x02, i);
  assert.equal(getEntry(t, 0x0000).data[2], 1);
  const last = getEntry(t, 0xffff);
  assert.equal(last.data[2], 3);
  assert.deepEqual([...last.data.subarray(0, 2)], [0xff, 0xff]);
  assert.equal(getEntry(t, 7).cc, 0xcb, "not present");
  assert.equal(
    testBmc().send(NetFn.Storage, StorageCmd.GetSelEntry, [0, 0, 0, 0, 0, 0xff]).cc,
    0xcb,
    "empty SEL",
  );
});

Deno.test("partial Get SEL Entry needs the current reservation", () => {
  const t = testBmc();
  add(t);
  assert.equal(getEntry(t, 1, 4, 4).cc, 0xc5, "no reservation");
  const res = reserve(t);
  const part = getEntry(t, 1, 4, 4, res);
  assert.equal(part.cc, 0);
  assert.equal(part.data.length, 2 + 4);
  const res2 = reserve(t);
  assert.notEqual(res2, res);
  assert.equal(getEntry(t, 1, 4, 4, res).cc, 0xc5, "a new reservation cancels the old one");
  assert.equal(getEntry(t, 1, 0, 0xff, res).cc, 0xc5, "a stale non-zero reservation is rejected");
  assert.equal(getEntry(t, 1, 12, 8, res2).cc, 0xca, "beyond the record");
  assert.equal(getEntry(t, 1, 16, 1, res2).cc, 0xca);
});

Deno.test("Delete SEL Entry requires the reservation and never reuses ids", () => {
  const t = testBmc();
  add(t);
  add(t);
  assert.equal(t.send(NetFn.Storage, StorageCmd.DeleteSelEntry, [0, 0, 1, 0]).cc, 0xc5);
  const res = reserve(t);
  const del = t.send(NetFn.Storage, StorageCmd.DeleteSelEntry, [...le16(res), 2, 0]);
  assert.deepEqual([del.cc, ...del.data], [0, 2, 0]);
  assert.equal(add(t).id, 3, "id 2 is not reused");
  assert.equal(t.send(NetFn.Storage, StorageCmd.DeleteSelEntry, [...le16(res), 9, 0]).cc, 0xcb);
});

Deno.test("Clear SEL checks 'CLR' and the reservation, reports completion, restarts ids", () => {
  const t = testBmc();
  add(t);
  add(t);
  const res = reserve(t);
  assert.equal(
    t.send(NetFn.Storage, StorageCmd.ClearSel, [...le16(res), 0x43, 0x4c, 0x51, 0xaa]).cc,
    0xcc,
  );
  assert.equal(
    t.send(NetFn.Storage, StorageCmd.ClearSel, [...le16(res + 1), 0x43, 0x4c, 0x52, 0xaa]).cc,
    0xc5,
  );
  const clear = t.send(NetFn.Storage, StorageCmd.ClearSel, [...le16(res), 0x43, 0x4c, 0x52, 0xaa]);
  assert.deepEqual([clear.cc, ...clear.data], [0, 1]);
  const status = t.send(NetFn.Storage, StorageCmd.ClearSel, [...le16(res), 0x43, 0x4c, 0x52, 0x00]);
  assert.deepEqual([status.cc, ...status.data], [0, 1], "status poll with the same reservation");
  assert.equal(info(t)[1], 0, "no entries");
  assert.equal(add(t).id, 1);
  assert.ok(t.events.types().includes("sel.cleared"));
});

Deno.test("Get SEL Info and Allocation Info describe the SEL", () => {
  const t = testBmc({ config: { sel: { capacity: 4 } } });
  add(t);
  const i = info(t);
  assert.equal(i[0], 0x51);
  assert.deepEqual(i.slice(1, 5), [1, 0, 48, 0], "1 entry, 48 bytes free");
  assert.equal(i[13], 0x0b, "delete, reserve, allocation info");
  const alloc = [...t.send(NetFn.Storage, StorageCmd.GetSelAllocationInfo).data];
  assert.deepEqual(alloc, [4, 0, 16, 0, 3, 0, 3, 0, 1]);
});

Deno.test("a full SEL rejects adds with 0xC4 and sets the overflow bit", () => {
  const t = testBmc({ config: { sel: { capacity: 2 } } });
  add(t);
  add(t);
  assert.equal(add(t).cc, 0xc4);
  assert.equal(info(t)[13]! & 0x80, 0x80);
  assert.ok(t.events.types().includes("sel.full"));
});

Deno.test("the overwrite policy drops the oldest record when full", () => {
  const t = testBmc({ config: { sel: { capacity: 2, whenFull: "overwrite" } } });
  add(t);
  add(t);
  assert.equal(add(t).id, 3);
  assert.deepEqual(t.bmc.sel.records().map((r) => r.id), [2, 3]);
  assert.equal(info(t)[13]! & 0x80, 0x80);
});

Deno.test("Get/Set SEL Time: wall clock shifted by the offset, which persists", () => {
  const t = testBmc();
  const now = Date.UTC(2026, 10, 22) / 1000;
  const time = () => {
    const d = t.send(NetFn.Storage, StorageCmd.GetSelTime).data;
    return (d[0]! | (d[1]! << 8) | (d[2]! << 16) | (d[3]! << 24)) >>> 0;
  };
  assert.equal(time(), now);
  const target = 1_000_000_000;
  assert.equal(
    t.send(NetFn.Storage, StorageCmd.SetSelTime, [
      target & 0xff,
      (target >> 8) & 0xff,
      (target >> 16) & 0xff,
      target >>> 24,
    ]).cc,
    0,
  );
  t.clock.advance(5000);
  assert.equal(time(), target + 5);
  assert.equal(t.store.getValue("sel.timeOffset"), String(target - now));
});

Deno.test("a Platform Event Message becomes a SEL record with generator ID 41 00", () => {
  const t = testBmc();
  // Linux panic_op=event: 41 03 20 <'K'> 6F A1 <'e'> <'r'>
  const r = t.send(NetFn.SensorEvent, SensorEventCmd.PlatformEvent, [
    0x41,
    0x03,
    0x20,
    0x4b,
    0x6f,
    0xa1,
    0x65,
    0x72,
  ]);
  assert.equal(r.cc, 0);
  const record = decodeSelRecord(t.bmc.sel.records()[0]!.bytes);
  assert.equal(record.generatorId, 0x41);
  assert.equal(record.raw.split(" ")[8], "00", "generator ID byte 2: system interface");
  assert.equal(record.description, "OS Critical Stop: run-time critical stop");
  assert.deepEqual(record.eventData, [0xa1, 0x65, 0x72]);
  assert.equal(
    t.send(NetFn.SensorEvent, SensorEventCmd.PlatformEvent, [0x41, 0x03, 0x20]).cc,
    0xc7,
  );
});

Deno.test("events go to the SEL only with System Event Logging enabled", () => {
  const t = testBmc();
  t.send(NetFn.App, 0x2e, [0x04]); // event buffer only
  t.send(NetFn.SensorEvent, SensorEventCmd.PlatformEvent, [0x41, 0x04, 0x12, 0x01, 0x6f, 0x01]);
  assert.equal(t.bmc.sel.size, 0);
  assert.equal(t.send(NetFn.App, 0x31).data[0], 0x02, "but the event buffer has it");
  const event = t.send(NetFn.App, 0x35);
  assert.equal(event.data[7], 0x41);
});
