import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";

Deno.test("the event catalogue types payloads: a wrong payload does not compile", () => {
  const bus = new EventBus({ clock: new ManualClock() });
  const sink = bus.sinkFor("bmc0");
  sink.emit("vm.connected", { peer: "127.0.0.1:1" });
  sink.emit("bmc.removed", { stateFile: null });
  // @ts-expect-error: vm.connected carries the peer, not a host
  sink.emit("vm.connected", { host: "x" });
  // @ts-expect-error: a hang.released without its duration and reason
  bus.publish("bmc0", "hang.released", { mode: "wedge" });
  // Types without a catalogue entry yet take any plain data.
  sink.emit("guest.report", { kind: "dmesg", line: "x" });
  assert.deepEqual(bus.since(0).map((e) => e.type), [
    "vm.connected",
    "bmc.removed",
    "vm.connected",
    "hang.released",
    "guest.report",
  ]);
});
