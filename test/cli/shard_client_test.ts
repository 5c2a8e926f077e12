import assert from "node:assert/strict";
import { ShardClient } from "../../src/cli/shard/shard_client.ts";

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
