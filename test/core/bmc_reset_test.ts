import assert from "node:assert/strict";
import { AppCmd, NetFn, StorageCmd } from "../../src/codec/constants.ts";
import type { ResetPlan } from "../../src/core/bmc_reset.ts";
import { type TestBmc, testBmc } from "../_helpers/test_bmc.ts";

const PLAN: ResetPlan = {
  mode: "disconnect",
  durationMs: 10_000,
  busyCc: 0xc0,
  watchdog: "forget",
  resetWatchdogCc: null,
};

/** A BMC with a running watchdog, enables, flags, SEL records and a reservation. */
function busyBmc(): TestBmc & { reservation: number } {
  const t = testBmc();
  t.send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0f]);
  t.send(NetFn.App, AppCmd.SetWatchdogTimer, [0x44, 0x31, 1, 0, 0xe8, 0x03]);
  t.send(NetFn.App, AppCmd.ResetWatchdogTimer);
  t.send(NetFn.Storage, StorageCmd.AddSelEntry, [0, 0, 2, ...new Array(13).fill(1)]);
  const r = t.send(NetFn.Storage, StorageCmd.ReserveSel);
  t.bmc.messaging.offerEvent(new Uint8Array(16));
  return Object.assign(t, { reservation: r.data[0]! | (r.data[1]! << 8) });
}

function assertForgotten(t: TestBmc & { reservation: number }): void {
  assert.equal(t.bmc.watchdog.running, false, "watchdog stopped");
  assert.equal(t.bmc.watchdog.initialized, false, "Reset answers 0x80 until the next Set");
  assert.equal(t.bmc.messaging.globalEnables, 0x08, "global enables back to defaults");
  assert.equal(t.bmc.messaging.flags(), 0, "message flags cleared");
  assert.equal(t.bmc.sel.size, 1, "SEL kept (non-volatile)");
  assert.equal(t.bmc.sel.reservationValid(t.reservation), false, "reservation cancelled");
}

Deno.test("reset in disconnect mode: link closed, reconnects refused until exactly the end", () => {
  const t = busyBmc();
  t.bmc.beginReset(PLAN, "test");
  assert.deepEqual(t.link.disconnects, ["BMC reset (test)"]);
  assertForgotten(t);
  assert.equal(t.bmc.acceptingConnections(), false);
  assert.equal(t.bmc.handle({ netfn: 6, lun: 0, cmd: 1, data: new Uint8Array() }).kind, "drop");
  t.clock.advance(9999);
  assert.equal(t.bmc.acceptingConnections(), false);
  t.clock.advance(1);
  assert.equal(t.bmc.acceptingConnections(), true);
  assert.equal(
    t.send(NetFn.App, AppCmd.ResetWatchdogTimer).cc,
    0x80,
    "spec: the watchdog was forgotten",
  );
  assert.deepEqual(t.events.types().filter((x) => x.startsWith("bmc.")), [
    "bmc.reset",
    "bmc.ready",
  ]);
});

Deno.test("reset in busy mode: every request answered with the busy code", () => {
  const t = busyBmc();
  t.bmc.beginReset({ ...PLAN, mode: "busy", busyCc: 0xd2 }, "test");
  assert.deepEqual(t.link.disconnects, []);
  assertForgotten(t);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xd2);
  assert.equal(t.send(NetFn.Storage, StorageCmd.GetSelInfo).cc, 0xd2);
  t.clock.advance(10_000);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
});

Deno.test("reset in silent mode: nothing is answered", () => {
  const t = busyBmc();
  t.bmc.beginReset({ ...PLAN, mode: "silent" }, "test");
  assertForgotten(t);
  assert.equal(t.bmc.acceptingConnections(), true);
  assert.equal(t.bmc.handle({ netfn: 6, lun: 0, cmd: 1, data: new Uint8Array() }).kind, "drop");
  t.clock.advance(10_000);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
});

Deno.test("reset keeping the watchdog: it keeps counting and acts during the outage", () => {
  const t = busyBmc();
  t.bmc.beginReset({ ...PLAN, mode: "busy", watchdog: "keep" }, "test");
  assert.equal(t.bmc.watchdog.running, true);
  t.clock.advance(100_000);
  assert.ok(t.link.sent.includes("reset"), "the hard reset happened");
});

Deno.test("after a broken-firmware reset, Reset Watchdog answers the code forever; a spec reset repairs it", () => {
  const t = busyBmc();
  t.bmc.beginReset({ ...PLAN, resetWatchdogCc: 0xd5 }, "test");
  assert.equal(t.bmc.resetWatchdogCc, null, "not during the outage");
  t.clock.advance(10_000);
  assert.equal(t.bmc.resetWatchdogCc, 0xd5);
  assert.equal(t.send(NetFn.App, AppCmd.ResetWatchdogTimer).cc, 0xd5);
  assert.equal(t.send(NetFn.App, AppCmd.SetWatchdogTimer, [0x44, 0x01, 0, 0, 10, 0]).cc, 0);
  assert.equal(t.send(NetFn.App, AppCmd.ResetWatchdogTimer).cc, 0xd5);
  assert.equal(t.bmc.watchdog.running, false, "protection silently lost");
  t.clock.advance(600_000);
  assert.equal(t.send(NetFn.App, AppCmd.ResetWatchdogTimer).cc, 0xd5, "forever");
  t.bmc.beginReset({ ...PLAN, durationMs: 1 }, "repair");
  t.clock.advance(1);
  assert.equal(t.send(NetFn.App, AppCmd.ResetWatchdogTimer).cc, 0x80);
});

Deno.test("in-band Cold Reset runs the same machinery with the profile's duration and mode", () => {
  const t = testBmc({
    config: { quirks: { resetDurationMs: 3000, resetMode: "busy", resetBusyCc: "0xd2" } },
  });
  assert.equal(t.send(NetFn.App, AppCmd.ColdReset).cc, 0, "answered first");
  t.clock.advance(0);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xd2);
  t.clock.advance(2999);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xd2);
  t.clock.advance(1);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
  assert.equal(t.events.of("bmc.reset")[0]!.origin, "cold-reset");
});

Deno.test("fault rules do not apply during an outage, and resume after it", () => {
  const t = testBmc();
  t.bmc.faults.add({
    match: {},
    action: { type: "error", cc: 0xc0 },
    limits: { skip: 0, count: null, probability: 1, seed: 1, untilWallMs: null, durationMs: null },
  });
  t.bmc.beginReset({ ...PLAN, mode: "busy", busyCc: 0xd2, durationMs: 100 }, "test");
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xd2);
  t.clock.advance(100);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0xc0);
});
