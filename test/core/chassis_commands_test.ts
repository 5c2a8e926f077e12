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

Deno.test("System Boot Options: boot flags persist; unkept parameters 0x80; wrong lengths 0xC7", () => {
  const { send, store, bmc } = testBmc();
  const get = (param: number) =>
    send(NetFn.Chassis, ChassisCmd.GetSystemBootOptions, [param, 0, 0]);
  // Default: parameter version 1, selector 5, flags not valid, EFI, no override.
  assert.deepEqual([...get(5).data], [0x01, 0x05, 0x20, 0x00, 0x00, 0x00, 0x00]);
  // ipmitool chassis bootdev pxe: valid, next boot only, PXE (selector 1 in bits 5:2).
  const set = send(NetFn.Chassis, ChassisCmd.SetSystemBootOptions, [0x05, 0x80, 0x04, 0, 0, 0]);
  assert.equal(set.cc, 0);
  assert.deepEqual([...get(5).data], [0x01, 0x05, 0x80, 0x04, 0x00, 0x00, 0x00]);
  assert.deepEqual(bmc.chassis.bootOptions.flags, {
    valid: true,
    persistent: false,
    efi: false,
    device: "pxe",
  });
  assert.equal(store.getValue("chassis.bootFlags"), "8004000000");
  // Set in progress and the boot info acknowledge mask.
  assert.equal(send(NetFn.Chassis, ChassisCmd.SetSystemBootOptions, [0x00, 0x01]).cc, 0);
  assert.deepEqual([...get(0).data], [0x01, 0x00, 0x01]);
  assert.equal(send(NetFn.Chassis, ChassisCmd.SetSystemBootOptions, [0x04, 0x01, 0x01]).cc, 0);
  assert.deepEqual([...get(4).data], [0x01, 0x04, 0x00, 0x01]);
  // Parameters bmc-emu does not keep, and wrong lengths.
  assert.equal(get(7).cc, 0x80);
  assert.equal(send(NetFn.Chassis, ChassisCmd.SetSystemBootOptions, [0x06, 0]).cc, 0x80);
  assert.equal(send(NetFn.Chassis, ChassisCmd.SetSystemBootOptions, [0x05, 0x80, 0x04]).cc, 0xc7);
  assert.equal(send(NetFn.Chassis, ChassisCmd.GetSystemBootOptions, [0x05]).cc, 0xc7);
  assert.deepEqual([...get(5).data].slice(2, 4), [0x80, 0x04], "a refused set changes nothing");
});
