import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import type { BmcEvents, BmcEventType } from "../../src/core/events.ts";
import { EventBus } from "../../src/events/event_bus.ts";

Deno.test("the event catalogue types payloads: a wrong payload does not compile", () => {
  const bus = new EventBus({ clock: new ManualClock() });
  const sink = bus.sinkFor("bmc0");
  sink.emit("vm.connected", { peer: "127.0.0.1:1" });
  sink.emit("bmc.removed", { stateFile: null });
  sink.emit("sel.deleted", { recordId: 3, reason: "deleted" });
  sink.emit("chassis.control", { op: "reset", origin: "api", backend: "vm" });
  // @ts-expect-error: vm.connected carries the peer, not a host
  sink.emit("vm.connected", { host: "x" });
  // @ts-expect-error: a hang.released without its duration and reason
  bus.publish("bmc0", "hang.released", { mode: "wedge" });
  // @ts-expect-error: a SEL record is `recordId` in every event
  sink.emit("sel.deleted", { id: 3, reason: "deleted" });
  // @ts-expect-error: chassis.control takes a power operation (`reset`), not an API name
  sink.emit("chassis.control", { op: "hard-reset", origin: "api", backend: "vm" });
  // @ts-expect-error: a fault rule is `ruleId` in every event
  sink.emit("fault.removed", { id: "f1", reason: "removed", matched: 0, fired: 0 });
  // A guest report is a kind and flat fields.
  sink.emit("guest.report", { kind: "dmesg", line: "x" });
  assert.deepEqual(bus.since(0).map((e) => e.type), [
    "vm.connected",
    "bmc.removed",
    "sel.deleted",
    "chassis.control",
    "vm.connected",
    "hang.released",
    "sel.deleted",
    "chassis.control",
    "fault.removed",
    "guest.report",
  ]);
});

/** `true` when A and B are the same set of names. */
type SameKeys<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false;

Deno.test("every type in EVENT_TYPES has a catalogue entry, and the catalogue names no other type", () => {
  // Fails to compile when EVENT_TYPES and BmcEvents disagree.
  const complete: SameKeys<BmcEventType, keyof BmcEvents> = true;
  assert.equal(complete, true);
});
