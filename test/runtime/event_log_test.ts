import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { startRuntime, TCP_ANY } from "../_helpers/runtime.ts";
import { EVENT_LOG } from "../../src/core/event_log_table.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";
import { logEvents } from "../../src/runtime/event_log.ts";
import { walk } from "./_walk.ts";

Deno.test("a BMC's events are its log lines: each fact logged once, rendered from the event", async () => {
  const clock = new ManualClock();
  await using t = await startRuntime({ listen: TCP_ANY }, { clock });
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

function memoryLog(level: "debug" | "info") {
  const lines: Record<string, unknown>[] = [];
  const log = new StreamLogger({
    level,
    format: "json",
    write: (l) => lines.push(JSON.parse(l)),
    now: () => 0,
  });
  return { lines, log };
}

Deno.test("a refused VM connection is one WARN per interval, the rest at debug, then the count", () => {
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const { lines, log } = memoryLog("debug");
  const stop = logEvents(bus, "bmc0", log, clock);
  for (let i = 0; i < 200; i++) {
    bus.publish("bmc0", "vm.refused", { peer: `127.0.0.1:${i}`, reason: "already serves" });
  }
  const warns = () => lines.filter((l) => l.level === "warn");
  assert.equal(warns().length, 1, "200 refusals, one warning");
  assert.equal(lines.filter((l) => l.level === "debug").length, 199);
  clock.advance(10_000);
  bus.publish("bmc0", "vm.refused", { peer: "127.0.0.1:9", reason: "already serves" });
  assert.equal(warns().length, 2);
  assert.equal(warns()[1]!.suppressed, 199, "the next warning says how many were left out");
  stop();
  bus.publish("bmc0", "vm.refused", { peer: "127.0.0.1:9", reason: "already serves" });
  assert.equal(lines.length, 201, "nothing after unsubscribing");
});

Deno.test("events render with the table's level and message; chatty ones only at debug", () => {
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const { lines, log } = memoryLog("info");
  logEvents(bus, "bmc0", log, clock);
  const response = {
    seq: 1,
    command: "app/get-device-id",
    cc: 0,
    ccName: "ok",
    data: "",
    delayMs: 0,
    latencyMs: 0,
  };
  bus.publish("bmc0", "ipmi.request", {
    seq: 1,
    netfn: 6,
    cmd: 1,
    command: "app/get-device-id",
    data: "",
  });
  bus.publish("bmc0", "ipmi.response", response);
  assert.equal(lines.length, 0, "requests and plain replies are debug lines");
  bus.publish("bmc0", "ipmi.response", { ...response, seq: 0x81, wire: "wedge", heldSeq: 1 });
  bus.publish("bmc0", "host.nmi", { backend: "vm", peer: "p" });
  bus.publish("bmc0", "host.reset", { backend: "qmp", op: "cycle" });
  bus.publish("bmc1", "host.reset", { backend: "vm", peer: "p" });
  assert.deepEqual(lines.map((l) => [l.level, l.msg, l.action ?? l.heldSeq]), [
    ["info", "request wedged: reply sent with another seq, real reply held", 1],
    ["info", "host action sent", "nmi"],
    ["info", "power operation via QMP", "reset"],
  ]);
  assert.equal(lines[2]!.op, "cycle", "the payload's fields are the line's");
});

Deno.test("no source file logs a message the event table renders (each fact stated once)", async () => {
  const messages = new Set<string>();
  for (const rule of Object.values(EVENT_LOG)) {
    if (typeof rule.message === "string") messages.add(rule.message);
  }
  const offenders: string[] = [];
  for await (const file of walk(new URL("../../src/", import.meta.url))) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/\.(?:debug|info|warn|error)\(\s*"([^"]+)"/g)) {
      if (messages.has(m[1]!)) offenders.push(`${file}: ${m[1]}`);
    }
  }
  assert.deepEqual(offenders, []);
});

Deno.test("a removed BMC's bmc.removed is published once it is closed, and logged", async () => {
  const t = await startRuntime({ listen: TCP_ANY });
  await t.runtime.close(true);
  const removed = t.bus.since(0, { types: new Set(["bmc.removed"]) });
  assert.deepEqual(removed.map((e) => e.data), [{ stateFile: null }]);
  const line = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === "BMC removed");
  assert.equal(line?.bmc, "bmc0");
  t.bus.publish("bmc0", "bmc.reset", {
    origin: "test",
    mode: "busy",
    durationMs: 1,
    busyCc: 0xc0,
    watchdog: "keep",
    resetWatchdogCc: null,
  });
  assert.ok(!t.logs.some((l) => l.includes("BMC reset")), "no longer logged after that");
});
