/**
 * Issue 13 end to end: one Linux guest on a `serve` with IPMI over LAN and
 * the guest's ttyS0 on the BMC's console endpoint, driven from the host side
 * by real ipmitool over lanplus (cipher suite 17): a watchdog the guest arms
 * runs over LAN; `sol activate` shows the guest's shell and a typed command
 * runs in the guest; the SEL record of the guest's panic (`panic_op=event`)
 * is in `sel elist` over LAN, and a scenario's console assertion saw the
 * panic message; `chassis power cycle` and `power reset` over LAN reboot the
 * guest (new boot id, tmpfs marker gone, its console back on the BMC).
 */

import assert from "node:assert/strict";
import { ApiClient } from "../../src/cli/api_client.ts";
import type { QemuGuest } from "../../tools/e2e/mod.ts";
import { withGuest } from "../../tools/e2e/mod.ts";
import { SolTerminal } from "../_helpers/sol_terminal.ts";
import { has } from "../lan/_serve.ts";
import { e2eTest } from "./_e2e.ts";

const USER = "admin";
const PASSWORD = "lan-e2e-pw";

/** ipmitool's lanplus arguments (suite 17) for the BMC's LAN port. */
function lanplusArgs(port: number): string[] {
  return [
    "-I",
    "lanplus",
    "-C",
    "17",
    "-H",
    "127.0.0.1",
    "-p",
    String(port),
    "-U",
    USER,
    "-P",
    PASSWORD,
  ];
}

/** ipmitool over lanplus, suite 17. */
async function ipmitool(port: number, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("ipmitool", {
    args: [...lanplusArgs(port), ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const dec = new TextDecoder();
  const text = dec.decode(out.stdout) + dec.decode(out.stderr);
  assert.equal(out.code, 0, `ipmitool ${args.join(" ")}:\n${text}`);
  return text;
}

async function bootId(guest: QemuGuest): Promise<string> {
  return (await guest.ok("cat /proc/sys/kernel/random/boot_id")).trim();
}

async function assertRebooted(guest: QemuGuest, before: string, what: string): Promise<string> {
  const now = await bootId(guest);
  assert.notEqual(now, before, `${what}: the guest has a new boot id`);
  assert.match(
    await guest.ok("test -e /tmp/lan-marker && echo marker-kept || echo marker-gone"),
    /marker-gone/,
    `${what}: the guest's tmpfs was lost`,
  );
  await guest.ok("echo up > /tmp/lan-marker");
  return now;
}

e2eTest(
  "e2e LAN + SOL: guest watchdog over LAN, sol activate runs a typed command, panic SEL record in sel elist and a console assertion, power cycle and reset over LAN reboot the guest",
  async ({ kernel }) => {
    await withGuest({
      kernel,
      iface: "kcs",
      console: true,
      bmc: { args: ["--lan-listen", "127.0.0.1:0", "--lan-user", `${USER}:${PASSWORD}`] },
    }, async ({ guest, bmc }) => {
      const api = new ApiClient(bmc.apiUrl, null);
      const lan = await api.json<{ listen: string; console: string }>(
        "GET",
        "/api/v1/bmcs/bmc0/lan",
      );
      const port = Number(lan.listen.split(":").at(-1));
      let boot = await bootId(guest);
      await guest.ok("echo up > /tmp/lan-marker");
      // The guest's console reaches the BMC: its boot line is in the ring.
      const ring = await (await fetch(`${bmc.apiUrl}/api/v1/bmcs/bmc0/console`)).text();
      assert.ok(ring.includes(`e2e-guest: boot ${boot}`), `console ring:\n${ring}`);

      // 1. A watchdog the guest arms (SMS/OS, no action, 300 s) runs, seen over LAN.
      await guest.ok(
        "ipmitool raw 0x06 0x24 0x04 0x00 0x00 0x00 0xb8 0x0b && ipmitool mc watchdog reset",
      );
      const wd = await ipmitool(port, "mc", "watchdog", "get");
      assert.match(wd, /Watchdog Timer Use:\s+SMS\/OS/);
      assert.match(wd, /Watchdog Timer Is:\s+Started\/Running/);
      assert.match(wd, /Initial Countdown:\s+300(\.0)? sec/);
      await guest.ok("ipmitool mc watchdog off");
      assert.match(await ipmitool(port, "mc", "watchdog", "get"), /Watchdog Timer Is:\s+Stopped/);

      // 2. SOL: the guest's shell answers, a typed command runs in the guest.
      const sol = new SolTerminal(lanplusArgs(port));
      try {
        await sol.waitFor(/SOL Session operational/, 0, 20_000, "activation");
        let from = sol.text.length;
        await sol.type("\r");
        await sol.waitFor(/e2e-guest # /, from, 10_000, "the guest's shell prompt");
        from = sol.text.length;
        await sol.type("echo typed-over-sol > /tmp/sol-marker; echo SOL-SUM-$((6*7))\r");
        await sol.waitFor(/SOL-SUM-42/, from, 10_000, "the command's output");
      } finally {
        await sol.close();
      }
      assert.equal((await guest.ok("cat /tmp/sol-marker")).trim(), "typed-over-sol");

      // 3. The guest panics with panic_op=event: the SEL record is read over LAN, and a
      // scenario waiting on the console (no agent needed) saw the panic message.
      const records = (elist: string) => elist.split("\n").filter((l) => l.includes("|"));
      const before = records(await ipmitool(port, "sel", "elist")).length;
      const scenario = api.json<{ passed: boolean; steps: { detail: string }[] }>(
        "POST",
        "/api/v1/scenarios",
        {
          name: "panic on the console",
          steps: [{
            assert: {
              console: { $match: "Kernel panic - not syncing" },
              within: "60s",
              since: "step",
            },
          }],
        },
      );
      await guest.ok("echo event > /sys/module/ipmi_msghandler/parameters/panic_op");
      await guest.ok("(sleep 0.5; echo c > /proc/sysrq-trigger) >/dev/null 2>&1 &");
      const report = await scenario;
      assert.equal(report.passed, true, JSON.stringify(report));
      assert.match(report.steps[0]!.detail, /console printed ".*Kernel panic - not syncing/);
      const sel = await ipmitool(port, "sel", "elist");
      assert.ok(records(sel).length > before, sel);
      assert.match(sel, /OS Critical Stop.*Run-time critical stop/i, sel);

      // 4. chassis power cycle over LAN: the halted guest boots again.
      await ipmitool(port, "chassis", "power", "cycle");
      await guest.waitReady(60_000, 2);
      boot = await assertRebooted(guest, boot, "power cycle");
      assert.match(await ipmitool(port, "chassis", "power", "status"), /Chassis Power is on/);

      // 5. chassis power reset over LAN.
      await ipmitool(port, "chassis", "power", "reset");
      await guest.waitReady(60_000, 3);
      boot = await assertRebooted(guest, boot, "power reset");
      // The rebooted guest's console is the BMC's again.
      const after = await (await fetch(`${bmc.apiUrl}/api/v1/bmcs/bmc0/console`)).text();
      assert.ok(after.includes(`e2e-guest: boot ${boot}`), `console ring:\n${after}`);
    });
  },
  {
    present: has("ipmitool") && has("script"),
    missing: "ipmitool and script (util-linux) are needed",
  },
);
