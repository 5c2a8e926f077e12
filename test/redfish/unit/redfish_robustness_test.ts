/**
 * Bad input never crashes the Redfish service: seeded random methods,
 * paths, headers and bodies get a precise 4xx/5xx-free answer from the app,
 * and garbage bytes on the socket leave the server serving.
 */

import assert from "node:assert/strict";
import { DEFAULT_LAN_USERS } from "../../../src/lan/lan_config.ts";
import { NullLogger } from "../../../src/log/logger.ts";
import { startRedfishServer } from "../../../src/redfish/server.ts";
import { Prng } from "../../../src/util/prng.ts";
import { startRuntime, TCP_ANY } from "../../_helpers/runtime.ts";
import { testService } from "../_service.ts";

const METHODS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"];
const PATHS = [
  "/redfish",
  "/redfish/v1/",
  "/redfish/v1/Systems/1",
  "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
  "/redfish/v1/Managers/1/Actions/Manager.Reset",
  "/redfish/v1/Managers/1/LogServices/SEL/Entries/%00",
  "/redfish/v1/SessionService/Sessions",
  "/redfish/v1/SessionService/Sessions/1",
  "/redfish/v1/EventService/Subscriptions",
  "/redfish/v1/Chassis/1/Sensors/..%2F..",
  "/redfish/v1/%ZZ",
  "/redfish/v1/Systems?$top=x",
];
const BODIES = [
  "",
  "{",
  "null",
  "[]",
  '{"ResetType": null}',
  '{"ResetType": "ForceRestart"}',
  '{"Boot": {"BootSourceOverrideTarget": 7}}',
  '{"UserName": [], "Password": {}}',
  '{"Destination": "file:///etc/passwd"}',
  '{"__proto__": {"x": 1}}',
  "\u0000\u0001\u00ff",
];

Deno.test("Redfish answers 2000 random requests without a 500", async () => {
  await using t = await testService();
  const rng = new Prng(14);
  for (let i = 0; i < 2000; i++) {
    const method = METHODS[rng.int(METHODS.length)]!;
    const path = PATHS[rng.int(PATHS.length)]!;
    const body = BODIES[rng.int(BODIES.length)]!;
    const headers: Record<string, string> = {};
    if (rng.int(3) === 0) headers["If-Match"] = rng.int(2) ? "*" : '"bogus"';
    if (rng.int(4) === 0) headers.Authorization = "Basic !!!";
    const res = await t.request(path, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" || body === "" ? {} : { body }),
      user: rng.int(4) === 0 ? null : ["admin", "oper", "viewer"][rng.int(3)]!,
    });
    assert.ok(res.status < 500 || res.status === 501, `${method} ${path} ${body} → ${res.status}`);
    const text = await res.text();
    if (res.status >= 400 && method !== "HEAD") {
      assert.match(JSON.parse(text).error.code, /^Base\.1\.9\.3\./, `${method} ${path}`);
    }
    t.clock.advance(10_000); // let resets end
  }
});

Deno.test("Garbage on the Redfish socket leaves the server serving", async () => {
  await using rt = await startRuntime({ listen: TCP_ANY });
  const server = await startRedfishServer({ hostname: "127.0.0.1", port: 0, tls: null }, {
    target: rt.runtime,
    users: DEFAULT_LAN_USERS,
    clock: rt.clock,
    bus: rt.bus,
    log: new NullLogger(),
  });
  try {
    const port = Number(new URL(server.url).port);
    const rng = new Prng(7);
    for (let i = 0; i < 20; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      const junk = Uint8Array.from({ length: 1 + rng.int(2000) }, () => rng.int(256));
      await conn.write(
        i % 2 ? junk : new TextEncoder().encode(
          "GET / HTTP/1.1\r\nHost: x\r\n" + "X: y\r\n".repeat(rng.int(50)),
        ),
      );
      conn.close();
    }
    const res = await fetch(`${server.url}/redfish/v1/`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
  } finally {
    await server.close();
  }
});
