import assert from "node:assert/strict";
import { Metrics } from "../../src/api/metrics.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { ShardClient } from "../../src/cli/shard/shard_client.ts";
import { createShardedApi } from "../../src/cli/shard/sharded_api.ts";
import { ShardSet } from "../../src/cli/shard/shard_set.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { Registry } from "../../src/runtime/registry.ts";
import type { BmcConfigEntry } from "../../src/runtime/config_file.ts";
import { captureLog } from "../_helpers/captured_log.ts";
import { CRASH_MESSAGE } from "./_crashing_shard_worker.ts";
import { FIRST_CHUNK } from "./_streaming_crash_shard_worker.ts";
import { withDeadline } from "../_helpers/deadline.ts";

const sinks = { events: () => {}, log: () => {} };

Deno.test("a shard answers a request before its BMCs start with an error, and a closed one refuses at once", async () => {
  const shard = new ShardClient(0, sinks);
  try {
    await assert.rejects(
      shard.fetch(new Request("http://127.0.0.1/api/v1/bmcs/bmc0")),
      /Shard 0: its BMCs have not started/,
    );
  } finally {
    await shard.close();
  }
  await assert.rejects(
    shard.fetch(new Request("http://127.0.0.1/api/v1/bmcs/bmc0")),
    /Shard 0 is not running/,
  );
});

Deno.test("a shard worker that fails after start is logged with its index, error and BMC count, and its requests are refused (503 from the API)", async () => {
  const { log, logged, lines } = captureLog();
  const shard = new ShardClient(0, sinks, {
    workerUrl: new URL("./_crashing_shard_worker.ts", import.meta.url),
  });
  const set = new ShardSet([shard], log);
  try {
    const banners = await shard.start({
      bmcs: [{ id: "bmc0" }, { id: "bmc1" }] as BmcConfigEntry[],
      stateDir: null,
      resetState: false,
      logLevel: "info",
      logFormat: "json",
      version: "test",
    });
    for (const b of banners) set.assign(b.id, shard);
    await assert.rejects(
      shard.fetch(new Request("http://127.0.0.1/api/v1/bmcs/bmc0")),
      new RegExp(`Shard 0 failed: .*${CRASH_MESSAGE}`),
      "the request in flight is answered with the failure",
    );
    const line = JSON.parse(await logged(/worker failed/));
    assert.equal(line.level, "error");
    assert.equal(line.msg, "Shard 0 worker failed; its 2 BMCs answer with an error from now on");
    assert.equal(line.shard, 0);
    assert.equal(line.bmcs, 2);
    assert.match(line.error, new RegExp(CRASH_MESSAGE));
    await assert.rejects(
      shard.fetch(new Request("http://127.0.0.1/api/v1/bmcs/bmc1")),
      /Shard 0 is not running/,
      "later requests are refused at once",
    );
    const clock = new ManualClock();
    const bus = new EventBus({ clock });
    const metrics = new Metrics(bus);
    const api = createShardedApi({
      registry: new Registry(),
      bmcs: {
        add: () => Promise.reject(new Error("no")),
        remove: () => Promise.reject(new Error("no")),
      },
      bus,
      clock,
      metrics,
      token: null,
      log,
      version: "test",
    }, set);
    const response = await api.app.request("/api/v1/bmcs/bmc1/chassis");
    metrics.close();
    assert.equal(response.status, 503, "the API says the shard is down, not an internal error");
    assert.match((await response.json()).error, /Shard 0 is not running; its BMCs cannot answer/);
    assert.ok(
      !lines.some((l) => l.includes("API forwarding failed")),
      "the failure was logged once, not again per request",
    );
  } finally {
    await set.close();
  }
});

Deno.test("a response still streaming from a shard that fails ends with an error, not a hang", async () => {
  const shard = new ShardClient(0, sinks, {
    workerUrl: new URL("./_streaming_crash_shard_worker.ts", import.meta.url),
  });
  try {
    await shard.start({
      bmcs: [],
      stateDir: null,
      resetState: false,
      logLevel: "info",
      logFormat: "json",
      version: "test",
    });
    const response = await shard.fetch(new Request("http://127.0.0.1/api/v1/bmcs/bmc0/events"));
    const reader = response.body!.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), FIRST_CHUNK);
    await assert.rejects(shard.fetch(new Request("http://127.0.0.1/api/v1/bmcs/bmc0")));
    await assert.rejects(
      withDeadline(reader.read(), "the stream to end after the shard failed"),
      /Shard 0 failed/,
    );
  } finally {
    await shard.close();
  }
});
