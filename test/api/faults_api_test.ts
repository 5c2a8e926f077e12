import assert from "node:assert/strict";
import { testApi } from "../_helpers/api.ts";

async function json(r: Response): Promise<Record<string, unknown>> {
  return await r.json() as Record<string, unknown>;
}

Deno.test("POST /faults takes the documented rule and answers 201 with its id; GET, DELETE", async () => {
  await using api = await testApi();
  const r = await api.call("POST", "/api/v1/bmcs/bmc0/faults", {
    match: { netfn: "app", cmd: "get-device-id" },
    action: { type: "error", cc: 192 },
    count: 3,
  });
  assert.equal(r.status, 201);
  const rule = await json(r);
  assert.equal(rule.id, "f1");
  assert.deepEqual(rule.match, { netfn: 6, cmd: 1, command: "app/get-device-id" });
  assert.deepEqual(rule.action, { type: "error", cc: 0xc0 });
  assert.equal((rule.limits as { count: number }).count, 3);
  assert.equal(
    typeof (rule.limits as { seed: number }).seed,
    "number",
    "a seed is chosen and shown",
  );
  const bmc = api.registry.get("bmc0")!.bmc;
  const cc = () => bmc.handle({ netfn: 6, lun: 0, cmd: 1, data: new Uint8Array() });
  assert.equal((cc() as { response: { cc: number } }).response.cc, 0xc0);
  const list = await json(await api.call("GET", "/api/v1/bmcs/bmc0/faults"));
  assert.equal((list.rules as { hits: number }[])[0]!.hits, 1);
  const state = await json(await api.call("GET", "/api/v1/bmcs/bmc0"));
  assert.equal((state.faults as unknown[]).length, 1, "rules are visible in the BMC's state");
  assert.deepEqual(await json(await api.call("DELETE", "/api/v1/bmcs/bmc0/faults/f1")), {
    removed: "f1",
  });
  assert.equal((await api.call("DELETE", "/api/v1/bmcs/bmc0/faults/f1")).status, 404);
  assert.equal((cc() as { response: { cc: number } }).response.cc, 0);
});

Deno.test("fault rules accept hex strings, command shorthands, data prefixes and limits", async () => {
  await using api = await testApi();
  const add = async (body: unknown) =>
    json(await api.call("POST", "/api/v1/bmcs/bmc0/faults", body));
  const a = await add({
    match: { command: "app/reset-watchdog-timer" },
    action: { type: "error", cc: "0xD5" },
    skip: 1,
    probability: 0.5,
    seed: 7,
    durationMs: 60000,
  });
  assert.deepEqual(a.action, { type: "error", cc: 0xd5 });
  assert.equal((a.match as { command: string }).command, "app/reset-watchdog-timer");
  assert.match(String(a.expiresAt), /^\d{4}-/);
  const b = await add({
    match: { netfn: "0x06", cmd: 66, data: "0f" },
    action: { type: "corrupt", how: "truncate" },
  });
  assert.equal((b.match as { dataPrefix: string }).dataPrefix, "0f");
  const c = await add({ action: { type: "delay", ms: 2500 } });
  assert.equal(c.match, "any");
  assert.deepEqual((await add({ action: { type: "duplicate" } })).action, {
    type: "duplicate",
    gapMs: 0,
  });
  assert.deepEqual(await json(await api.call("DELETE", "/api/v1/bmcs/bmc0/faults")), {
    removed: 4,
  });
});

Deno.test("invalid fault rules are 400s naming the field", async (t) => {
  await using api = await testApi();
  const cases: [unknown, string][] = [
    [{ match: { netfn: "app", cmd: "make-coffee" }, action: { type: "drop" } }, "body.match.cmd"],
    [{ match: { netfn: "kitchen" }, action: { type: "drop" } }, "body.match.netfn"],
    [{ match: { cmd: "get-device-id" }, action: { type: "drop" } }, "body.match.cmd"],
    [{ action: { type: "explode" } }, "body.action.type"],
    [{ action: { type: "error", cc: 256 } }, "body.action.cc"],
    [{ action: { type: "delay", ms: 0 } }, "body.action.ms"],
    [{ action: { type: "corrupt", how: "badly" } }, "body.action.how"],
    [{ action: { type: "drop" }, probability: 2 }, "body.probability"],
    [{ action: { type: "drop" }, count: 0 }, "body.count"],
    [{ action: { type: "drop" }, until: "tomorrow" }, "body.until"],
    [{ action: { type: "drop" }, frequency: 3 }, "body"],
  ];
  for (const [body, field] of cases) {
    await t.step(JSON.stringify(body), async () => {
      const r = await api.call("POST", "/api/v1/bmcs/bmc0/faults", body);
      assert.equal(r.status, 400);
      assert.equal((await json(r)).field, field);
    });
  }
});

Deno.test("POST /reset starts a BMC reset with profile defaults; state shows it", async () => {
  await using api = await testApi();
  const r = await api.call("POST", "/api/v1/bmcs/bmc0/reset", {
    mode: "busy",
    durationMs: 60000,
    busyCc: "0xD2",
    after: { resetWatchdogCc: "0xD5" },
  });
  assert.equal(r.status, 202);
  const plan = await json(r);
  assert.equal(plan.mode, "busy");
  assert.equal(plan.busyCc, 0xd2);
  assert.equal(plan.watchdog, "forget");
  assert.equal(plan.resetWatchdogCc, 0xd5);
  const state = await json(await api.call("GET", "/api/v1/bmcs/bmc0"));
  const reset = state.reset as Record<string, unknown>;
  assert.equal(reset.mode, "busy");
  assert.ok((reset.remainingMs as number) > 50_000);
  const defaults = await json(await api.call("POST", "/api/v1/bmcs/bmc1/reset", {}));
  assert.equal(defaults.mode, "disconnect", "the profile's reset mode");
  assert.equal(defaults.durationMs, 5000, "the profile's reset duration");
  const bad = await api.call("POST", "/api/v1/bmcs/bmc0/reset", { mode: "explode" });
  assert.equal((await json(bad)).field, "body.mode");
});

Deno.test("POST /scenarios runs a scenario and answers its report; invalid ones are 400s", async () => {
  await using api = await testApi();
  const r = await api.call("POST", "/api/v1/scenarios", {
    name: "quick",
    bmc: "bmc1",
    steps: [
      { fault: { add: { match: "any", action: { type: "error", cc: "0xC0" } }, as: "all" } },
      { assert: { state: "faults.0.id", equals: "f1" } },
      { fault: { clear: true } },
      { assert: { event: "fault.removed", within: "1s" } },
    ],
  });
  assert.equal(r.status, 200);
  const report = await json(r);
  assert.equal(report.passed, true, JSON.stringify(report, null, 2));
  assert.deepEqual(report.assertions, { passed: 2, failed: 0 });
  const bad = await api.call("POST", "/api/v1/scenarios", {
    name: "x",
    steps: [{ sleep: "forever" }],
  });
  assert.equal(bad.status, 400);
  assert.equal((await json(bad)).field, "body.steps[0].sleep");
});
