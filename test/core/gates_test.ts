import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import { addRule } from "../_helpers/faults.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

const DEVICE_ID = { netfn: NetFn.App, lun: 0, cmd: AppCmd.GetDeviceId, data: new Uint8Array() };
const RESET_WDT = {
  netfn: NetFn.App,
  lun: 0,
  cmd: AppCmd.ResetWatchdogTimer,
  data: new Uint8Array(),
};

Deno.test("BmcGates.check() lets a request through only when every gate is open", () => {
  const t = testBmc();
  const gates = t.bmc.gates;
  assert.equal(gates.check(DEVICE_ID, "system"), null, "open: the handler answers");

  gates.beginReset({
    mode: "busy",
    durationMs: 1000,
    busyCc: 0xc0,
    watchdog: "keep",
    resetWatchdogCc: 0xd5,
  }, "test");
  const busy = gates.check(DEVICE_ID, "system");
  assert.equal(busy?.kind, "reply");
  assert.equal(busy?.kind === "reply" && busy.response.cc, 0xc0, "busy while resetting");
  t.clock.advance(1000);
  assert.equal(gates.check(DEVICE_ID, "system"), null, "back after the reset");
  const broken = gates.check(RESET_WDT, "system");
  assert.equal(broken?.kind === "reply" && broken.response.cc, 0xd5, "broken firmware stays");

  gates.startHang({ mode: "silent" }, "test");
  assert.equal(gates.check(DEVICE_ID, "system")?.kind, "drop");
  gates.releaseHang(null);
  addRule(t.bmc, { netfn: NetFn.App, cmd: AppCmd.GetDeviceId }, { type: "error", cc: 0xc1 }, {
    count: 1,
  });
  const fault = gates.check(DEVICE_ID, "system");
  assert.equal(fault?.kind === "reply" && fault.response.cc, 0xc1, "a fault rule answers");
  assert.equal(gates.check(DEVICE_ID, "system"), null, "count 1: open again");
});
