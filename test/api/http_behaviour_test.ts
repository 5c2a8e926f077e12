/**
 * HTTP behaviour at the edges: odd sensor names, wrong methods, bodies past
 * the limit (chunked too), and numbers that may be hex strings.
 */

import assert from "node:assert/strict";
import { MAX_BODY_BYTES } from "../../src/api/app.ts";
import { testApi } from "../_helpers/api.ts";
import { temperatureSensor } from "../_helpers/sensor_fixtures.ts";

const SENSORS = [
  temperatureSensor("Inlet Temp", "0x11", 25),
  temperatureSensor("100%", "0x12", 30),
];

async function json(r: Response): Promise<Record<string, unknown>> {
  return await r.json() as Record<string, unknown>;
}

Deno.test("sensor names are decoded once: malformed escapes are 404 JSON, never 500", async (t) => {
  await using api = await testApi({ profile: { sensors: SENSORS } });
  for (const name of ["%ZZ", "%", "%ED%A0%80", "Inlet%2520Temp"]) {
    for (const method of ["GET", "PUT"]) {
      await t.step(`${method} ${name}`, async () => {
        const body = method === "PUT" ? { value: 20 } : undefined;
        const r = await api.call(method, `/api/v1/bmcs/bmc0/sensors/${name}`, body);
        assert.ok(r.status === 404 || r.status === 400, `status ${r.status}`);
        assert.match(String((await json(r)).error), /No sensor|Invalid/);
      });
    }
  }
  await t.step("100%25 is the sensor named 100%", async () => {
    const r = await api.call("GET", "/api/v1/bmcs/bmc0/sensors/100%25");
    assert.equal(r.status, 200);
    assert.equal((await json(r)).name, "100%");
  });
  await t.step("Inlet%20Temp is Inlet Temp", async () => {
    const r = await api.call("GET", "/api/v1/bmcs/bmc0/sensors/Inlet%20Temp");
    assert.equal((await json(r)).name, "Inlet Temp");
  });
});

Deno.test("a sensor value outside the sensor's range is refused with the range", async () => {
  await using api = await testApi({ profile: { sensors: SENSORS } });
  for (const value of [1e308, -1, 128.5]) {
    const r = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x11", { value });
    assert.equal(r.status, 400);
    assert.match(String((await json(r)).error), /outside the range of Inlet Temp \(0 to 127\.5\)/);
  }
  const edge = await api.call("PUT", "/api/v1/bmcs/bmc0/sensors/0x11", { value: 127.5 });
  assert.equal(edge.status, 200);
  await edge.body?.cancel();
});

Deno.test("a known path with the wrong method is 405 with Allow", async (t) => {
  await using api = await testApi();
  const cases: [string, string, string][] = [
    ["PUT", "/api/v1/bmcs/bmc0", "GET, HEAD, DELETE"],
    ["POST", "/api/v1/bmcs/bmc0/watchdog", "GET, HEAD"],
    ["PATCH", "/api/v1/bmcs/bmc0/sel", "GET, HEAD, POST, DELETE"],
    ["PUT", "/api/v1/bmcs/bmc0/faults/r1", "DELETE"],
    ["DELETE", "/healthz", "GET, HEAD"],
  ];
  for (const [method, path, allow] of cases) {
    await t.step(`${method} ${path}`, async () => {
      const r = await api.call(method, path);
      assert.equal(r.status, 405);
      assert.equal(r.headers.get("allow"), allow);
      assert.match(String((await json(r)).error), /does not take/);
    });
  }
  const unknown = await api.call("PUT", "/api/v1/nothing");
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("a chunked body is refused with 413 once the limit is read, not at its end", async () => {
  await using api = await testApi();
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const total = 50 * 1024 * 1024 / chunk.length; // 50 MiB if read to the end
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === total) return controller.close();
      pulled++;
      controller.enqueue(chunk);
    },
  });
  const r = await api.app.request("/api/v1/bmcs/bmc0/sel", {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
    duplex: "half",
  } as RequestInit);
  assert.equal(r.status, 413);
  assert.match(String((await json(r)).error), /Body exceeds/);
  assert.ok(
    pulled * chunk.length <= MAX_BODY_BYTES + 4 * chunk.length,
    `read ${pulled} chunks of ${total}`,
  );
});

Deno.test("a hex-or-number field reports the real problem", async (t) => {
  await using api = await testApi();
  const cases: [unknown, RegExp][] = [
    ["0x1ff", /must be between 0 and 255 \(got 0x1ff\)/],
    [300, /must be between 0 and 255 \(got 300\)/],
    ["0xZZ", /must be a number or a hex string such as 0x20/],
    [1.5, /must be an integer/],
  ];
  for (const [sensorType, message] of cases) {
    await t.step(JSON.stringify(sensorType), async () => {
      const r = await api.call("POST", "/api/v1/bmcs/bmc0/events", { sensorType, eventData: [1] });
      assert.equal(r.status, 400);
      const j = await json(r);
      assert.equal(j.field, "body.sensorType");
      assert.match(String(j.error), message);
    });
  }
});
