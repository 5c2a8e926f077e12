/**
 * The Redfish server on real sockets: a BMC reset in disconnect mode
 * refuses connections until the BMC is back, and with TLS one port answers
 * both HTTPS and plain HTTP.
 */

import assert from "node:assert/strict";
import { NullLogger } from "../../../src/log/logger.ts";
import { selfSignedCertificate, startRedfishServer } from "../../../src/redfish/server.ts";
import { DEFAULT_LAN_USERS } from "../../../src/lan/lan_config.ts";
import { startRuntime, TCP_ANY, type TestRuntime } from "../../_helpers/runtime.ts";
import { SystemClock } from "../../../src/clock/clock.ts";
import type { ResetPlan } from "../../../src/core/bmc_reset.ts";
import { redfishFaultSchema } from "../../../src/faults/redfish_fault_schema.ts";

const AUTH = { Authorization: `Basic ${btoa("admin:admin")}` };

function resetPlan(mode: "disconnect" | "busy", durationMs: number): ResetPlan {
  return { mode, durationMs, busyCc: 0xc0, watchdog: "forget", resetWatchdogCc: null };
}

/** What a Redfish server of a test runtime needs. */
function depsOf(t: TestRuntime): Parameters<typeof startRedfishServer>[1] {
  return {
    target: t.runtime,
    users: DEFAULT_LAN_USERS,
    clock: new SystemClock(),
    bus: t.bus,
    log: new NullLogger(),
  };
}

/** Status of a GET on a fresh connection, 0 when the connection fails. */
async function status(url: string, caCerts: string[] = []): Promise<number> {
  using client = Deno.createHttpClient({ caCerts, poolMaxIdlePerHost: 0 });
  try {
    const res = await fetch(url, { headers: AUTH, client });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0; // refused, or cut before the answer
  }
}

Deno.test("Redfish refuses connections while the BMC resets in disconnect mode, then serves again", async () => {
  await using t = await startRuntime({ mode: "listen", endpoint: TCP_ANY });
  const server = await startRedfishServer(
    { hostname: "127.0.0.1", port: 0, tls: null },
    depsOf(t),
  );
  try {
    const url = `${server.url}/redfish/v1/Systems/1`;
    assert.equal(await status(url), 200);
    t.runtime.bmc.beginReset(resetPlan("disconnect", 400), "test");
    assert.equal(await status(url), 0, "refused during the reset");
    await new Promise((r) => setTimeout(r, 450));
    assert.equal(await status(url), 200, "back after the reset");
    t.runtime.bmc.beginReset(resetPlan("busy", 200), "test");
    assert.equal(await status(url), 503, "a busy reset answers 503");
    await new Promise((r) => setTimeout(r, 250));
  } finally {
    await server.close();
  }
});

Deno.test("A Redfish drop fault closes the connection without an answer", async () => {
  await using t = await startRuntime({ mode: "listen", endpoint: TCP_ANY });
  const server = await startRedfishServer(
    {
      hostname: "127.0.0.1",
      port: 0,
      tls: null,
      faults: [redfishFaultSchema.parse({
        match: { channel: "redfish", path: "/Systems" },
        action: { type: "drop" },
        count: 1,
      })],
    },
    depsOf(t),
  );
  try {
    assert.equal(await status(`${server.url}/redfish/v1/Systems`), 0, "dropped");
    assert.equal(await status(`${server.url}/redfish/v1/Systems`), 200, "count exhausted");
  } finally {
    await server.close();
  }
});

const haveOpenssl = await new Deno.Command("openssl", { args: ["version"], stdout: "null" })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "Redfish with TLS answers HTTPS and plain HTTP on one port",
  ignore: !haveOpenssl && Deno.env.get("CI") !== "true",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bmc-emu-rf-tls-" });
    const cert = `${dir}/cert.pem`;
    const key = `${dir}/key.pem`;
    const made = await selfSignedCertificate();
    await Deno.writeTextFile(cert, made.cert);
    await Deno.writeTextFile(key, made.key);
    await using t = await startRuntime({ mode: "listen", endpoint: TCP_ANY });
    const server = await startRedfishServer(
      { hostname: "127.0.0.1", port: 0, tls: { certFile: cert, keyFile: key } },
      depsOf(t),
    );
    const caCerts = [await Deno.readTextFile(cert)];
    try {
      assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await status(`${server.url}/redfish/v1/Systems`, caCerts), 200);
      const plain = server.url.replace("https:", "http:");
      assert.equal(await status(`${plain}/redfish/v1/Systems`), 200);
      const proto = await (await fetch(`${plain}/redfish/v1/Managers/1/NetworkProtocol`, {
        headers: AUTH,
      })).json();
      assert.equal(proto.HTTPS.ProtocolEnabled, true);
      assert.equal(proto.HTTP.Port, proto.HTTPS.Port);
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
