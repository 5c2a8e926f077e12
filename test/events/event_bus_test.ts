import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";

const REQUEST = { seq: 1, netfn: 6, cmd: 1, command: "app/get-device-id", data: "" };
const RESPONSE = { ...REQUEST, cc: 0, ccName: "ok", delayMs: 0, latencyMs: 0.05 };
const RESET = { initialCountdown: 100, initialCountdownMs: 10_000, expiresInMs: 10_000 };
const RELEASED = {
  mode: "sticky-receive-queue",
  reason: "released",
  durationMs: 0,
  heldReply: false,
} as const;

function bus(capacity = 5): EventBus {
  return new EventBus({ clock: new ManualClock(), capacity });
}

Deno.test("since() returns retained events after an id, in id order, filtered", () => {
  const b = bus();
  b.publish("bmc0", "watchdog.stopped", { reason: "test" });
  b.publish("bmc0", "ipmi.request", REQUEST);
  b.publish("bmc1", "watchdog.reset", RESET);
  b.publish("bmc0", "ipmi.response", RESPONSE);
  assert.deepEqual(b.since(0).map((e) => e.id), [1, 2, 3, 4]);
  assert.deepEqual(b.since(2).map((e) => e.type), ["watchdog.reset", "ipmi.response"]);
  assert.deepEqual(b.since(0, { bmc: "bmc0", prefixes: ["watchdog."] }).map((e) => e.id), [1]);
  assert.equal(b.oldestId, 1, "nothing dropped yet");
});

Deno.test("a flood of IPMI exchanges cannot evict the rare events a scenario waits for", () => {
  const b = bus(5);
  b.publish("bmc0", "hang.released", RELEASED);
  for (let i = 0; i < 1000; i++) b.publish("bmc0", "ipmi.request", { ...REQUEST, seq: i });
  const released = b.since(0, { types: new Set(["hang.released"]) });
  assert.equal(released.length, 1, "kept in its own ring");
  const all = b.since(0);
  assert.equal(all.length, 6, "5 exchanges and the release");
  assert.deepEqual(all.slice(1).map((e) => e.id), [997, 998, 999, 1000, 1001]);
  assert.equal(b.oldestId, 997, "replays from before 997 may have lost exchanges");
});

Deno.test("a rack's watchdog feeds cannot evict a watchdog expiry either", () => {
  const b = bus(5);
  b.publish("bmc0", "watchdog.stopped", { reason: "test" });
  for (let i = 0; i < 1000; i++) b.publish(`bmc${i}`, "watchdog.reset", RESET);
  assert.deepEqual(b.since(0, { prefixes: ["watchdog."] }).map((e) => e.type), [
    "watchdog.stopped",
    ...Array(5).fill("watchdog.reset"),
  ]);
});

Deno.test("the rare ring drops its oldest events when full", () => {
  const b = bus(3);
  for (let i = 0; i < 5; i++) b.publish("bmc0", "sel.cleared", { removed: i });
  assert.deepEqual(b.since(0).map((e) => e.data.removed), [2, 3, 4]);
  assert.equal(b.oldestId, 3);
});

Deno.test("subscribers of one BMC and of every BMC get events in subscription order", () => {
  const b = bus();
  const seen: string[] = [];
  const all1 = b.subscribe({}, (e) => seen.push(`all1:${e.bmc}`));
  const one0 = b.subscribe({ bmc: "bmc0" }, (e) => seen.push(`bmc0:${e.bmc}`));
  b.subscribe({ types: new Set(["watchdog.stopped"]) }, (e) => seen.push(`all2:${e.bmc}`));
  b.subscribe({ bmc: "bmc1" }, (e) => seen.push(`bmc1:${e.bmc}`));
  b.subscribe({ bmc: "bmc0", prefixes: ["watchdog."] }, (e) => seen.push(`wd0:${e.bmc}`));
  b.publish("bmc0", "watchdog.stopped", { reason: "test" });
  assert.deepEqual(seen, ["all1:bmc0", "bmc0:bmc0", "all2:bmc0", "wd0:bmc0"]);
  seen.length = 0;
  b.publish("bmc1", "ipmi.request", REQUEST);
  b.publish("bmc2", "ipmi.request", REQUEST);
  assert.deepEqual(seen, ["all1:bmc1", "bmc1:bmc1", "all1:bmc2"]);
  seen.length = 0;
  one0();
  all1();
  b.publish("bmc0", "watchdog.stopped", { reason: "test" });
  assert.deepEqual(seen, ["all2:bmc0", "wd0:bmc0"], "unsubscribed ones get nothing");
});
