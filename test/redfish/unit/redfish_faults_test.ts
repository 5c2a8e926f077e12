/**
 * Fault rules on the Redfish channel: status, delay, body and drop, matched
 * by method and path pattern, with skip and count, each firing published.
 */

import assert from "node:assert/strict";
import { type RedfishFault, redfishFaultSchema } from "../../../src/faults/redfish_fault_schema.ts";
import { parseConfig } from "../../../src/runtime/config_file.ts";
import { testService } from "../_service.ts";
import { waitForEvent } from "../../../src/events/wait_for_event.ts";

function rule(json: unknown): RedfishFault {
  return redfishFaultSchema.parse(json);
}

Deno.test("A Redfish status fault answers its code a given number of times, then the real answer", async () => {
  await using t = await testService({
    faults: [rule({
      match: { channel: "redfish", path: "^/redfish/v1/Systems", method: "GET" },
      action: { type: "status", status: 503, retryAfter: 2 },
      skip: 1,
      count: 2,
    })],
  });
  const fired: unknown[] = [];
  t.bus.subscribe({ types: new Set(["fault.fired"]) }, (e) => fired.push(e.data));
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    const res = await t.request("/redfish/v1/Systems/1");
    statuses.push(res.status);
    if (res.status === 503) assert.equal(res.headers.get("Retry-After"), "2");
    await res.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 503, 503, 200]);
  assert.equal((await t.request("/redfish/v1/Managers/1")).status, 200, "other paths untouched");
  assert.equal(fired.length, 2);
  assert.deepEqual(fired[0], {
    ruleId: "redfish-1",
    channel: "redfish",
    action: "status",
    method: "GET",
    path: "/redfish/v1/Systems/1",
    fired: 1,
  });
});

Deno.test("A Redfish delay fault holds the request for its time on the clock; a body fault replaces the body", async () => {
  await using t = await testService({
    faults: [
      rule({
        match: { channel: "redfish", path: "/Chassis" },
        action: { type: "delay", ms: 1500 },
      }),
      rule({
        id: "garbled",
        match: { channel: "redfish", path: "/Managers/1$" },
        action: { type: "body", body: { not: "redfish" } },
      }),
    ],
  });
  let status = 0;
  const pending = t.request("/redfish/v1/Chassis/1").then(async (r) => {
    status = r.status;
    await r.body?.cancel();
  });
  const fired = { types: new Set(["fault.fired"]) };
  await waitForEvent(t.bus, t.clock, fired, { timeoutMs: 60_000, after: 0 });
  t.clock.advance(1499);
  assert.equal(status, 0, "held");
  t.clock.advance(1);
  await pending;
  assert.equal(status, 200);
  const garbled = await t.request("/redfish/v1/Managers/1");
  assert.equal(garbled.status, 200);
  assert.deepEqual(await garbled.json(), { not: "redfish" });
});

Deno.test("Redfish fault rules in a config file are validated", () => {
  const bmc = (faults: unknown) => ({
    bmcs: [{
      id: "a",
      vm: { listen: "tcp:127.0.0.1:0" },
      redfish: { listen: "127.0.0.1:0", faults },
    }],
  });
  const ok = parseConfig(
    bmc([{ match: { channel: "redfish" }, action: { type: "drop" } }]),
    "x.json",
  );
  assert.equal(ok.bmcs[0]!.redfish?.faults?.[0]?.action.type, "drop");
  assert.throws(
    () =>
      parseConfig(
        bmc([{ match: { channel: "redfish", path: "(" }, action: { type: "drop" } }]),
        "x.json",
      ),
    /regular expression/,
  );
  assert.throws(
    () => parseConfig(bmc([{ match: { channel: "lan" }, action: { type: "drop" } }]), "x.json"),
    /channel/,
  );
});
