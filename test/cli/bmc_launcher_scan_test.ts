import assert from "node:assert/strict";
import { BmcLauncher } from "../../src/cli/bmc_launcher.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";
import { Registry } from "../../src/runtime/registry.ts";
import { bmcEntrySchema } from "../../src/runtime/config_file.ts";

Deno.test("the BMCs of one launcher scan their sensors on one shared timer, each once a second", async () => {
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const log = new StreamLogger({ level: "error", format: "json", write: () => {} });
  const registry = new Registry();
  const launcher = new BmcLauncher({ clock, bus, log, registry, stateDir: null });
  const entry = (i: number) =>
    bmcEntrySchema.parse({ id: `bmc${i}`, profile: "generic", vm: { listen: "tcp:127.0.0.1:0" } });
  try {
    await launcher.start(entry(0));
    const withOne = clock.pending;
    for (let i = 1; i < 20; i++) {
      clock.advance(7); // they join at different times, as a rack's BMCs do
      await launcher.start(entry(i));
    }
    assert.equal(clock.pending, withOne, "twenty BMCs hold as many timers as one");
    const scanned = new Map<string, number>();
    const off = bus.subscribe({ types: new Set(["sensor.changed"]) }, (e) => {
      if (e.data.origin === "dynamics") scanned.set(e.bmc, (scanned.get(e.bmc) ?? 0) + 1);
    });
    clock.advance(3000);
    off();
    assert.equal(scanned.size, 20, "every BMC's dynamics were stepped");
    for (const [bmc, n] of scanned) assert.ok(n >= 3, `${bmc} stepped ${n} sensor changes in 3 s`);
  } finally {
    await registry.closeAll();
  }
});
