import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { startRuntime, TCP_ANY } from "../_helpers/runtime.ts";

Deno.test("a BMC's events are its log lines: each fact logged once, rendered from the event", async () => {
  const clock = new ManualClock();
  await using t = await startRuntime({ mode: "listen", endpoint: TCP_ANY }, { clock });
  const lines = (message: string) =>
    t.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === message);
  t.runtime.bmc.startHang({ mode: "silent", durationMs: 500 }, "test");
  const started = lines("hang started");
  assert.equal(started.length, 1);
  assert.equal(started[0].level, "warn");
  assert.equal(started[0].bmc, "bmc0");
  assert.equal(started[0].mode, "silent");
  assert.equal(started[0].durationMs, 500);
  clock.advance(500);
  assert.equal(lines("hang released").length, 1);
  assert.equal(lines("hang released")[0].reason, "duration elapsed");
  t.runtime.bmc.beginReset({
    mode: "busy",
    durationMs: 100,
    busyCc: 0xc0,
    watchdog: "keep",
    resetWatchdogCc: null,
  }, "test");
  clock.advance(100);
  assert.deepEqual(lines("BMC reset").map((l) => l.mode), ["busy"]);
  assert.deepEqual(lines("BMC ready after reset").map((l) => l.firmware), ["spec"]);
});
