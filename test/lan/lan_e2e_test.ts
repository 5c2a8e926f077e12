/**
 * End to end over a real UDP socket with the real clients: `bmc-emu serve
 * --lan-listen` driven by ipmitool (lanplus, suites 3 and 17, SOL through a
 * pty) and FreeIPMI (LAN_2_0). No guest: the console endpoint is fed by a
 * scripted serial peer. Skips what is not installed.
 *
 * @module
 */

import assert from "node:assert/strict";

import { SolTerminal } from "../_helpers/sol_terminal.ts";
import {
  FREEIPMI,
  freeipmi,
  IPMITOOL,
  lanConfig,
  lanplus,
  run,
  SCRIPT,
  serialPeer,
  serve,
  USERS,
} from "./_serve.ts";

Deno.test({
  name: "ipmitool lanplus -C 3 and -C 17 runs the acceptance commands against serve",
  ignore: !IPMITOOL,
  async fn(t) {
    const s = await serve(USERS);
    try {
      const commands: [string[], RegExp][] = [
        [["mc", "info"], /IPMI Version\s+: 2.0/],
        [["chassis", "status"], /System Power\s+: on/],
        [["chassis", "power", "status"], /Chassis Power is on/],
        [["sel", "info"], /SEL Information/],
        [["sel", "elist"], /SEL has no entries|\|/],
        [["sdr", "list"], /Watchdog/],
        [["sensor"], /Watchdog/],
        [["fru", "print"], /FRU Device Description/],
        [["lan", "print", "1"], /IP Address\s+: 127.0.0.1/],
        [["user", "list", "1"], /admin\s+true\s+false\s+true\s+ADMINISTRATOR/],
        [
          ["channel", "getciphers", "ipmi", "1"],
          /17\s+N\/A\s+hmac_sha256\s+sha256_128\s+aes_cbc_128/,
        ],
        [["mc", "watchdog", "get"], /Watchdog Timer Use/],
      ];
      for (const suite of [3, 17]) {
        for (const [args, expect] of commands) {
          await t.step(`-C ${suite} ${args.join(" ")}`, async () => {
            const r = await run("ipmitool", [...lanplus(s, suite), ...args]);
            assert.equal(r.code, 0, r.out);
            assert.match(r.out, expect);
          });
        }
      }
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "ipmitool: wrong password and IPMI 1.5 are refused, a User session cannot power off",
  ignore: !IPMITOOL,
  async fn() {
    const s = await serve(USERS);
    try {
      const wrong = await run("ipmitool", [...lanplus(s, 17, "admin", "nope"), "mc", "info"]);
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.out, /Unable to establish IPMI v2 \/ RMCP\+ session/);
      // IPMI 1.5 sessions are not offered (no authentication type in the capabilities):
      // ipmitool gives up at once with its message instead of retrying.
      const t0 = Date.now();
      const v15 = await run("ipmitool", [
        "-I",
        "lan",
        "-H",
        "127.0.0.1",
        "-p",
        String(s.port),
        "-U",
        "admin",
        "-P",
        "secret",
        "mc",
        "info",
      ]);
      assert.notEqual(v15.code, 0);
      assert.match(v15.out, /Unable to establish IPMI v1.5 \/ RMCP session/);
      assert.ok(Date.now() - t0 < 3000, `-I lan failed after ${Date.now() - t0} ms`);
      const off = await run("ipmitool", [
        ...lanplus(s, 17, "bob", "bobpw", ["-L", "USER"]),
        "chassis",
        "power",
        "off",
      ]);
      assert.notEqual(off.code, 0);
      assert.match(off.out, /Insufficient privilege level/);
      const status = await run("ipmitool", [
        ...lanplus(s, 17, "bob", "bobpw", ["-L", "USER"]),
        "chassis",
        "power",
        "status",
      ]);
      assert.match(status.out, /Chassis Power is on/);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "ipmitool sol activate shows the console and typed input reaches the guest",
  ignore: !IPMITOOL || !SCRIPT,
  async fn() {
    const s = await serve(USERS, undefined, true);
    const guest = await serialPeer(s.console);
    try {
      const sol = new SolTerminal(lanplus(s, 17));
      try {
        await sol.waitFor(/SOL Session operational/, 0, 20_000, "activation");
        await guest.write("\r\nguest login: ");
        await sol.waitFor(/guest login: /, 0, 10_000, "the guest's output");
        await sol.type("root\r");
        // The serial peer reads what was typed (10 s at most).
        await guest.waitFor(/root\r/, 10_000);
      } finally {
        await sol.close();
      }
      assert.match(guest.text(), /root\r/);
      // The HTTP API shows the console and the LAN counters.
      const text = await (await fetch(`${s.api}/api/v1/bmcs/bmc0/console`)).text();
      assert.match(text, /guest login: /);
      const lan = await (await fetch(`${s.api}/api/v1/bmcs/bmc0/lan`)).json();
      assert.ok(lan.stats.sessionsOpened >= 1);
    } finally {
      await guest.close();
      await s.stop();
    }
  },
});

Deno.test({
  name: "FreeIPMI bmc-info and ipmi-sensors over LAN_2_0",
  ignore: !FREEIPMI,
  async fn() {
    const s = await serve(USERS);
    try {
      const host = freeipmi(s);
      const info = await run("bmc-info", host);
      assert.equal(info.code, 0, info.out);
      assert.match(info.out, /IPMI Version\s+: 2.0/);
      const sensors = await run("ipmi-sensors", [
        ...host,
        "--quiet-cache",
        `--sdr-cache-directory=${s.dir}`,
      ]);
      assert.equal(sensors.code, 0, sensors.out);
      assert.match(sensors.out, /Watchdog/);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name:
    "a config fault rule with match.channel lan fails LAN requests; a cold reset over LAN, then a new session works",
  ignore: !IPMITOOL,
  async fn() {
    const s = await serve(
      [],
      lanConfig(null, {
        faults: [{
          match: { channel: "lan", command: "chassis/get-chassis-status" },
          action: { type: "error", cc: "0xc0" },
        }],
      }),
    );
    try {
      const st = await run("ipmitool", [...lanplus(s, 17), "chassis", "status"]);
      assert.notEqual(st.code, 0);
      assert.match(st.out, /Node Busy|0xc0/i);
      const reset = await run("ipmitool", [...lanplus(s, 17), "mc", "reset", "cold"]);
      assert.equal(reset.code, 0, reset.out);
      // The reset ended the session; a new one works once the BMC is back (retried, 30 s at most).
      const deadline = Date.now() + 30_000;
      let after = await run("ipmitool", [
        ...lanplus(s, 17, "admin", "secret", ["-R", "1"]),
        "mc",
        "info",
      ]);
      while (after.code !== 0 && Date.now() < deadline) {
        after = await run("ipmitool", [
          ...lanplus(s, 17, "admin", "secret", ["-R", "1"]),
          "mc",
          "info",
        ]);
      }
      assert.equal(after.code, 0, after.out);
    } finally {
      await s.stop();
    }
  },
});
