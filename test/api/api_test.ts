import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import { testApi } from "../_helpers/api.ts";
import { drive } from "../_helpers/drive.ts";
import { VmPeer } from "../_helpers/vm_peer.ts";

async function json(r: Response): Promise<Record<string, unknown>> {
  return await r.json() as Record<string, unknown>;
}

Deno.test("GET /healthz, /api/v1/bmcs and /api/v1/bmcs/{id}", async () => {
  await using api = await testApi();
  const health = await api.call("GET", "/healthz");
  assert.equal(health.status, 200);
  assert.deepEqual(await json(health), { status: "ok", version: "test", bmcs: 2, connected: 0 });
  const list = await json(await api.call("GET", "/api/v1/bmcs"));
  assert.deepEqual((list.bmcs as { id: string }[]).map((b) => b.id), ["bmc0", "bmc1"]);
  const state = await json(await api.call("GET", "/api/v1/bmcs/bmc1"));
  assert.equal(state.id, "bmc1");
  assert.equal((state.connection as { connected: boolean }).connected, false);
  assert.equal((state.power as { backend: string }).backend, "vm");
  assert.equal((state.watchdog as { running: boolean }).running, false);
  assert.equal(state.globalEnables, "0x08");
  assert.equal((state.sel as { entries: number }).entries, 0);
  assert.equal(typeof state.lastEventId, "number");
  const missing = await api.call("GET", "/api/v1/bmcs/nope");
  assert.equal(missing.status, 404);
  assert.deepEqual(await json(missing), { error: 'No BMC with id "nope"' });
});

Deno.test("GET /api/v1/bmcs/{id}/watchdog shows every field", async () => {
  await using api = await testApi();
  api.registry.get("bmc0")!.bmc.handle({
    netfn: 6,
    lun: 0,
    cmd: 0x24,
    data: Uint8Array.of(0x44, 0x31, 2, 0, 100, 0),
  });
  api.registry.get("bmc0")!.bmc.handle({ netfn: 6, lun: 0, cmd: 0x22, data: new Uint8Array() });
  const w = await json(await api.call("GET", "/api/v1/bmcs/bmc0/watchdog"));
  assert.equal(w.running, true);
  assert.equal(w.timerUse, "sms-os");
  assert.equal(w.action, "hard-reset");
  assert.equal(w.pretimeoutInterrupt, "messaging");
  assert.equal(w.pretimeoutSeconds, 2);
  assert.equal(w.initialCountdownMs, 10_000);
  assert.ok((w.remainingMs as number) > 9000);
  api.registry.get("bmc0")!.bmc.watchdog.stop("test");
});

Deno.test("the SEL routes add, list, get, delete and clear records", async () => {
  await using api = await testApi();
  const raw = await api.call("POST", "/api/v1/bmcs/bmc0/sel", {
    raw: "00 00 02 00 00 00 00 20 00 04 23 01 6f c1 04 ff",
  });
  assert.equal(raw.status, 201);
  const rec = await json(raw);
  assert.equal(rec.id, 1);
  assert.equal(rec.description, "Watchdog 2: hard reset");
  assert.match(String(rec.timestamp), /^\d{4}-\d\d-\d\dT/);
  const ev = await json(
    await api.call("POST", "/api/v1/bmcs/bmc0/sel", {
      sensorType: "0x20",
      sensorNumber: 0,
      eventData: ["0x01"],
    }),
  );
  assert.equal(ev.description, "OS Critical Stop: run-time critical stop");
  const list = await json(await api.call("GET", "/api/v1/bmcs/bmc0/sel"));
  assert.equal(list.entries, 2);
  assert.equal((list.records as unknown[]).length, 2);
  assert.equal((await json(await api.call("GET", "/api/v1/bmcs/bmc0/sel/0x0002"))).id, 2);
  assert.equal((await api.call("GET", "/api/v1/bmcs/bmc0/sel/99")).status, 404);
  const bad = await api.call("GET", "/api/v1/bmcs/bmc0/sel/abc");
  assert.equal(bad.status, 400);
  assert.equal((await json(bad)).field, "path.recordId");
  assert.deepEqual(await json(await api.call("DELETE", "/api/v1/bmcs/bmc0/sel/1")), { deleted: 1 });
  assert.equal((await api.call("DELETE", "/api/v1/bmcs/bmc0/sel/1")).status, 404);
  assert.deepEqual(await json(await api.call("DELETE", "/api/v1/bmcs/bmc0/sel")), {
    cleared: true,
    removed: 1,
  });
  assert.equal(
    (await json(await api.call("GET", "/api/v1/bmcs/bmc1/sel"))).entries,
    0,
    "BMCs are separate",
  );
});

Deno.test("every body and query is validated with a 400 naming the field", async (t) => {
  await using api = await testApi();
  const cases: [string, string, unknown, string][] = [
    ["POST", "/api/v1/bmcs/bmc0/chassis", { action: "explode" }, "body.action"],
    ["POST", "/api/v1/bmcs/bmc0/chassis", { action: "power-on", extra: 1 }, "body"],
    ["POST", "/api/v1/bmcs/bmc0/chassis", "{not json", "body"],
    ["POST", "/api/v1/bmcs/bmc0/sel", { raw: "00 01" }, "body.raw"],
    ["POST", "/api/v1/bmcs/bmc0/events", { sensorType: 300, eventData: [1] }, "body.sensorType"],
    [
      "POST",
      "/api/v1/bmcs/bmc0/events",
      { sensorType: 1, eventData: [1, 2, 3, 4] },
      "body.eventData",
    ],
    ["POST", "/api/v1/bmcs/bmc0/events", { sensorType: "0xZZ", eventData: [1] }, "body.sensorType"],
    ["GET", "/api/v1/bmcs/bmc0/events/wait", undefined, "query.type"],
    [
      "GET",
      "/api/v1/bmcs/bmc0/events/wait?type=watchdog.expired&timeout=soon",
      undefined,
      "query.timeout",
    ],
    ["GET", "/api/v1/bmcs/bmc0/events/wait?type=watchdog.exploded", undefined, "query.type"],
    ["GET", "/api/v1/bmcs/bmc0/events/wait?type=sel.added&after=x", undefined, "query.after"],
    ["GET", "/api/v1/bmcs/bmc0/events?types=nope.*", undefined, "query.types"],
  ];
  for (const [method, path, body, field] of cases) {
    await t.step(`${method} ${path} ${JSON.stringify(body) ?? ""}`, async () => {
      const r = await api.call(method, path, body);
      assert.equal(r.status, 400);
      const j = await json(r);
      assert.equal(j.field, field, JSON.stringify(j));
      assert.match(String(j.error), /^Invalid request: /);
    });
  }
  await t.step("wrong content type → 415", async () => {
    const r = await api.call("POST", "/api/v1/bmcs/bmc0/chassis", "action=power-on", {
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(r.status, 415);
    await r.body?.cancel();
  });
  await t.step("huge body → 413", async () => {
    const r = await api.call("POST", "/api/v1/bmcs/bmc0/sel", { raw: "00".repeat(300_000) });
    assert.equal(r.status, 413);
    await r.body?.cancel();
  });
  await t.step("unknown route → 404", async () => {
    const r = await api.call("GET", "/api/v1/nothing");
    assert.equal(r.status, 404);
    assert.deepEqual(await json(r), { error: "No route GET /api/v1/nothing" });
  });
});

Deno.test("POST chassis answers 409 with the reason when the backend cannot act", async () => {
  await using api = await testApi();
  const on = await api.call("POST", "/api/v1/bmcs/bmc0/chassis", { action: "power-on" });
  assert.equal(on.status, 409);
  assert.match(
    String((await json(on)).error),
    /Cannot power-on: the vm power backend cannot power on/,
  );
  const reset = await api.call("POST", "/api/v1/bmcs/bmc0/chassis", { action: "hard-reset" });
  assert.equal(reset.status, 409);
  assert.match(String((await json(reset)).error), /no VM is connected/);
});

Deno.test("POST events logs like a Platform Event Message: SEL, event buffer, ATTN", async () => {
  await using api = await testApi();
  const bmc = api.registry.get("bmc0")!.bmc;
  bmc.messaging.setGlobalEnables(0x0c);
  const r = await api.call("POST", "/api/v1/bmcs/bmc0/events", {
    sensorType: "0x12",
    sensorNumber: 3,
    eventData: [1],
    generatorId: "0x41",
  });
  assert.equal(r.status, 201);
  const j = await json(r);
  assert.equal(j.recordId, 1);
  assert.equal(j.eventBuffer, true);
  assert.equal(bmc.messaging.attention(), "attn");
  assert.equal(bmc.sel.records()[0]!.bytes[7], 0x41);
});

Deno.test("the long-poll returns a retained event after `after`, and 408 on timeout", async () => {
  await using api = await testApi();
  const before = api.bus.lastId;
  await api.call("POST", "/api/v1/bmcs/bmc0/sel", { raw: "00".repeat(16) });
  const found = await api.call(
    "GET",
    `/api/v1/bmcs/bmc0/events/wait?type=sel.added&after=${before}`,
  );
  assert.equal(found.status, 200);
  const e = await json(found);
  assert.equal(e.type, "sel.added");
  assert.equal(e.bmc, "bmc0");
  const timeout = await drive(
    api.clock,
    api.call("GET", "/api/v1/bmcs/bmc1/events/wait?type=sel.added&after=0&timeout=50ms"),
  );
  assert.equal(timeout.status, 408);
  assert.match(
    String((await json(timeout)).error),
    /Timed out after 50 ms waiting for sel.added on bmc1/,
  );
  const later = api.call(
    "GET",
    `/api/v1/bmcs/bmc1/events/wait?type=sel.*&timeout=5s&after=${api.bus.lastId}`,
  );
  await api.call("DELETE", "/api/v1/bmcs/bmc1/sel");
  const cleared = await later;
  assert.equal(cleared.status, 200);
  assert.equal((await json(cleared)).type, "sel.cleared");
});

Deno.test("GET /metrics counts dropped LAN datagrams by BMC and reason", async () => {
  await using api = await testApi({ lan: true });
  const endpoint = api.registry.get("bmc0")!.lan!.endpoint!;
  const peer = { address: "127.0.0.1", port: 40000 };
  endpoint.receive(new Uint8Array([1, 2]), peer); // too short for an RMCP header
  endpoint.receive(new Uint8Array([1, 2]), peer);
  endpoint.receive(new Uint8Array([0x42, 0, 0xff, 0x07, 0, 0, 0, 0]), peer); // not RMCP
  const text = await (await api.call("GET", "/metrics")).text();
  assert.match(text, /# TYPE bmc_emu_lan_dropped_datagrams_total counter/);
  assert.match(text, /^bmc_emu_lan_dropped_datagrams_total\{bmc="bmc0",reason="short"\} 2$/m);
  assert.match(text, /^bmc_emu_lan_dropped_datagrams_total\{bmc="bmc0",reason="not-rmcp"\} 1$/m);
  assert.doesNotMatch(text, /bmc_emu_lan_dropped_datagrams_total\{bmc="bmc1"/, "bmc1 has no LAN");
});

Deno.test("GET /metrics exposes Prometheus text", async () => {
  await using api = await testApi();
  await api.call("POST", "/api/v1/bmcs/bmc0/sel", { raw: "00".repeat(16) });
  const r = await api.call("GET", "/metrics");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type") ?? "", /text\/plain/);
  const text = await r.text();
  assert.match(text, /# TYPE bmc_emu_ipmi_requests_total counter/);
  assert.match(text, /bmc_emu_sel_entries\{bmc="bmc0"\} 1/);
  assert.match(text, /bmc_emu_sel_entries\{bmc="bmc1"\} 0/);
  assert.match(text, /bmc_emu_vm_connected\{bmc="bmc0"\} 0/);
  assert.match(text, /bmc_emu_bmcs 2/);
});

Deno.test("the OpenAPI document declares request schemas from the zod schemas", async () => {
  await using api = await testApi();
  const doc = await json(await api.call("GET", "/api/v1/openapi.json"));
  assert.equal(doc.openapi, "3.1.0");
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const chassis = paths["/api/v1/bmcs/{id}/chassis"]!.post!;
  const schema = (chassis.requestBody as {
    content: { "application/json": { schema: { properties: { action: { enum: string[] } } } } };
  })
    .content["application/json"].schema;
  assert.deepEqual(schema.properties.action.enum, [
    "power-on",
    "power-off",
    "power-cycle",
    "hard-reset",
    "diag-interrupt",
    "soft-off",
  ]);
  const wait = paths["/api/v1/bmcs/{id}/events/wait"]!.get!;
  assert.deepEqual((wait.parameters as { name: string }[]).map((p) => p.name).sort(), [
    "after",
    "id",
    "timeout",
    "type",
  ]);
});

Deno.test("with a token, every request needs the bearer token", async () => {
  await using api = await testApi({ token: "a-long-enough-secret-token" });
  const none = await api.call("GET", "/api/v1/bmcs");
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("www-authenticate"), 'Bearer realm="bmc-emu"');
  assert.deepEqual(await json(none), { error: "Missing bearer token" });
  const wrong = await api.call("GET", "/healthz", undefined, { authorization: "Bearer nope" });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await json(wrong), { error: "Invalid bearer token" });
  const right = await api.call("GET", "/api/v1/bmcs", undefined, {
    authorization: "Bearer a-long-enough-secret-token",
  });
  assert.equal(right.status, 200);
  await right.body?.cancel();
});

Deno.test("DELETE /bmcs/{id} stops the BMC: gone from the list, an event, then 404", async () => {
  await using api = await testApi();
  const r = await api.call("DELETE", "/api/v1/bmcs/bmc1");
  assert.equal(r.status, 200);
  const j = await json(r);
  assert.equal(j.removed, "bmc1");
  assert.equal(j.stateFile, null);
  const list = await json(await api.call("GET", "/api/v1/bmcs"));
  assert.deepEqual((list.bmcs as { id: string }[]).map((b) => b.id), ["bmc0"]);
  assert.ok(api.bus.since(0).some((e) => e.type === "bmc.removed" && e.bmc === "bmc1"));
  const gone = await api.call("GET", "/api/v1/bmcs/bmc1");
  assert.equal(gone.status, 404);
  assert.deepEqual(await json(gone), { error: 'No BMC with id "bmc1"' });
  const again = await api.call("DELETE", "/api/v1/bmcs/bmc1");
  assert.equal(again.status, 404);
  await again.body?.cancel();
});

Deno.test("POST /bmcs starts a BMC from a config entry; a VM peer attaches; errors name the field", async () => {
  await using api = await testApi();
  const r = await api.call("POST", "/api/v1/bmcs", {
    id: "n2",
    profile: "qemu-default",
    vm: { listen: "tcp:127.0.0.1:0" },
  });
  assert.equal(r.status, 201);
  const added = await json(r);
  assert.equal(added.id, "n2");
  assert.equal(added.profile, "qemu-default");
  const list = await json(await api.call("GET", "/api/v1/bmcs"));
  assert.deepEqual((list.bmcs as { id: string }[]).map((b) => b.id), ["bmc0", "bmc1", "n2"]);
  assert.ok(api.bus.since(0).some((e) => e.type === "bmc.added" && e.bmc === "n2"));
  const peer = await VmPeer.connect(api.registry.get("n2")!.endpoint);
  try {
    const id = await peer.call(1, NetFn.App, AppCmd.GetDeviceId);
    assert.equal(id.response.cc, 0, "the new BMC answers its guest");
  } finally {
    await peer.close();
  }
  const cases: [unknown, number, string][] = [
    [{ id: "n2", vm: { listen: "tcp:127.0.0.1:0" } }, 409, "body.id"],
    [{ id: "n3", vm: { sideways: true } }, 400, "body.vm.listen"],
    [{ id: "bad id", vm: { listen: "tcp:127.0.0.1:0" } }, 400, "body.id"],
    [
      { id: "n5", vm: { listen: "tcp:127.0.0.1:0" }, lan: { listen: "nope" } },
      400,
      "body.lan.listen",
    ],
    [
      {
        id: "n6",
        vm: { listen: "tcp:127.0.0.1:0" },
        faults: [{ match: { netfn: "app", cmd: "get-nothing" }, action: { type: "drop" } }],
      },
      400,
      "body.faults[0].match.cmd",
    ],
    [
      {
        id: "n4",
        vm: { listen: `tcp:127.0.0.1:${portOf(api.registry.get("bmc0")!.endpoint)}` },
      },
      409,
      "body.vm.listen",
    ],
  ];
  for (const [body, status, field] of cases) {
    const bad = await api.call("POST", "/api/v1/bmcs", body);
    const j = await json(bad);
    assert.equal(bad.status, status, JSON.stringify(j));
    assert.equal(j.field, field, JSON.stringify(j));
  }
  assert.equal(api.registry.size, 3, "nothing half-started");
  const again = await api.call("POST", "/api/v1/bmcs", {
    id: "n4",
    vm: { listen: "tcp:127.0.0.1:0" },
  });
  assert.equal(again.status, 201, "the id of a failed add is free");
  await again.body?.cancel();
  api.registry.get("n4")!.bmc.startHang({ mode: "silent" }, "test");
  const hangLines = api.logs.filter((l) => l.includes('"hang started"') && l.includes('"n4"'));
  assert.equal(hangLines.length, 1, "the failed add left no second logger behind");
  const removed = await api.call("DELETE", "/api/v1/bmcs/n2");
  assert.equal(removed.status, 200);
  await removed.body?.cancel();
  await (await api.call("DELETE", "/api/v1/bmcs/n4")).body?.cancel();
});

Deno.test("POST /bmcs with another BMC's UNIX socket answers 409 naming it, and that BMC sees no VM", async () => {
  await using api = await testApi();
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/n7.sock`;
    const first = await api.call("POST", "/api/v1/bmcs", {
      id: "n7",
      vm: { listen: `unix:${path}` },
    });
    assert.equal(first.status, 201);
    await first.body?.cancel();
    const second = await api.call("POST", "/api/v1/bmcs", {
      id: "n8",
      vm: { listen: `unix:${path}` },
    });
    const j = await json(second);
    assert.equal(second.status, 409, JSON.stringify(j));
    assert.equal(j.field, "body.vm.listen");
    assert.match(String(j.error), /vm\.listen is in use by BMC "n7"/);
    const peer = await VmPeer.connect(api.registry.get("n7")!.endpoint);
    try {
      assert.equal((await peer.call(1, NetFn.App, AppCmd.GetDeviceId)).response.cc, 0);
    } finally {
      await peer.close();
    }
    const connected = api.bus.since(0).filter((e) => e.type === "vm.connected" && e.bmc === "n7");
    assert.equal(connected.length, 1, "only the peer connected: nothing probed n7's socket");
    await (await api.call("DELETE", "/api/v1/bmcs/n7")).body?.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function portOf(endpoint: Endpoint): number {
  return endpoint.transport === "tcp" ? endpoint.port : 0;
}
