import assert from "node:assert/strict";
import { ChassisCmd, NetFn } from "../../src/codec/constants.ts";
import { POWER_CYCLE_GAP_MS, QmpPowerBackend } from "../../src/power/qmp_power_backend.ts";
import { FakeQmp } from "../_helpers/fake_qmp.ts";
import { RecordingSink, testBmc } from "../_helpers/test_bmc.ts";
import type { BmcEventType, EventData } from "../../src/core/events.ts";
import { captureLog } from "../_helpers/captured_log.ts";
import { withDeadline } from "../_helpers/deadline.ts";
import { SteppedClock } from "../_helpers/stepped_clock.ts";

async function setup() {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-qmp-" });
  const qmp = FakeQmp.listen(`${dir}/qmp.sock`);
  const clock = new SteppedClock();
  const captured = captureLog();
  const backend = new QmpPowerBackend({
    endpoint: { transport: "unix", path: qmp.path },
    clock,
    events: new RecordingSink(),
    log: captured.log,
  });
  const t = testBmc({ power: backend, clock });
  return {
    qmp,
    clock,
    backend,
    t,
    /** Let the grace delay (and a cycle's gap) pass as they are set; the first `n` commands. */
    commands(n: number): Promise<string[]> {
      return clock.runUntil(qmp.received(n), `${n} QMP commands`);
    },
    /** The monitor connection (the `from`-th line on: a reconnect is a later one). */
    connected(from = 0): Promise<string> {
      return captured.logged(/QEMU monitor connected/, 10_000, from);
    },
    /** The backend's first log line matching `pattern`. */
    logged(pattern: RegExp): Promise<string> {
      return captured.logged(pattern, 10_000);
    },
    /** Log lines so far (where to look for the next "connected" from). */
    get logLines(): number {
      return captured.lines.length;
    },
    /** The BMC's first event of `type` that `where` accepts. */
    event(type: BmcEventType, where: (data: EventData) => boolean = () => true): Promise<unknown> {
      return withDeadline(t.events.next(type, where), type);
    },
    /** The BMC's first power change to `to`. */
    power(to: string): Promise<unknown> {
      return withDeadline(
        t.events.next("power.changed", (d) => (d as { to: string }).to === to),
        `power ${to}`,
      );
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
  await s.connected();
  assert.deepEqual(s.qmp.commands, ["qmp_capabilities", "query-status"]);
  assert.equal(s.t.bmc.chassis.power, "on");
});

Deno.test("qmp backend: power off pauses, power on resets and continues", async () => {
  await using s = await setup();
  s.backend.start();
  await s.connected();
  assert.equal(s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x00]).cc, 0);
  assert.deepEqual((await s.commands(3)).slice(2), ["stop"]);
  await s.power("off");
  assert.equal(s.t.bmc.chassis.power, "off");
  await s.logged(/QMP event.*"STOP"/); // the backend saw the VM pause
  assert.equal(
    s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]).cc,
    0xd5,
    "no hard reset while off",
  );
  assert.equal(s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x01]).cc, 0);
  assert.deepEqual((await s.commands(5)).slice(3), ["system_reset", "cont"]);
  await s.power("on");
  assert.deepEqual([...s.t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [
    0x01,
    0x00,
  ]);
});

Deno.test("qmp backend: power cycle waits the gap between off and on", async () => {
  await using s = await setup();
  s.backend.start();
  await s.connected();
  s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x02]);
  assert.equal(s.t.bmc.chassis.power, "cycling");
  await s.commands(3);
  assert.equal(s.qmp.commands.length, 3, "stop only: the gap is on the clock");
  const before = s.clock.now();
  const all = await s.commands(5);
  assert.deepEqual(all.slice(2), ["stop", "system_reset", "cont"]);
  assert.equal(s.clock.now() - before, POWER_CYCLE_GAP_MS);
  await s.power("on");
  assert.equal(s.t.bmc.chassis.power, "on");
});

Deno.test("qmp backend: a guest-initiated RESET stops the watchdog; SHUTDOWN powers off", async () => {
  await using s = await setup();
  s.backend.start();
  await s.connected();
  s.t.send(NetFn.App, 0x24, [0x44, 0x01, 0, 0, 100, 0]);
  s.t.send(NetFn.App, 0x22);
  assert.equal(s.t.bmc.watchdog.running, true);
  await s.qmp.event("RESET", { guest: true, reason: "guest-reset" });
  await s.event("watchdog.stopped");
  assert.equal(s.t.bmc.watchdog.running, false, "the guest reset stopped the watchdog");
  assert.deepEqual([...s.t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [
    0x0a,
    0x00,
  ]);
  await s.qmp.event("SHUTDOWN", { guest: true, reason: "guest-shutdown" });
  await s.power("off");
  assert.equal(s.t.bmc.chassis.power, "off", "SHUTDOWN powered off");
});

Deno.test("qmp backend: QEMU going away means power off; it reconnects when QEMU is back", async () => {
  await using s = await setup();
  s.backend.start();
  await s.connected();
  const from = s.logLines;
  s.qmp.dropClient();
  await s.power("off");
  assert.equal(s.backend.connected, false);
  // The reconnect backoff runs on the clock: each delay passes as it is set.
  await s.clock.runUntil(s.connected(from), "the reconnect");
  assert.equal(s.backend.connected, true);
  await s.power("on");
  assert.equal(s.t.bmc.chassis.power, "on", "power on after reconnect");
});

Deno.test("qmp backend: the firmware's reset right after a reset is not a guest reboot", async () => {
  await using s = await setup();
  s.backend.start();
  await s.connected();
  s.t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]); // hard reset via system_reset
  await s.commands(3);
  await s.qmp.event("RESET", { guest: true, reason: "guest-reset" }); // SeaBIOS, ~25 ms later
  s.t.send(NetFn.App, 0x24, [0x44, 0x01, 0, 0, 100, 0]);
  s.t.send(NetFn.App, 0x22);
  await s.qmp.event("SHUTDOWN", { guest: true, reason: "guest-shutdown" }); // a later event, to sync on
  await s.power("off"); // SHUTDOWN processed, so the RESET before it was too
  assert.equal(s.t.bmc.watchdog.running, true, "the echo did not stop the watchdog");
  assert.deepEqual([...s.t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [
    0x01,
    0x00,
  ]);
});
