import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { ChassisCmd, NetFn } from "../../src/codec/constants.ts";
import { NullLogger } from "../../src/log/logger.ts";
import { POWER_CYCLE_GAP_MS, QmpPowerBackend } from "../../src/power/qmp_power_backend.ts";
import { FakeQmp } from "../_helpers/fake_qmp.ts";
import { RecordingSink, testBmc } from "../_helpers/test_bmc.ts";
import { waitUntil } from "../_helpers/wait.ts";

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-qmp-" });
  const qmp = FakeQmp.listen(`${dir}/qmp.sock`);
  const clock = new ManualClock();
  const backend = new QmpPowerBackend({
    endpoint: { transport: "unix", path: qmp.path },
    clock,
    events: new RecordingSink(),
    log: new NullLogger(),
  });
  const t = testBmc({ power: backend, clock });
  return {
    qmp,
    clock,
    backend,
    t,
    /** Let the grace delay pass and wait for `n` recorded commands. */
    async commands(n: number): Promise<string[]> {
      await waitUntil(() => {
        clock.advance(50);
        return qmp.commands.length >= n;
      }, `${n} QMP commands`);
      return qmp.commands.slice();
    },
    async [Symbol.asyncDispose]() {
      t.bmc.close();
      await backend.close();
      await qmp.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("qmp backend: nothing is possible until the monitor is connected", async () => {
  await using s = await setup();
  assert.equal(s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x00]).cc, 0xd5);
  s.backend.start();
  await waitUntil(() => s.backend.connected, "QMP connect");
  assert.deepEqual(s.qmp.commands, ["qmp_capabilities", "query-status"]);
  assert.equal(s.t.bmc.chassis.power, "on");
});

Deno.test("qmp backend: power off pauses, power on resets and continues", async () => {
  await using s = await setup();
  s.backend.start();
  await waitUntil(() => s.backend.connected, "QMP connect");
  assert.equal(s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x00]).cc, 0);
  assert.deepEqual((await s.commands(3)).slice(2), ["stop"]);
  await waitUntil(() => s.t.bmc.chassis.power === "off", "power off");
  assert.equal(
    s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]).cc,
    0xd5,
    "no hard reset while off",
  );
  assert.equal(s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x01]).cc, 0);
  assert.deepEqual((await s.commands(5)).slice(3), ["system_reset", "cont"]);
  await waitUntil(() => s.t.bmc.chassis.power === "on", "power on");
  assert.deepEqual([...s.t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [
    0x01,
    0x00,
  ]);
});

Deno.test("qmp backend: power cycle waits the gap between off and on", async () => {
  await using s = await setup();
  s.backend.start();
  await waitUntil(() => s.backend.connected, "QMP connect");
  s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x02]);
  assert.equal(s.t.bmc.chassis.power, "cycling");
  await s.commands(3);
  await waitUntil(() => s.qmp.commands.length === 3, "stop only");
  const before = s.clock.now();
  const all = await s.commands(5);
  assert.deepEqual(all.slice(2), ["stop", "system_reset", "cont"]);
  assert.ok(s.clock.now() - before >= POWER_CYCLE_GAP_MS - 50);
  await waitUntil(() => s.t.bmc.chassis.power === "on", "power back on");
});

Deno.test("qmp backend: a guest-initiated RESET stops the watchdog; SHUTDOWN powers off", async () => {
  await using s = await setup();
  s.backend.start();
  await waitUntil(() => s.backend.connected, "QMP connect");
  s.t.send(NetFn.App, 0x24, [0x44, 0x01, 0, 0, 100, 0]);
  s.t.send(NetFn.App, 0x22);
  assert.equal(s.t.bmc.watchdog.running, true);
  await s.qmp.event("RESET", { guest: true, reason: "guest-reset" });
  await waitUntil(() => !s.t.bmc.watchdog.running, "watchdog stopped by the guest reset");
  assert.deepEqual([...s.t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [
    0x0a,
    0x00,
  ]);
  await s.qmp.event("SHUTDOWN", { guest: true, reason: "guest-shutdown" });
  await waitUntil(() => s.t.bmc.chassis.power === "off", "power off on SHUTDOWN");
});

Deno.test("qmp backend: QEMU going away means power off; it reconnects when QEMU is back", async () => {
  await using s = await setup();
  s.backend.start();
  await waitUntil(() => s.backend.connected, "QMP connect");
  s.qmp.dropClient();
  await waitUntil(() => s.t.bmc.chassis.power === "off", "power off");
  await waitUntil(() => {
    s.clock.advance(100);
    return s.backend.connected;
  }, "reconnect");
  await waitUntil(() => s.t.bmc.chassis.power === "on", "power on after reconnect");
});

Deno.test("qmp backend: the firmware's reset right after a reset is not a guest reboot", async () => {
  await using s = await setup();
  s.backend.start();
  await waitUntil(() => s.backend.connected, "QMP connect");
  s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]); // hard reset via system_reset
  await s.commands(3);
  await s.qmp.event("RESET", { guest: true, reason: "guest-reset" }); // SeaBIOS, ~25 ms later
  s.t.send(NetFn.App, 0x24, [0x44, 0x01, 0, 0, 100, 0]);
  s.t.send(NetFn.App, 0x22);
  await s.qmp.event("SHUTDOWN", { guest: true, reason: "guest-shutdown" }); // a later event, to sync on
  await waitUntil(() => s.t.bmc.chassis.power === "off", "SHUTDOWN processed");
  assert.equal(s.t.bmc.watchdog.running, true, "the echo did not stop the watchdog");
  assert.deepEqual([...s.t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [
    0x01,
    0x00,
  ]);
});
