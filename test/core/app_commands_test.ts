import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

Deno.test("Get Device ID reports the profile identity", () => {
  const { send } = testBmc();
  const r = send(NetFn.App, AppCmd.GetDeviceId);
  assert.equal(r.cc, 0);
  // dev id, rev, fw 2 (available), .34 BCD, IPMI 2.0, support, mfg 32473 LE, product 7, aux
  assert.deepEqual([...r.data], [
    0x20,
    0x01,
    0x02,
    0x34,
    0x02,
    0x85,
    0xd9,
    0x7e,
    0x00,
    0x07,
    0x00,
    1,
    2,
    3,
    4,
  ]);
});

Deno.test("Get Device ID reports 'device unavailable' while initialising", () => {
  const { send, clock } = testBmc({ config: { quirks: { initialisingMs: 1000 } } });
  assert.equal(send(NetFn.App, AppCmd.GetDeviceId).data[2]! & 0x80, 0x80);
  clock.advance(999);
  assert.equal(send(NetFn.App, AppCmd.GetDeviceId).data[2]! & 0x80, 0x80);
  clock.advance(1);
  assert.equal(send(NetFn.App, AppCmd.GetDeviceId).data[2]! & 0x80, 0);
});

Deno.test("GUIDs come from the profile in IPMI byte order, or are unsupported", () => {
  const { send } = testBmc({ config: { systemGuid: null } });
  const r = send(NetFn.App, AppCmd.GetDeviceGuid);
  assert.deepEqual([...r.data], [
    0xff,
    0xee,
    0xdd,
    0xcc,
    0xbb,
    0xaa,
    0x99,
    0x88,
    0x77,
    0x66,
    0x55,
    0x44,
    0x33,
    0x22,
    0x11,
    0x00,
  ]);
  assert.equal(send(NetFn.App, AppCmd.GetSystemGuid).cc, 0xc1);
});

Deno.test("Get Self Test Results, ACPI power state", () => {
  const { send } = testBmc();
  assert.deepEqual([...send(NetFn.App, AppCmd.GetSelfTestResults).data], [0x55, 0x00]);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetAcpiPowerState).data], [0x2a, 0x2a]);
  assert.equal(send(NetFn.App, AppCmd.SetAcpiPowerState, [0x80, 0x80]).cc, 0);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetAcpiPowerState).data], [0x00, 0x00]);
  assert.equal(send(NetFn.App, AppCmd.SetAcpiPowerState, [0x80 | 0x55, 0x00]).cc, 0xcc);
  assert.equal(send(NetFn.App, AppCmd.SetAcpiPowerState, [0x05, 0x7f]).cc, 0);
  assert.deepEqual(
    [...send(NetFn.App, AppCmd.GetAcpiPowerState).data],
    [0x00, 0x00],
    "set bit clear: no change",
  );
});

Deno.test("Set BMC Global Enables bit 0 announces ENABLE_IRQ / DISABLE_IRQ", () => {
  const { send, link } = testBmc();
  assert.deepEqual([...send(NetFn.App, AppCmd.GetBmcGlobalEnables).data], [0x08]);
  send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x09]);
  assert.deepEqual(link.sent, ["irq:on"]);
  send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0d]);
  assert.deepEqual(link.sent, ["irq:on"], "no change, nothing sent");
  send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0c]);
  assert.deepEqual(link.sent, ["irq:on", "irq:off"]);
  assert.equal(send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x10]).cc, 0xcc, "reserved bit 4");
});

Deno.test("message flags drive ATTN and ATTN_IRQ; empty fetches answer 0x80", () => {
  const { bmc, send, link } = testBmc();
  assert.equal(send(NetFn.App, AppCmd.GetMessage).cc, 0x80);
  assert.equal(send(NetFn.App, AppCmd.ReadEventMessageBuffer).cc, 0x80);
  send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0c]); // event buffer on, no IRQs
  bmc.logEvent({
    generatorId: 0x41,
    evmRev: 0x04,
    sensorType: 0x20,
    sensorNumber: 1,
    eventDirType: 0x6f,
    data: [0x01],
  }, "test");
  assert.deepEqual(link.sent, ["attn:attn"]);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetMessageFlags).data], [0x02]);
  const event = send(NetFn.App, AppCmd.ReadEventMessageBuffer);
  assert.equal(event.cc, 0);
  assert.equal(event.data.length, 16);
  assert.equal(event.data[10], 0x20, "sensor type");
  assert.deepEqual(link.sent, ["attn:attn", "attn:none"]);
  send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0e]); // + event-buffer-full IRQ
  bmc.messaging.offerEvent(new Uint8Array(16));
  assert.deepEqual(link.sent.slice(-2), ["irq:on", "attn:attn-irq"]);
  send(NetFn.App, AppCmd.ClearMessageFlags, [0x02]);
  assert.equal(link.sent.at(-1), "attn:none");
  assert.deepEqual([...send(NetFn.App, AppCmd.GetMessageFlags).data], [0x00]);
});

Deno.test("Get Channel Info reports profile channels; 0x0E means the system interface", () => {
  const { send } = testBmc();
  assert.deepEqual([...send(NetFn.App, AppCmd.GetChannelInfo, [0]).data], [
    0,
    1,
    1,
    0,
    0xf2,
    0x1b,
    0x00,
    0,
    0,
  ]);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetChannelInfo, [15]).data].slice(0, 3), [
    15,
    0x0c,
    0x05,
  ]);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetChannelInfo, [14]).data].slice(0, 3), [
    15,
    0x0c,
    0x05,
  ]);
  assert.equal(send(NetFn.App, AppCmd.GetChannelInfo, [3]).cc, 0xcc);
});

Deno.test("Get System Interface Capabilities for SSIF and KCS", () => {
  const { send } = testBmc();
  assert.deepEqual([...send(NetFn.App, AppCmd.GetSystemInterfaceCapabilities, [0]).data], [
    0,
    0x80,
    0xff,
    0xff,
  ]);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetSystemInterfaceCapabilities, [1]).data], [
    0,
    0,
    0xff,
  ]);
  assert.equal(send(NetFn.App, AppCmd.GetSystemInterfaceCapabilities, [5]).cc, 0xcc);
});

Deno.test("profile unsupportedCommands are answered 0xC1", () => {
  const { send } = testBmc({ config: { unsupportedCommands: ["app/get-channel-info"] } });
  assert.equal(send(NetFn.App, AppCmd.GetChannelInfo, [0]).cc, 0xc1);
});

Deno.test("Cold Reset restores defaults after the response and forgets the watchdog", () => {
  const { send, clock, events, bmc } = testBmc();
  send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0f]);
  send(NetFn.App, AppCmd.SetWatchdogTimer, [0x44, 0x01, 0, 0, 100, 0]);
  assert.equal(send(NetFn.App, AppCmd.ColdReset).cc, 0);
  assert.deepEqual(
    [...send(NetFn.App, AppCmd.GetBmcGlobalEnables).data],
    [0x0f],
    "not before the response went out",
  );
  clock.advance(0);
  assert.equal(bmc.acceptingConnections(), false, "the profile's reset: disconnect for 5 s");
  clock.advance(5000);
  assert.deepEqual([...send(NetFn.App, AppCmd.GetBmcGlobalEnables).data], [0x08]);
  assert.equal(send(NetFn.App, AppCmd.ResetWatchdogTimer).cc, 0x80);
  assert.deepEqual(events.types().filter((t) => t.startsWith("bmc.")), ["bmc.reset", "bmc.ready"]);
});
