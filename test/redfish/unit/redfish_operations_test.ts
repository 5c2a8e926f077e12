/**
 * The Redfish service as a front-end of the BMC model: resets reach the
 * power backend, Manager.Reset runs the BMC reset (503 with Retry-After
 * until it is back, sessions forgotten), the SEL is the LogService, users
 * and sessions authenticate, and events reach SSE readers.
 */

import assert from "node:assert/strict";
import { FakeQmpBackend } from "../_fake_power.ts";
import { logPanicEvent, testService } from "../_service.ts";

const RESET = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";

function post(body: unknown, extra: { user?: string | null; headers?: HeadersInit } = {}) {
  return { method: "POST", body: JSON.stringify(body), ...extra };
}

Deno.test({
  name: "ComputerSystem.Reset goes through the chassis model to the vm power backend",
  async fn() {
    await using t = await testService();
    const system = await (await t.request("/redfish/v1/Systems/1")).json();
    const allowed = system.Actions["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"];
    assert.deepEqual(allowed, [
      "ForceOff",
      "GracefulShutdown",
      "ForceRestart",
      "PowerCycle",
      "Nmi",
    ]);
    assert.equal(system.PowerState, "On");
    for (const [type, sent] of [["ForceRestart", "reset"], ["Nmi", "nmi"]] as const) {
      const res = await t.request(RESET, post({ ResetType: type }));
      assert.equal(res.status, 204, type);
      assert.equal(t.link.sent.at(-1), sent);
    }
    const on = await t.request(RESET, post({ ResetType: "On" }));
    assert.equal(on.status, 400);
    assert.equal((await on.json()).error.code, "Base.1.9.3.PropertyValueNotInList");
    t.link.caps = null;
    const gone = await t.request(RESET, post({ ResetType: "ForceOff" }));
    assert.equal(gone.status, 409);
    assert.match((await gone.json()).error.message, /no VM is connected/);
  },
});

Deno.test({
  name: "ComputerSystem.Reset On and ForceOff change PowerState with a backend that can power on",
  async fn() {
    const power = new FakeQmpBackend();
    await using t = await testService({ power });
    const off = await t.request(RESET, post({ ResetType: "ForceOff" }));
    assert.equal(off.status, 204);
    assert.deepEqual(power.performed, ["off"]);
    const system = await (await t.request("/redfish/v1/Systems/1")).json();
    assert.equal(system.PowerState, "Off");
    assert.ok(system.Actions["#ComputerSystem.Reset"]["ResetType@Redfish.AllowableValues"]
      .includes("On"));
    assert.equal((await t.request(RESET, post({ ResetType: "On" }))).status, 204);
    assert.equal((await (await t.request("/redfish/v1/Chassis/1")).json()).PowerState, "On");
  },
});

Deno.test({
  name: "Manager.Reset reboots the BMC: 503 with Retry-After until it is back, sessions gone",
  async fn() {
    await using t = await testService();
    const login = await t.request(
      "/redfish/v1/SessionService/Sessions",
      post({ UserName: "admin", Password: "secret-admin" }, { user: null }),
    );
    assert.equal(login.status, 201);
    const token = login.headers.get("X-Auth-Token")!;
    assert.match(login.headers.get("Location")!, /^\/redfish\/v1\/SessionService\/Sessions\/\d+$/);
    const reset = await t.request(
      "/redfish/v1/Managers/1/Actions/Manager.Reset",
      post({ ResetType: "GracefulRestart" }, { user: null, headers: { "X-Auth-Token": token } }),
    );
    assert.equal(reset.status, 204);
    assert.equal(t.link.disconnects.length, 1, "disconnect mode closes the VM link");
    const during = await t.request("/redfish/v1/", { user: null });
    assert.equal(during.status, 503);
    assert.equal(during.headers.get("Retry-After"), "5");
    assert.equal((await during.json()).error.code, "Base.1.9.3.ServiceTemporarilyUnavailable");
    t.clock.advance(4000);
    assert.equal((await t.request("/redfish/v1/Systems")).headers.get("Retry-After"), "1");
    t.clock.advance(1000);
    assert.equal((await t.request("/redfish/v1/Systems")).status, 200);
    const stale = await t.request("/redfish/v1/Systems", {
      user: null,
      headers: { "X-Auth-Token": token },
    });
    assert.equal(stale.status, 401, "a BMC reboot forgets the sessions");
  },
});

Deno.test("A silent BMC reset holds Redfish requests until the BMC is back", async () => {
  await using t = await testService();
  t.bmc.beginReset({
    mode: "silent",
    durationMs: 3000,
    busyCc: 0xc0,
    watchdog: "forget",
    resetWatchdogCc: null,
  }, "test");
  // The request is held when it waits for the BMC's bmc.ready.
  const held = Promise.withResolvers<void>();
  const subscribe = t.bus.subscribe.bind(t.bus);
  t.bus.subscribe = (filter, deliver) => {
    if (filter.types?.has("bmc.ready")) held.resolve();
    return subscribe(filter, deliver);
  };
  let answered = 0;
  const pending = t.request("/redfish/v1/Systems/1").then((r) => {
    answered = r.status;
    return r.body?.cancel();
  });
  await held.promise;
  t.clock.advance(2999);
  assert.equal(answered, 0, "no answer while the BMC is silent");
  t.clock.advance(1);
  await pending;
  assert.equal(answered, 200);
});

Deno.test({
  name: "Sessions: login, use, list, expire after SessionTimeout, logout; ReadOnly may not reset",
  async fn() {
    await using t = await testService();
    const bad = await t.request(
      "/redfish/v1/SessionService/Sessions",
      post({ UserName: "admin", Password: "nope" }, { user: null }),
    );
    assert.equal(bad.status, 401);
    const login = await t.request(
      "/redfish/v1/SessionService/Sessions",
      post({ UserName: "viewer", Password: "secret-view" }, { user: null }),
    );
    const token = login.headers.get("X-Auth-Token")!;
    const me = login.headers.get("Location")!;
    const auth = { user: null, headers: { "X-Auth-Token": token } };
    const session = await (await t.request(me, auth)).json();
    assert.equal(session.UserName, "viewer");
    const list = await (await t.request("/redfish/v1/SessionService/Sessions", auth)).json();
    assert.deepEqual(list.Members, [{ "@odata.id": me }]);
    const reset = await t.request(RESET, post({ ResetType: "ForceRestart" }, auth));
    assert.equal(reset.status, 403);
    const account = await (await t.request("/redfish/v1/AccountService/Accounts/4", auth)).json();
    assert.equal(account.RoleId, "ReadOnly");
    t.clock.advance(1800 * 1000 - 1);
    assert.equal((await t.request("/redfish/v1/Systems", auth)).status, 200);
    t.clock.advance(1800 * 1000 + 1);
    assert.equal((await t.request("/redfish/v1/Systems", auth)).status, 401, "expired");
    const again = await t.request(
      "/redfish/v1/SessionService/Sessions",
      post({ UserName: "oper", Password: "secret-oper" }, { user: null }),
    );
    const token2 = again.headers.get("X-Auth-Token")!;
    const del = await t.request(again.headers.get("Location")!, {
      method: "DELETE",
      user: null,
      headers: { "X-Auth-Token": token2 },
    });
    assert.equal(del.status, 204);
    assert.equal(
      (await t.request("/redfish/v1/Systems", { user: null, headers: { "X-Auth-Token": token2 } }))
        .status,
      401,
    );
  },
});

Deno.test({
  name: "The SEL is the Manager's LogService: entries decoded, ClearLog clears the BMC's SEL",
  async fn() {
    await using t = await testService();
    logPanicEvent(t.bmc);
    const entries = await (await t.request("/redfish/v1/Managers/1/LogServices/SEL/Entries"))
      .json();
    assert.equal(entries["Members@odata.count"], 1);
    const e = entries.Members[0];
    assert.equal(e.EntryType, "SEL");
    assert.equal(e.SensorType, "OS Stop/Shutdown");
    assert.equal(e.EntryCode, "Assert");
    assert.equal(e.Severity, "Critical");
    assert.equal(e.Created, "2026-12-01T12:00:00.000Z");
    assert.match(e.Message, /run-time critical stop/);
    const clear = await t.request(
      "/redfish/v1/Managers/1/LogServices/SEL/Actions/LogService.ClearLog",
      { method: "POST" },
    );
    assert.equal(clear.status, 204);
    assert.equal(t.bmc.sel.size, 0);
  },
});

Deno.test("NetworkProtocol shows the BMC's Redfish and IPMI-over-LAN ports", async () => {
  for (
    const [lanListen, ipmi] of [[undefined, { ProtocolEnabled: false }], ["0.0.0.0:623", {
      ProtocolEnabled: true,
      Port: 623,
    }]] as const
  ) {
    await using t = await testService(lanListen === undefined ? {} : { lanListen });
    const np = await (await t.request("/redfish/v1/Managers/1/NetworkProtocol")).json();
    assert.deepEqual(np.IPMI, ipmi);
    assert.deepEqual(np.HTTP, { ProtocolEnabled: true, Port: 8000 });
    assert.equal(np.SSH.ProtocolEnabled, false);
  }
});

Deno.test("EventService subscriptions POST the BMC's events to a loopback destination", async () => {
  const received: Record<string, unknown>[] = [];
  let arrived = (): void => {};
  await using receiver = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      received.push(await req.json());
      arrived();
      return new Response(null, { status: 204 });
    },
  );
  await using t = await testService();
  const far = await t.request(
    "/redfish/v1/EventService/Subscriptions",
    post({ Destination: "http://192.0.2.1/events" }),
  );
  assert.equal(far.status, 400, "only loopback destinations");
  const destination = `http://127.0.0.1:${receiver.addr.port}/events`;
  const sub = await t.request(
    "/redfish/v1/EventService/Subscriptions",
    post({ Destination: destination, Context: "rig-1", Protocol: "Redfish" }),
  );
  assert.equal(sub.status, 201);
  const location = sub.headers.get("Location")!;
  const got = new Promise<void>((resolve) => arrived = resolve);
  logPanicEvent(t.bmc);
  await got;
  assert.equal(received[0]!.Context, "rig-1");
  const events = received[0]!.Events as { MessageId: string }[];
  assert.equal(events[0]!.MessageId, "BmcEmu.1.0.SelEntryAdded");
  assert.equal((await t.request(location, { method: "DELETE" })).status, 204);
  assert.equal((await t.request(location)).status, 404);
});

Deno.test({
  name: "Redfish SSE stream carries the BMC's power and SEL events",
  async fn() {
    await using t = await testService();
    const res = await t.request("/redfish/v1/EventService/SSE");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    t.bmc.chassis.powerChanged("off", "test");
    let text = "";
    while (!text.includes("\n\n")) text += (await reader.read()).value ?? "";
    const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
    assert.equal(data.Events[0].MessageId, "BmcEmu.1.0.PowerStateChanged");
    assert.equal(data.Events[0].OriginOfCondition["@odata.id"], "/redfish/v1/Systems/1");
    await reader.cancel();
  },
});
