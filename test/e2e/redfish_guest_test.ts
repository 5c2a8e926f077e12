/**
 * Issue 14 end to end: Ironic's Redfish library (Debian's python3-sushy)
 * drives the Redfish service of a real `serve` process with a real Linux guest
 * attached — a session, the collections and PowerState; ForceRestart and
 * PowerCycle reboot the running guest (the guest's boot id changes, its tmpfs
 * marker is gone); Manager.Reset is the BMC reset the guest's IPMI driver
 * sees (the VM link drops and comes back, the guest's ipmitool fails and
 * recovers); the SEL records the guest's panic wrote are LogEntries; the
 * sensors read. One guest for all of it.
 */

import assert from "node:assert/strict";
import { ApiClient } from "../../src/cli/api_client.ts";
import { fromFileUrl } from "../../src/util/file_url.ts";
import { type BmcProcess, type QemuGuest, withGuest } from "../../tools/e2e/mod.ts";
import { PYTHON, runs } from "../_helpers/programs.ts";
import { e2eTest } from "./_e2e.ts";

const SCRIPT = fromFileUrl(new URL("./sushy_guest.py", import.meta.url));
const USER = "ironic";
const PASSWORD = "redfish-e2e-pw";

const haveSushy = await runs(PYTHON, ["-c", "import sushy"]);

// deno-lint-ignore no-explicit-any
type Step = Record<string, any>;

/** Run one step of the sushy script; its JSON report. */
async function sushy(redfish: string, step: string, ...args: string[]): Promise<Step> {
  const out = await new Deno.Command(PYTHON, {
    args: [SCRIPT, redfish, USER, PASSWORD, step, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const dec = new TextDecoder();
  const text = `${dec.decode(out.stdout)}${dec.decode(out.stderr)}`;
  assert.equal(out.code, 0, `sushy ${step} ${args.join(" ")} failed:\n${text}`);
  const line = dec.decode(out.stdout).split("\n").findLast((l) => l.startsWith("{"));
  assert.ok(line, `sushy ${step} reported nothing:\n${text}`);
  const report = JSON.parse(line) as Step;
  assert.equal(report.step, step);
  assert.ok(report.session.key, `sushy ${step} logged in with a session (X-Auth-Token)`);
  assert.match(String(report.session.resource), /^\/redfish\/v1\/SessionService\/Sessions\/\w+$/);
  return report;
}

interface Ev {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

/** The first event of `type` after event id `after`, waited for on the HTTP API. */
function eventAfter(api: ApiClient, type: string, after: number, timeout = "60s"): Promise<Ev> {
  return api.json<Ev>(
    "GET",
    `/api/v1/bmcs/bmc0/events/wait?type=${type}&after=${after}&timeout=${timeout}`,
  );
}

async function lastEventId(api: ApiClient): Promise<number> {
  return (await api.json<{ lastEventId: number }>("GET", "/api/v1/bmcs/bmc0")).lastEventId;
}

/** Mark this boot: a file in the guest's tmpfs, and its boot id. */
async function markBoot(guest: QemuGuest): Promise<string> {
  await guest.ok("echo before-reset > /tmp/redfish-marker");
  return (await guest.ok("cat /proc/sys/kernel/random/boot_id")).trim();
}

/** The guest booted again since {@link markBoot}: a new boot id, the marker gone. */
async function assertRebooted(guest: QemuGuest, bootId: string, what: string): Promise<void> {
  const now = (await guest.ok("cat /proc/sys/kernel/random/boot_id")).trim();
  assert.notEqual(now, bootId, `${what}: the guest has a new boot id`);
  assert.match(
    await guest.ok("test -e /tmp/redfish-marker && echo marker-kept || echo marker-gone"),
    /marker-gone/,
    `${what}: the guest's tmpfs was lost`,
  );
}

function redfishUrl(bmc: BmcProcess): string {
  const entry = bmc.entries().find((e) => e.msg === "Redfish listening");
  assert.ok(entry, "Redfish listening is logged");
  return String(entry.url);
}

e2eTest(
  "e2e redfish (sushy): session and collections, ForceRestart and PowerCycle reboot the guest, Manager.Reset is seen in-band, panic SEL entries, sensors",
  async ({ kernel }) => {
    await withGuest({
      kernel,
      iface: "kcs",
      bmc: {
        args: [
          "--redfish-listen",
          "127.0.0.1:0",
          "--lan-user",
          `${USER}:${PASSWORD}:administrator`,
        ],
      },
    }, async ({ guest, bmc }) => {
      const redfish = redfishUrl(bmc);
      const api = new ApiClient(bmc.apiUrl, null);

      // 1. A session, the collections, PowerState of the running guest.
      const inv = await sushy(redfish, "inventory");
      assert.deepEqual(inv.systems, ["/redfish/v1/Systems/1"]);
      assert.deepEqual(inv.managers, ["/redfish/v1/Managers/1"]);
      assert.deepEqual(inv.chassis, ["/redfish/v1/Chassis/1"]);
      assert.equal(inv.power, "On");
      assert.equal(inv.manager_type, "BMC");
      assert.ok(inv.resets.includes("ForceRestart") && inv.resets.includes("PowerCycle"));
      assert.ok(inv.manager_resets.includes("GracefulRestart"));
      assert.equal(inv.uuid, inv.system_uuid, "ServiceRoot UUID is the system GUID");

      // 6. Sensors, through sushy's Thermal view and the Sensors collection.
      const sensors = await sushy(redfish, "sensors");
      assert.equal(sensors.power, "On");
      const temperatures = Object.values(sensors.temperatures) as (number | null)[];
      assert.ok(temperatures.length > 0, JSON.stringify(sensors));
      assert.ok(temperatures.every((t) => typeof t === "number"), JSON.stringify(sensors));
      assert.ok(Object.keys(sensors.sensors).length >= temperatures.length);
      assert.ok(
        (Object.values(sensors.sensors) as Step[]).some((s) => s.ReadingUnits === "Cel"),
        JSON.stringify(sensors.sensors),
      );
      assert.ok("Watchdog" in sensors.sensors, "the watchdog sensor is a Redfish Sensor");

      // 2. ForceRestart reboots the running guest.
      let bootId = await markBoot(guest);
      let mark = await lastEventId(api);
      const restart = await sushy(redfish, "reset", "ForceRestart");
      assert.equal(restart.power, "On");
      await eventAfter(api, "host.reset", mark);
      await guest.waitReady(60_000, 2);
      await assertRebooted(guest, bootId, "ForceRestart");
      assert.match(
        await guest.ok("ipmitool chassis restart_cause"),
        /System restart cause: chassis power control command/,
      );

      // 3. PowerCycle likewise.
      bootId = await markBoot(guest);
      mark = await lastEventId(api);
      const cycle = await sushy(redfish, "reset", "PowerCycle");
      assert.equal(cycle.power, "On");
      await eventAfter(api, "host.reset", mark);
      await guest.waitReady(60_000, 3);
      await assertRebooted(guest, bootId, "PowerCycle");
      assert.equal(guest.boots, 3);

      // 5. Manager.Reset: the guest's driver sees the BMC go away and come back. A loop in the
      // guest asks the BMC for its device id and prints each change of outcome on the console.
      await guest.ok(`(prev=; n=0; while :; do
        if ipmitool mc info >/dev/null 2>/tmp/mc.err; then s=ok; else s="fail $(head -n 1 /tmp/mc.err)"; fi
        if [ "\${s%% *}" != "$prev" ]; then n=$((n+1)); echo "MCINFO $n $s" > /dev/console; prev=\${s%% *}; fi
        sleep 0.2
      done) >/dev/null 2>&1 &`);
      const mc = (n: number, outcome: string) =>
        guest.console.waitFor(new RegExp(`MCINFO ${n} ${outcome}`), {
          timeoutMs: 60_000,
          what: `the guest's ipmitool: change ${n}, ${outcome}`,
          fromStart: true,
        });
      await mc(1, "ok");
      mark = await lastEventId(api);
      await sushy(redfish, "manager-reset");
      const reset = await eventAfter(api, "bmc.reset", mark);
      const gone = await eventAfter(api, "vm.disconnected", mark);
      const back = await eventAfter(api, "vm.connected", gone.id);
      const ready = await eventAfter(api, "bmc.ready", reset.id);
      assert.ok(back.id > gone.id && ready.id > reset.id);
      assert.ok(
        bmc.entries().some((e) => e.msg === "BMC reset" && e.origin === "redfish"),
        "Manager.Reset ran the BMC reset",
      );
      // The guest saw it: its requests failed during the reset, then worked again.
      await mc(2, "fail");
      await mc(3, "ok");
      await guest.ok("kill %1 2>/dev/null; true");
      // Redfish is back too, with a fresh session (the reset ended every session).
      assert.equal((await sushy(redfish, "inventory")).power, "On");

      // 4. A guest panic writes SEL records (ipmi_msghandler panic_op=string: the OS Critical
      // Stop event, then the panic string as OEM records); sushy reads them as LogEntries.
      await guest.ok("echo string > /sys/module/ipmi_msghandler/parameters/panic_op");
      mark = await lastEventId(api);
      await guest.ok("(sleep 0.3; echo c > /proc/sysrq-trigger) >/dev/null 2>&1 &");
      await guest.console.waitFor(/Kernel panic - not syncing: sysrq triggered crash/, {
        timeoutMs: 30_000,
        what: "the guest's panic",
      });
      await eventAfter(api, "sel.added", mark);
      const sel = await sushy(redfish, "sel");
      assert.equal(sel.service.Id, "SEL");
      const stop = sel.entries.find((e: Step) => e.SensorType === "OS Stop/Shutdown");
      assert.ok(stop, `an OS Stop entry:\n${JSON.stringify(sel.entries, null, 1)}`);
      assert.equal(stop.EntryType, "SEL");
      assert.equal(stop.Severity, "Critical");
      assert.equal(stop.EntryCode, "Assert");
      assert.ok(!Number.isNaN(Date.parse(stop.Created)), `Created is ISO 8601: ${stop.Created}`);
      assert.match(stop.Message, /OS Critical Stop: run-time critical stop/);
      assert.ok(sel.entries.every((e: Step) => e.EntryType === "SEL"));
      // The OEM records carry the panic string, 11 bytes each after the record id, type and
      // the driver's two header bytes.
      const text = sel.entries.filter((e: Step) => e.EntryCode === "OEM").map((e: Step) =>
        String(e.Message).replace(/^OEM record type 0xf0: /, "").split(" ").slice(5)
          .map((b) => String.fromCharCode(parseInt(b, 16))).join("")
      ).join("");
      assert.match(text, /^sysrq triggered crash/, JSON.stringify(sel.entries));
    });
  },
  { present: haveSushy, missing: "python3-sushy is not installed (apt-get install python3-sushy)" },
);
