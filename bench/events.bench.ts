import { ManualClock } from "../src/clock/manual_clock.ts";
import { EventBus } from "../src/events/event_bus.ts";

const idle = new EventBus({ clock: new ManualClock() });
const watched = new EventBus({ clock: new ManualClock() });
let seen = 0;
watched.subscribe({ bmc: "bmc0", types: new Set(["watchdog.expired"]) }, () => seen++);
const DATA = {
  seq: 1,
  command: "app/get-device-id",
  cc: 0,
  ccName: "ok",
  data: "20 01 01 00 02 bf",
  delayMs: 0,
  latencyMs: 0.05,
};
// A rack: every BMC's event log subscribes for its own id.
const rack = new EventBus({ clock: new ManualClock() });
for (let i = 0; i < 10_000; i++) rack.subscribe({ bmc: `bmc${i}` }, () => seen++);

Deno.bench("publish with no subscribers", { group: "events", baseline: true }, () => {
  idle.publish("bmc0", "ipmi.response", DATA);
});
Deno.bench("publish with one non-matching subscriber", { group: "events" }, () => {
  watched.publish("bmc0", "ipmi.response", DATA);
});
Deno.bench("publish among 10 000 one-BMC subscribers (one matches)", { group: "events" }, () => {
  rack.publish("bmc0", "ipmi.response", DATA);
});
