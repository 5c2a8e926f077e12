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
import { withDeadline } from "../../_helpers/deadline.ts";
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

Deno.test("Redfish SSE over HTTP: the BMC's events arrive as Event payloads until the server closes", async () => {
  await using t = await startRuntime({ listen: TCP_ANY });
  const server = await startRedfishServer(
    { hostname: "127.0.0.1", port: 0, tls: null },
    depsOf(t),
  );
  using client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  let closed: Promise<void> | null = null;
  try {
    const res = await fetch(`${server.url}/redfish/v1/EventService/SSE`, {
      headers: { Authorization: `Basic ${btoa("admin:admin")}` },
      client,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const events = async (count: number): Promise<Record<string, unknown>[]> => {
      const messages = () => text.split("\n\n").filter((m) => m.includes("data: "));
      while (messages().length < count) {
        const { value, done } = await withDeadline(reader.read(), `${count} SSE events`);
        if (done) throw new Error("the stream ended early");
        text += value;
      }
      return messages().map((m) => JSON.parse(/^data: (.*)$/m.exec(m)![1]!));
    };
    t.runtime.bmc.chassis.powerChanged("off", "test");
    t.runtime.bmc.chassis.powerChanged("on", "test");
    const [off, on] = await events(2);
    for (const e of [off!, on!]) {
      assert.match(String(e["@odata.type"]), /^#Event\.v\d+_\d+_\d+\.Event$/);
    }
    const messageIds = [off!, on!].map((e) => (e.Events as { MessageId: string }[])[0]!.MessageId);
    assert.deepEqual(messageIds, ["BmcEmu.1.0.PowerStateChanged", "BmcEmu.1.0.PowerStateChanged"]);
    assert.notEqual(off!.Id, on!.Id);
    closed = server.close();
    let rest = await withDeadline(reader.read(), "the end of the stream");
    while (!rest.done) rest = await withDeadline(reader.read(), "the end of the stream");
  } finally {
    await (closed ?? server.close());
  }
});
