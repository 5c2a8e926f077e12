/**
 * Issue 3 end to end: the qmp power backend drives the real VM — a guest's
 * `ipmitool chassis power cycle` reboots it, and a watchdog with
 * action=power_off leaves it powered off with QEMU still alive.
 */

import assert from "node:assert/strict";
import { withGuest } from "../../tools/e2e/mod.ts";
import { e2eTest } from "./_e2e.ts";

e2eTest(
  "e2e power (qmp): chassis power cycle reboots the guest; watchdog power_off pauses it",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs", qmp: true }, async ({ guest, bmc }) => {
      await bmc.log.waitFor(/QEMU monitor connected/, { timeoutMs: 10_000, fromStart: true });
      assert.match(await guest.ok("ipmitool chassis power status"), /Chassis Power is on/);
      assert.match(await guest.ok("ipmitool chassis power cycle"), /Chassis Power Control: Cycle/);
      await bmc.log.waitFor(/"power operation via QMP".*"op":"cycle"/, {
        timeoutMs: 5000,
        fromStart: true,
      });
      await guest.waitReady(60_000, 2);
      assert.match(
        await guest.ok("ipmitool chassis restart_cause"),
        /System restart cause: chassis power control command/,
      );

      await guest.ok("insmod /lib/modules/e2e/ipmi_watchdog.ko action=power_off timeout=5");
      await guest.ok("(exec 3>/dev/watchdog; echo 1 >&3; exec sleep 1000) >/dev/null 2>&1 &");
      await bmc.log.waitFor(/"watchdog expired".*"action":"power-down"/, { timeoutMs: 20_000 });
      const off = await bmc.log.waitFor(/"power operation via QMP".*"op":"off"/, {
        timeoutMs: 5000,
        fromStart: true,
      });
      await bmc.log.waitFor(/"QMP event".*"event":"STOP"/, {
        timeoutMs: 5000,
        fromIndex: bmc.log.lines.indexOf(off),
      });

      // The VM is paused: the agent cannot answer, but QEMU is alive.
      await assert.rejects(() => guest.run("echo still running", 3000), /timed out/);
      assert.equal(guest.exited, false, "QEMU is still alive");
      assert.ok(!bmc.log.text.includes("QEMU monitor disconnected"));
    });
  },
);
