/**
 * Clients the LAN front-end was first built without, against a real `serve`
 * (no guest): what a lab engineer runs with FreeIPMI's configuration tools
 * and ipmitool's less common commands. Each check is one short client run.
 * Skips what is not installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { createSocket } from "node:dgram";

import { SolTerminal } from "../_helpers/sol_terminal.ts";
import {
  FREEIPMI,
  freeipmi,
  has,
  IPMITOOL,
  lanConfig,
  lanplus,
  run,
  SCRIPT,
  type SerialPeer,
  serialPeer,
  type Serve,
  serve,
  USERS,
} from "./_serve.ts";

Deno.test({
  name:
    "cipher suite privileges read by id: ipmitool lan print and bmc-config Rmcpplus_Conf_Privilege",
  ignore: !IPMITOOL || !FREEIPMI,
  async fn() {
    const s = await serve(USERS);
    try {
      const lan = await run("ipmitool", [...lanplus(s, 17), "lan", "print", "1"]);
      assert.equal(lan.code, 0, lan.out);
      // ids 0-14: 0 unused, 1-3 Administrator, 4-14 unused.
      assert.match(lan.out, /Cipher Suite Priv Max\s+: XaaaXXXXXXXXXXX/);
      const cfg = await run("bmc-config", [
        ...freeipmi(s),
        "--checkout",
        "--section=Rmcpplus_Conf_Privilege",
      ]);
      // bmc-config exits 1 whenever an id it knows (0-17) is not offered; the values matter.
      assert.match(cfg.out, /EndSection/, cfg.out);
      for (const id of [1, 2, 3, 15]) {
        assert.match(
          cfg.out,
          new RegExp(`Maximum_Privilege_Cipher_Suite_Id_${id}\\s+Administrator`),
        );
      }
      assert.doesNotMatch(cfg.out, /Cipher_Suite_Id_\d+\s+Unused/);
      // Not enforced per suite, so not writable: refused as read-only, and the value stays.
      const commit = await run("bmc-config", [
        ...freeipmi(s),
        "--commit",
        "-e",
        "Rmcpplus_Conf_Privilege:Maximum_Privilege_Cipher_Suite_Id_3=Operator",
      ]);
      assert.match(commit.out, /Read Only Field/);
      const after = await run("ipmitool", [...lanplus(s, 17), "lan", "print", "1"]);
      assert.match(after.out, /Cipher Suite Priv Max\s+: XaaaXXXXXXXXXXX/);
    } finally {
      await s.stop();
    }
  },
});

/** A UDP port below 32768 that is free now. */
async function freeLowUdpPort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const socket = createSocket("udp4");
    const bound = await new Promise<boolean>((resolve) => {
      socket.once("error", () => resolve(false));
      socket.bind(port, "127.0.0.1", () => resolve(true));
    });
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    if (bound) return port;
  }
  throw new Error("no free UDP port below 32768");
}

/** Real ipmiconsole attached (under script) to a serve with a serial peer; `fn` runs once SOL is up. */
async function withIpmiconsole(
  fn: (s: Serve, sol: SolTerminal, guest: SerialPeer) => Promise<void>,
) {
  // ipmiconsole refuses ports of 32768 and above ("hostname invalid"), where ephemeral ones are.
  const s = await serve([
    "--lan-listen",
    `127.0.0.1:${await freeLowUdpPort()}`,
    ...USERS.slice(2),
  ]);
  const guest = await serialPeer(s.console);
  try {
    const command = `ipmiconsole ${freeipmi(s).slice(0, 6).join(" ")}`;
    const sol = new SolTerminal([], { command, escape: "&." });
    try {
      await sol.waitFor(/\[SOL established\]/, 0, 20_000, "activation");
      await fn(s, sol, guest);
    } finally {
      await sol.close();
    }
  } finally {
    await guest.close();
    await s.stop();
  }
}

const IPMICONSOLE = IPMITOOL && SCRIPT && has("ipmiconsole");

Deno.test({
  name:
    "ipmiconsole shows the console and types into it; another session's sol deactivate ends it with 'SOL session stolen'",
  ignore: !IPMICONSOLE,
  fn: () =>
    withIpmiconsole(async (s, sol, guest) => {
      await guest.write("\r\nguest login: ");
      await sol.waitFor(/guest login: /, 0, 10_000, "the guest's output");
      await sol.type("root\r");
      await guest.waitFor(/root\r/, 10_000);
      assert.match(guest.text(), /root\r/);
      // An administrator elsewhere takes SOL away: the BMC tells ipmiconsole, which stops.
      const off = await run("ipmitool", [...lanplus(s, 17), "sol", "deactivate"]);
      assert.equal(off.code, 0, off.out);
      await sol.waitFor(/SOL session stolen/, 0, 10_000, "the deactivation notice");
    }),
});

Deno.test({
  name: "ipmitool sol set enabled false ends an active ipmiconsole session",
  ignore: !IPMICONSOLE,
  fn: () =>
    withIpmiconsole(async (s, sol) => {
      const off = await run("ipmitool", [...lanplus(s, 17), "sol", "set", "enabled", "false", "1"]);
      assert.equal(off.code, 0, off.out);
      // ipmiconsole reports the "SOL deactivating" status as a stolen session.
      await sol.waitFor(/SOL session stolen/, 0, 10_000, "the deactivation notice");
      const info = await run("ipmitool", [...lanplus(s, 17), "sol", "info", "1"]);
      assert.match(info.out, /Enabled\s+: false/);
    }),
});

Deno.test({
  name: "ipmitool sol payload status/disable/enable and bmc-config's SOL_Payload_Access",
  ignore: !IPMITOOL || !FREEIPMI,
  async fn() {
    const s = await serve(USERS);
    try {
      const sol = (...args: string[]) => run("ipmitool", [...lanplus(s, 17), "sol", ...args]);
      assert.match(
        (await sol("payload", "status", "1", "2")).out,
        /User 2 on channel 1 is enabled/,
      );
      assert.equal((await sol("payload", "disable", "1", "2")).code, 0);
      assert.match(
        (await sol("payload", "status", "1", "2")).out,
        /User 2 on channel 1 is disabled/,
      );
      const refused = await sol("activate");
      assert.notEqual(refused.code, 0);
      assert.match(refused.out, /Error activating SOL payload: Insufficient privilege level/);
      const cfg = await run("bmc-config", [...freeipmi(s), "--checkout", "--section=User2"]);
      assert.match(cfg.out, /SOL_Payload_Access\s+No/, cfg.out);
      assert.equal((await sol("payload", "enable", "1", "2")).code, 0);
      assert.match(
        (await sol("payload", "status", "1", "2")).out,
        /User 2 on channel 1 is enabled/,
      );
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "ipmitool channel getciphers sol 1 lists the suites SOL can use",
  ignore: !IPMITOOL,
  async fn() {
    const s = await serve(USERS);
    try {
      const r = await run("ipmitool", [...lanplus(s, 17), "channel", "getciphers", "sol", "1"]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /17\s+N\/A\s+hmac_sha256\s+sha256_128\s+aes_cbc_128/);
      // An OEM payload type (2) is not offered.
      const oem = await run("ipmitool", [
        ...lanplus(s, 17),
        "raw",
        "0x06",
        "0x54",
        "0x01",
        "0x02",
        "0x80",
      ]);
      assert.match(oem.out, /rsp=0xcc/);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "sol set force-encryption true: ipmitool -C 2 sol activate is refused without encryption",
  ignore: !IPMITOOL,
  async fn() {
    const s = await serve(USERS);
    try {
      const set = await run("ipmitool", [
        ...lanplus(s, 17),
        "sol",
        "set",
        "force-encryption",
        "true",
        "1",
      ]);
      assert.equal(set.code, 0, set.out);
      const plain = await run("ipmitool", [...lanplus(s, 2), "sol", "activate"]);
      assert.notEqual(plain.code, 0);
      assert.match(plain.out, /cannot activate SOL payload without encryption/);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name:
    "ipmitool sol set of non-volatile parameters survives a restart on the same state directory",
  ignore: !IPMITOOL,
  async fn() {
    const state = await Deno.makeTempDir({ prefix: "bmc-lan-state-" });
    const config = lanConfig(state);
    try {
      const first = await serve([], config);
      try {
        for (const set of [["retry-count", "5"], ["non-volatile-bit-rate", "57.6"]]) {
          const r = await run("ipmitool", [...lanplus(first, 17), "sol", "set", ...set, "1"]);
          assert.equal(r.code, 0, r.out);
        }
      } finally {
        await first.stop();
      }
      const second = await serve([], config);
      try {
        const info = await run("ipmitool", [...lanplus(second, 17), "sol", "info", "1"]);
        assert.match(info.out, /Retry Count\s+: 5/);
        assert.match(info.out, /Non-Volatile Bit Rate \(kbps\)\s+: 57.6/);
        assert.match(info.out, /Volatile Bit Rate \(kbps\)\s+: 57.6/);
      } finally {
        await second.stop();
      }
    } finally {
      await Deno.remove(state, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "bmc-config commits to Lan_Channel: what the BMC does is accepted, other access modes refused",
  ignore: !FREEIPMI,
  async fn() {
    const s = await serve(USERS);
    try {
      const commit = (kv: string) => run("bmc-config", [...freeipmi(s), "--commit", "-e", kv]);
      assert.doesNotMatch(
        (await commit("Lan_Channel:Volatile_Access_Mode=Always_Available")).out,
        /ERROR/,
      );
      assert.match(
        (await commit("Lan_Channel:Volatile_Access_Mode=Disabled")).out,
        /Failed to commit `Lan_Channel:Volatile_Access_Mode'/,
      );
      const cfg = await run("bmc-config", [...freeipmi(s), "--checkout", "--section=Lan_Channel"]);
      assert.match(cfg.out, /Volatile_Access_Mode\s+Always_Available/);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name: "ipmitool user priv ID 15 (no access) locks the user out; a real limit lets it back in",
  ignore: !IPMITOOL,
  async fn() {
    const s = await serve(USERS);
    try {
      const admin = (...args: string[]) => run("ipmitool", [...lanplus(s, 17), ...args]);
      const bob = (level: string) =>
        run("ipmitool", [...lanplus(s, 17, "bob", "bobpw", ["-L", level]), "chassis", "status"]);
      assert.equal((await admin("user", "priv", "3", "15", "1")).code, 0);
      for (const level of ["USER", "ADMINISTRATOR"]) {
        const r = await bob(level);
        assert.notEqual(r.code, 0, r.out);
        assert.match(r.out, /Unable to establish IPMI v2 \/ RMCP\+ session/);
      }
      assert.equal((await admin("user", "priv", "3", "2", "1")).code, 0);
      assert.equal((await bob("USER")).code, 0);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name:
    "User access bits: bmc-config commits Lan_Enable_IPMI_Msgs/Link_Auth/Restricted_to_Callback, ipmitool channel getaccess shows them, IPMI messaging off locks out",
  ignore: !IPMITOOL || !FREEIPMI,
  async fn() {
    const s = await serve(USERS);
    try {
      const admin = (...args: string[]) => run("ipmitool", [...lanplus(s, 17), ...args]);
      const commit = await run("bmc-config", [
        ...freeipmi(s),
        "--commit",
        "-e",
        "User3:Lan_Enable_IPMI_Msgs=No",
        "-e",
        "User3:Lan_Enable_Link_Auth=Yes",
        "-e",
        "User3:Lan_Enable_Restricted_to_Callback=Yes",
      ]);
      assert.equal(commit.code, 0, commit.out);
      const get = await admin("channel", "getaccess", "1", "3");
      assert.equal(get.code, 0, get.out);
      assert.match(get.out, /Access Available\s+: callback\n/);
      assert.match(get.out, /Link Authentication\s+: enabled/);
      assert.match(get.out, /IPMI Messaging\s+: disabled/);
      assert.match(get.out, /Privilege Level\s+: USER/);
      const bob = await run("ipmitool", [
        ...lanplus(s, 17, "bob", "bobpw", ["-L", "USER"]),
        "mc",
        "info",
      ]);
      assert.match(bob.out, /Unable to establish IPMI v2 \/ RMCP\+ session/);
    } finally {
      await s.stop();
    }
  },
});

Deno.test({
  name:
    "sol set force-authentication refuses sol activate with -C 1 (no integrity); sol set enabled false refuses it",
  ignore: !IPMITOOL,
  async fn() {
    const s = await serve(USERS);
    try {
      const admin = (...args: string[]) => run("ipmitool", [...lanplus(s, 17), ...args]);
      assert.equal((await admin("sol", "set", "force-authentication", "true", "1")).code, 0);
      const noIntegrity = await run("ipmitool", [...lanplus(s, 1), "sol", "activate"]);
      assert.notEqual(noIntegrity.code, 0);
      assert.match(noIntegrity.out, /Insufficient privilege level/);
      assert.equal((await admin("sol", "set", "enabled", "false", "1")).code, 0);
      const disabled = await admin("sol", "activate");
      assert.match(disabled.out, /SOL payload disabled/);
    } finally {
      await s.stop();
    }
  },
});
