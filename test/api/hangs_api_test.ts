import assert from "node:assert/strict";
import { testApi } from "../_helpers/api.ts";

async function json(r: Response): Promise<Record<string, unknown>> {
  return await r.json() as Record<string, unknown>;
}

const getMessage = { netfn: 6, lun: 0, cmd: 0x33, data: new Uint8Array() };

Deno.test("POST /hang starts a hang the state and events show; DELETE releases it", async () => {
  await using api = await testApi();
  const started = await api.call("POST", "/api/v1/bmcs/bmc0/hang", {
    mode: "sticky-receive-queue",
    message: "request",
  });
  assert.equal(started.status, 201);
  assert.deepEqual(
    { ...await json(started), lastEventId: 0 },
    { mode: "sticky-receive-queue", message: "request", durationMs: null, lastEventId: 0 },
  );
  const bmc = api.registry.get("bmc0")!.bmc;
  for (let i = 0; i < 3; i++) {
    const v = bmc.handle(getMessage) as { kind: string; response: { cc: number } };
    assert.equal(v.response.cc, 0, "every fetch succeeds");
  }
  const state = await json(await api.call("GET", "/api/v1/bmcs/bmc0"));
  const hang = state.hang as Record<string, unknown>;
  assert.equal(hang.mode, "sticky-receive-queue");
  assert.equal(hang.message, "request");
  assert.equal(hang.origin, "api");
  assert.equal(hang.fetches, 3);
  assert.equal(typeof hang.elapsedMs, "number");
  assert.equal(state.messageFlags, "0x01", "the receive-queue flag is up");
  const released = await api.call("DELETE", "/api/v1/bmcs/bmc0/hang");
  assert.equal(released.status, 200);
  assert.equal((await json(released)).released, "sticky-receive-queue");
  const types = api.bus.since(0).map((e) => e.type);
  assert.ok(types.includes("hang.started") && types.includes("hang.released"), types.join());
  assert.equal((await json(await api.call("GET", "/api/v1/bmcs/bmc0"))).hang, null);
  const again = await api.call("DELETE", "/api/v1/bmcs/bmc0/hang");
  assert.equal(again.status, 409, "nothing left to release");
  assert.match(String((await json(again)).error), /No hang/);
});

Deno.test("invalid hangs are 400s naming the field; unknown BMCs 404", async (t) => {
  await using api = await testApi();
  const cases: [unknown, string][] = [
    [{ mode: "frozen" }, "body.mode"],
    [{}, "body.mode"],
    [{ mode: "silent", durationMs: 0 }, "body.durationMs"],
    [{ mode: "silent", durationMs: "soon" }, "body.durationMs"],
    [{ mode: "wedge", message: "request" }, "body.message"],
    [{ mode: "sticky-receive-queue", message: "gossip" }, "body.message"],
    [{ mode: "silent", forever: true }, "body"],
  ];
  for (const [body, field] of cases) {
    await t.step(JSON.stringify(body), async () => {
      const r = await api.call("POST", "/api/v1/bmcs/bmc0/hang", body);
      assert.equal(r.status, 400);
      assert.equal((await json(r)).field, field);
    });
  }
  await t.step("release with a bad cc", async () => {
    await api.call("POST", "/api/v1/bmcs/bmc0/hang", { mode: "wedge" });
    const r = await api.call("DELETE", "/api/v1/bmcs/bmc0/hang", { cc: 300 });
    assert.equal(r.status, 400);
    assert.equal((await json(r)).field, "body.cc");
    assert.equal(api.registry.get("bmc0")!.bmc.hang?.mode, "wedge", "still hung");
  });
  assert.equal((await api.call("POST", "/api/v1/bmcs/nope/hang", { mode: "silent" })).status, 404);
});
