/**
 * Fault rules and hangs that target one interface, set through the HTTP API
 * of a real `serve`: real ipmitool over lanplus on the LAN side, a scripted
 * QEMU peer on the host's side (the same core behind both).
 *
 * @module
 */

import assert from "node:assert/strict";
import dgram from "node:dgram";
import { VmPeer } from "../_helpers/vm_peer.ts";
import { IPMITOOL, lanplus, run, type Serve, serve, USERS } from "./_serve.ts";

const CHASSIS = 0x00;
const GET_CHASSIS_STATUS = 0x01;
const APP = 0x06;
const GET_DEVICE_ID = 0x01;

async function api(s: Serve, method: string, path: string, body?: unknown) {
  const r = await fetch(`${s.api}/api/v1/bmcs/bmc0${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: r.status, body: await r.json() as Record<string, unknown> };
}

/** ipmitool over lanplus with one try of 1 s, so a hung LAN side fails fast. */
function ipmitool(s: Serve, ...args: string[]) {
  return run("ipmitool", [...lanplus(s, 17, "admin", "secret", ["-R", "1", "-N", "1"]), ...args]);
}

Deno.test({
  name:
    "API: a rule with match.channel lan fails LAN requests only; a hang of one interface leaves the other answering",
  ignore: !IPMITOOL,
  async fn(t) {
    const s = await serve(USERS, undefined, true);
    const host = await VmPeer.connect({ transport: "unix", path: s.vm });
    let seq = 1;
    try {
      await t.step("POST /faults with match.channel lan", async () => {
        const added = await api(s, "POST", "/faults", {
          match: { channel: "lan", command: "chassis/get-chassis-status" },
          action: { type: "error", cc: "0xc0" },
        });
        assert.equal(added.status, 201, JSON.stringify(added.body));
        const match = added.body.match as Record<string, unknown>;
        assert.deepEqual([match.channel, match.netfn, match.cmd], [
          "lan",
          CHASSIS,
          GET_CHASSIS_STATUS,
        ]);
        const lan = await ipmitool(s, "chassis", "status");
        assert.notEqual(lan.code, 0, lan.out);
        assert.match(lan.out, /Node Busy|0xc0/i);
        const other = await ipmitool(s, "mc", "info");
        assert.equal(other.code, 0, other.out);
        const inBand = await host.call(seq++, CHASSIS, GET_CHASSIS_STATUS);
        assert.equal(inBand.response.cc, 0, "the host's interface is not matched");
        const list = await api(s, "GET", "/faults");
        const [rule] = list.body.rules as { hits: number }[];
        assert.equal(rule?.hits, 1, "only the LAN request hit the rule");
        assert.equal((await api(s, "DELETE", "/faults")).status, 200);
        assert.equal((await ipmitool(s, "chassis", "status")).code, 0);
      });

      await t.step("a rule with match.channel system fails the host's requests only", async () => {
        const added = await api(s, "POST", "/faults", {
          match: { channel: "system", netfn: "app", cmd: "get-device-id" },
          action: { type: "error", cc: 0xc1 },
        });
        assert.equal(added.status, 201, JSON.stringify(added.body));
        assert.equal((await host.call(seq++, APP, GET_DEVICE_ID)).response.cc, 0xc1);
        const lan = await ipmitool(s, "mc", "info");
        assert.equal(lan.code, 0, lan.out);
        assert.equal((await api(s, "DELETE", "/faults")).status, 200);
      });

      await t.step("POST /hang channel system: LAN keeps answering", async () => {
        const hung = await api(s, "POST", "/hang", { mode: "wedge", channel: "system" });
        assert.equal(hung.status, 201, JSON.stringify(hung.body));
        assert.equal(hung.body.channel, "system");
        assert.equal(
          ((await api(s, "GET", "")).body.hang as { channel: string }).channel,
          "system",
        );
        // A wedge answers the host's request with another seq (QEMU's timer
        // stops, the real reply is held).
        const mine = seq++;
        const before = host.responses.length;
        await host.request(mine, APP, GET_DEVICE_ID);
        await host.until(() => host.responses.length > before, 5000, "the wedge's reply");
        assert.ok(host.responses.slice(before).every((r) => r.seq !== mine), "held");
        const lan = await ipmitool(s, "mc", "info");
        assert.equal(lan.code, 0, lan.out);
        assert.match(lan.out, /IPMI Version\s+: 2.0/);
        const released = await api(s, "DELETE", "/hang");
        assert.equal(released.status, 200);
        await host.until(
          () => host.responses.some((r) => r.seq === mine),
          5000,
          "the held reply",
        );
      });

      await t.step("POST /hang channel lan: the host's interface keeps answering", async () => {
        const hung = await api(s, "POST", "/hang", { mode: "silent", channel: "lan" });
        assert.equal(hung.status, 201, JSON.stringify(hung.body));
        const t0 = Date.now();
        const lan = await ipmitool(s, "mc", "info");
        assert.notEqual(lan.code, 0, lan.out);
        assert.ok(Date.now() - t0 < 15_000, "one 1 s try per request, no retry");
        assert.equal((await host.call(seq++, APP, GET_DEVICE_ID)).response.cc, 0);
        assert.equal((await api(s, "DELETE", "/hang")).status, 200);
        assert.equal((await ipmitool(s, "mc", "info")).code, 0);
      });

      await t.step("garbage datagrams over UDP are dropped and counted in /metrics", async () => {
        const socket = dgram.createSocket("udp4");
        try {
          for (const bytes of [[1, 2, 3], [0x06, 0x00, 0xff, 0x05, ...new Array(16).fill(0)]]) {
            await new Promise<void>((resolve, reject) =>
              socket.send(
                Uint8Array.from(bytes),
                s.port,
                "127.0.0.1",
                (e) => e ? reject(e) : resolve(),
              )
            );
          }
          // The datagrams are answered with nothing: a session request after them is.
          assert.equal((await ipmitool(s, "mc", "info")).code, 0);
        } finally {
          socket.close();
        }
        const text = await (await fetch(`${s.api}/metrics`)).text();
        assert.match(text, /^bmc_emu_lan_dropped_datagrams_total\{bmc="bmc0",reason="short"\} 1$/m);
        assert.match(
          text,
          /^bmc_emu_lan_dropped_datagrams_total\{bmc="bmc0",reason="unknown-class"\} 1$/m,
        );
      });

      await t.step("a channel on a sticky hang is a 400 naming the field", async () => {
        const r = await api(s, "POST", "/hang", { mode: "sticky-event-buffer", channel: "lan" });
        assert.equal(r.status, 400);
        assert.equal(r.body.field, "body.channel");
        const bad = await api(s, "POST", "/faults", {
          match: { channel: "ipmb" },
          action: { type: "drop" },
        });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.field, "body.match.channel", JSON.stringify(bad.body));
        assert.match(String(bad.body.error), /"system"\|"lan"/, JSON.stringify(bad.body));
      });
    } finally {
      await host.close();
      await s.stop();
    }
  },
});
