/**
 * System boot options with real clients on one BMC: `ipmitool chassis
 * bootdev` over lanplus sets the boot flags that Redfish's `Boot` override
 * shows, and a Redfish PATCH shows in `ipmitool chassis bootparam get 5`.
 */

import assert from "node:assert/strict";
import { spawnMain } from "../_helpers/cli.ts";

const IPMITOOL = new Deno.Command("sh", { args: ["-c", "command -v ipmitool"], stdout: "null" })
  .outputSync().success;

async function ipmitool(port: number, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("ipmitool", {
    args: [
      "-I",
      "lanplus",
      "-H",
      "127.0.0.1",
      "-p",
      String(port),
      "-U",
      "admin",
      "-P",
      "secret",
      "-C",
      "17",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `ipmitool ${args.join(" ")}: ${text}`);
  return text;
}

Deno.test({
  name: "ipmitool chassis bootdev and Redfish's Boot override are the same boot flags",
  ignore: !IPMITOOL,
  async fn() {
    await using serve = spawnMain([
      "serve",
      "--ephemeral",
      "--vm-listen",
      "tcp:127.0.0.1:0",
      "--api-listen",
      "off",
      "--lan-listen",
      "127.0.0.1:0",
      "--lan-user",
      "admin:secret",
      "--redfish-listen",
      "127.0.0.1:0",
    ]);
    const lan = await serve.stdout.waitFor(/IPMI over LAN bmc0: udp \S+:\d+/, {
      timeoutMs: 20_000,
      fromStart: true,
      what: "the LAN banner",
    });
    const port = Number(/:(\d+)/.exec(lan.slice(lan.indexOf("udp")))![1]);
    const redfish = (await serve.stdout.waitFor(/^Redfish bmc0: /, {
      timeoutMs: 20_000,
      fromStart: true,
    })).replace(/^Redfish bmc0: /, "").trim();
    const auth = { authorization: `Basic ${btoa("admin:secret")}` };
    const system = async () => {
      const r = await fetch(`${redfish}Systems/1`, { headers: auth });
      assert.equal(r.status, 200);
      return (await r.json()).Boot as Record<string, string>;
    };
    assert.deepEqual(
      (({ BootSourceOverrideEnabled, BootSourceOverrideTarget }) => ({
        BootSourceOverrideEnabled,
        BootSourceOverrideTarget,
      }))(await system()),
      { BootSourceOverrideEnabled: "Disabled", BootSourceOverrideTarget: "None" },
    );

    await ipmitool(port, "chassis", "bootdev", "pxe");
    const afterIpmi = await system();
    assert.equal(afterIpmi.BootSourceOverrideEnabled, "Once");
    assert.equal(afterIpmi.BootSourceOverrideTarget, "Pxe");

    const r = await fetch(`${redfish}Systems/1`, { headers: auth });
    const etag = r.headers.get("etag")!;
    await r.body?.cancel();
    const patch = await fetch(`${redfish}Systems/1`, {
      method: "PATCH",
      headers: { ...auth, "content-type": "application/json", "if-match": etag },
      body: JSON.stringify({
        Boot: {
          BootSourceOverrideEnabled: "Continuous",
          BootSourceOverrideTarget: "Cd",
          BootSourceOverrideMode: "Legacy",
        },
      }),
    });
    assert.ok(patch.ok, `PATCH: ${patch.status} ${await patch.text()}`);
    const param = await ipmitool(port, "chassis", "bootparam", "get", "5");
    assert.match(param, /Boot Flag Valid/);
    assert.match(param, /Options apply to all future boots/);
    assert.match(param, /BIOS PC Compatible \(legacy\) boot/);
    assert.match(param, /Force Boot from CD\/DVD/);
  },
});
