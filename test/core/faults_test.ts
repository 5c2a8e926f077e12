import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import type { Verdict } from "../../src/core/bmc.ts";
import type { FaultAction, FaultLimits, FaultMatch } from "../../src/core/faults.ts";
import { addRule } from "../_helpers/faults.ts";
import { type TestBmc, testBmc } from "../_helpers/test_bmc.ts";

function rule(
  t: TestBmc,
  match: FaultMatch,
  action: FaultAction,
  limits: Partial<FaultLimits> = {},
) {
  return addRule(t.bmc, match, action, limits);
}

function verdict(t: TestBmc, netfn: number, cmd: number, data: number[] = []): Verdict {
  return t.bmc.handle({ netfn, lun: 0, cmd, data: Uint8Array.from(data) });
}

const DEVICE_ID: FaultMatch = { netfn: NetFn.App, cmd: AppCmd.GetDeviceId };

Deno.test("error: answers the code and the handler does not run", () => {
  const t = testBmc();
  rule(t, { netfn: NetFn.App, cmd: AppCmd.SetWatchdogTimer }, { type: "error", cc: 0xc0 });
  const v = verdict(t, NetFn.App, AppCmd.SetWatchdogTimer, [0x04, 0x01, 0, 0, 10, 0]);
  assert.equal(v.kind, "reply");
  assert.equal((v as { response: { cc: number } }).response.cc, 0xc0);
  assert.equal(t.bmc.watchdog.initialized, false, "no side effect");
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0, "other commands unaffected");
});

Deno.test("drop: nothing is answered", () => {
  const t = testBmc();
  rule(t, DEVICE_ID, { type: "drop", unsafeSeq: "hang" });
  const v = verdict(t, NetFn.App, AppCmd.GetDeviceId);
  assert.equal(v.kind, "drop");
});

Deno.test("delay: the handler runs now, the reply is marked for later", () => {
  const t = testBmc();
  rule(t, { netfn: NetFn.App, cmd: AppCmd.SetWatchdogTimer }, { type: "delay", ms: 2500 });
  const v = verdict(t, NetFn.App, AppCmd.SetWatchdogTimer, [0x04, 0x01, 0, 0, 10, 0]);
  assert.equal(v.kind === "reply" && v.delayMs, 2500);
  assert.equal(t.bmc.watchdog.initialized, true);
});

Deno.test("corrupt and duplicate: the handler runs, the session gets the wire fault", () => {
  const t = testBmc();
  rule(t, DEVICE_ID, { type: "corrupt", how: "netfn" }, { count: 1 });
  rule(t, DEVICE_ID, { type: "duplicate", gapMs: 5 });
  const a = verdict(t, NetFn.App, AppCmd.GetDeviceId);
  const b = verdict(t, NetFn.App, AppCmd.GetDeviceId);
  assert.deepEqual(a.kind === "reply" && a.wire, { type: "corrupt", how: "netfn" });
  assert.deepEqual(b.kind === "reply" && b.wire, { type: "duplicate", gapMs: 5 });
  assert.equal(a.kind === "reply" && a.response.data.length, 15);
});

Deno.test("match by netfn only, by command, by data prefix", () => {
  const t = testBmc();
  rule(t, { netfn: NetFn.Storage }, { type: "error", cc: 0xc1 });
  rule(t, { netfn: NetFn.App, cmd: AppCmd.GetChannelInfo, dataPrefix: Uint8Array.of(0x0f) }, {
    type: "error",
    cc: 0xcc,
  });
  assert.equal(t.send(NetFn.Storage, 0x40).cc, 0xc1);
  assert.equal(t.send(NetFn.App, AppCmd.GetChannelInfo, [0x0f]).cc, 0xcc);
  assert.equal(t.send(NetFn.App, AppCmd.GetChannelInfo, [0x00]).cc, 0x00);
});

Deno.test("skip N lets the first N matches through; count M fires M times then removes the rule", () => {
  const t = testBmc();
  const r = rule(t, DEVICE_ID, { type: "error", cc: 0xc0 }, { skip: 2, count: 3 });
  const ccs = Array.from({ length: 7 }, () => t.send(NetFn.App, AppCmd.GetDeviceId).cc);
  assert.deepEqual(ccs, [0, 0, 0xc0, 0xc0, 0xc0, 0, 0]);
  assert.equal(r.fired, 3);
  assert.equal(r.matched, 5);
  assert.equal(t.bmc.faults.list().length, 0);
  assert.deepEqual(t.events.of("fault.removed").at(-1), {
    ruleId: r.id,
    reason: "count reached",
    matched: 5,
    fired: 3,
  });
  assert.equal(t.events.of("fault.fired").length, 3);
});

Deno.test("probability: the seeded generator reproduces the same hits", () => {
  const pattern = (seed: number) => {
    const t = testBmc();
    rule(t, DEVICE_ID, { type: "error", cc: 0xc0 }, { probability: 0.3, seed });
    return Array.from(
      { length: 200 },
      () => t.send(NetFn.App, AppCmd.GetDeviceId).cc === 0xc0 ? 1 : 0,
    ).join("");
  };
  const a = pattern(1234);
  assert.equal(a, pattern(1234), "same seed, same faults");
  assert.notEqual(a, pattern(4321), "another seed, other faults");
  const hits = [...a].filter((c) => c === "1").length;
  assert.ok(hits > 40 && hits < 80, `${hits} hits of 200 at p=0.3`);
});

Deno.test("durationMs and until expire the rule exactly at the deadline", () => {
  const t = testBmc();
  rule(t, DEVICE_ID, { type: "error", cc: 0xc0 }, { durationMs: 1000 });
  t.clock.advance(999);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xc0);
  t.clock.advance(1);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
  assert.equal(t.events.of("fault.removed").at(-1)!.reason, "expired");
  rule(t, DEVICE_ID, { type: "error", cc: 0xc3 }, { untilWallMs: t.clock.wallMs() + 500 });
  t.clock.advance(499);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xc3);
  t.clock.advance(1);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
});

Deno.test("rules are tried in order; the first that fires wins; remove and clear", () => {
  const t = testBmc();
  const first = rule(t, DEVICE_ID, { type: "error", cc: 0xc0 }, { count: 1 });
  rule(t, DEVICE_ID, { type: "error", cc: 0xd5 });
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xc0);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xd5);
  assert.equal(t.bmc.faults.remove(first.id), false, "already gone");
  assert.equal(t.bmc.faults.clear(), 1);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
});
