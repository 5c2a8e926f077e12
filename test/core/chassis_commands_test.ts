import assert from "node:assert/strict";
import { ChassisCmd, NetFn } from "../../src/codec/constants.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

Deno.test("Get Chassis Status reports the power model", () => {
  const { bmc, send } = testBmc();
  assert.equal(send(NetFn.Chassis, ChassisCmd.GetChassisStatus).data[0]! & 1, 1);
  bmc.chassis.powerChanged("off", "test");
  assert.equal(send(NetFn.Chassis, ChassisCmd.GetChassisStatus).data[0]! & 1, 0);
});

Deno.test("Chassis Control maps to VM commands with the vm backend", async (t) => {
  const cases: [number, string][] = [[0x00, "power-off"], [0x03, "reset"], [0x04, "nmi"], [
    0x05,
    "graceful-shutdown",
  ], [0x02, "reset"]];
  for (const [value, action] of cases) {
    await t.step(`control ${value} → ${action}`, () => {
      const { send, link } = testBmc();
      assert.equal(send(NetFn.Chassis, ChassisCmd.ChassisControl, [value]).cc, 0);
      assert.deepEqual(link.sent, [action]);
    });
  }
  await t.step("power up → 0xD5 with the vm backend", () => {
    const { send, link } = testBmc();
    assert.equal(send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x01]).cc, 0xd5);
    assert.deepEqual(link.sent, []);
  });
  await t.step("not advertised → 0xD5, nothing sent", () => {
    const { send, link } = testBmc();
    link.caps = 0x3f & ~0x02;
    assert.equal(send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]).cc, 0xd5);
    assert.deepEqual(link.sent, []);
  });
  await t.step("invalid value → 0xCC", () => {
    const { send } = testBmc();
    assert.equal(send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x06]).cc, 0xcc);
  });
});

Deno.test("Get System Restart Cause follows who reset the host", () => {
  const { send } = testBmc();
  assert.deepEqual([...send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [0x00, 0x00]);
  send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]);
  assert.deepEqual([...send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [0x01, 0x00]);
});

Deno.test("Set Power Restore Policy persists in the store", () => {
  const { send, store } = testBmc();
  assert.deepEqual([...send(NetFn.Chassis, ChassisCmd.SetPowerRestorePolicy, [0x02]).data], [0x07]);
  assert.equal(send(NetFn.Chassis, ChassisCmd.GetChassisStatus).data[0]! >> 5 & 3, 2);
  assert.equal(store.getValue("chassis.restorePolicy"), "2");
  assert.equal(send(NetFn.Chassis, ChassisCmd.SetPowerRestorePolicy, [0x04]).cc, 0xcc);
});

Deno.test("Chassis capabilities and identify", () => {
  const { send } = testBmc();
  assert.deepEqual([...send(NetFn.Chassis, ChassisCmd.GetChassisCapabilities).data], [
    0x04,
    0x20,
    0x20,
    0x20,
    0x20,
  ]);
  send(NetFn.Chassis, ChassisCmd.ChassisIdentify, [0, 1]);
  assert.equal(send(NetFn.Chassis, ChassisCmd.GetChassisStatus).data[2]! & 0x30, 0x20);
});
