/**
 * The Redfish server on real sockets: a BMC reset in disconnect mode
 * refuses connections until the BMC is back; a drop fault closes the
 * connection. (TLS, which needs openssl, is in `../server_tls_test.ts`.)
 */

import assert from "node:assert/strict";
import { NullLogger } from "../../../src/log/logger.ts";
import { startRedfishServer } from "../../../src/redfish/server.ts";
import { DEFAULT_LAN_USERS } from "../../../src/lan/lan_config.ts";
import { startRuntime, TCP_ANY, type TestRuntime } from "../../_helpers/runtime.ts";
import { freshStatus as status } from "../_service.ts";
import type { ResetPlan } from "../../../src/core/bmc_reset.ts";
import { redfishFaultSchema } from "../../../src/faults/redfish_fault_schema.ts";

function resetPlan(mode: "disconnect" | "busy", durationMs: number): ResetPlan {
  return { mode, durationMs, busyCc: 0xc0, watchdog: "forget", resetWatchdogCc: null };
}

/** What a Redfish server of a test runtime needs. */
function depsOf(t: TestRuntime): Parameters<typeof startRedfishServer>[1] {
  return {
    target: t.runtime,
    users: DEFAULT_LAN_USERS,
    clock: t.clock,
    bus: t.bus,
    log: new NullLogger(),
  };
}

Deno.test("Redfish refuses connections while the BMC resets in disconnect mode, then serves again", async () => {
  await using t = await startRuntime({ listen: TCP_ANY });
  const server = await startRedfishServer(
    { hostname: "127.0.0.1", port: 0, tls: null },
    depsOf(t),
  );
  try {
    const url = `${server.url}/redfish/v1/Systems/1`;
    assert.equal(await status(url), 200);
    t.runtime.bmc.beginReset(resetPlan("disconnect", 400), "test");
    assert.equal(await status(url), 0, "refused during the reset");
    t.clock.advance(400);
    assert.equal(await status(url), 200, "back after the reset");
    t.runtime.bmc.beginReset(resetPlan("busy", 200), "test");
    assert.equal(await status(url), 503, "a busy reset answers 503");
    t.clock.advance(200);
    assert.equal(await status(url), 200, "and back after the busy one");
  } finally {
    await server.close();
  }
});

Deno.test("A Redfish drop fault closes the connection without an answer", async () => {
  await using t = await startRuntime({ listen: TCP_ANY });
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
