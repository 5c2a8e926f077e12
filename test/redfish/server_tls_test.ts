/**
 * With TLS the Redfish port answers HTTPS and plain HTTP (needs openssl for
 * the self-signed certificate: ignored without it, failed with `CI=true`).
 */

import assert from "node:assert/strict";
import { DEFAULT_LAN_USERS } from "../../src/lan/lan_config.ts";
import { NullLogger } from "../../src/log/logger.ts";
import { selfSignedCertificate, startRedfishServer } from "../../src/redfish/server.ts";
import { startRuntime, TCP_ANY } from "../_helpers/runtime.ts";
import { freshStatus as status } from "./_service.ts";

const AUTH = { Authorization: `Basic ${btoa("admin:admin")}` };

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
    await using t = await startRuntime({ listen: TCP_ANY });
    const server = await startRedfishServer(
      { hostname: "127.0.0.1", port: 0, tls: { certFile: cert, keyFile: key } },
      {
        target: t.runtime,
        users: DEFAULT_LAN_USERS,
        clock: t.clock,
        bus: t.bus,
        log: new NullLogger(),
      },
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
