import assert from "node:assert/strict";
import { createApi } from "../../src/api/app.ts";
import { Metrics } from "../../src/api/metrics.ts";
import { BmcLauncher } from "../../src/cli/bmc_launcher.ts";
import { parseServeArgs, type ServeOptions } from "../../src/cli/serve_args.ts";
import { UsageError } from "../../src/cli/usage_error.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";
import { Registry } from "../../src/runtime/registry.ts";

Deno.test("serve --ui on|off: the dashboard is on unless turned off; anything else is a usage error", () => {
  const ui = (argv: string[]) => (parseServeArgs(argv) as ServeOptions).ui;
  assert.equal(ui([]), undefined, "unset: serve's default (on)");
  assert.equal(ui(["--ui", "on"]), true);
  assert.equal(ui(["--ui", "off"]), false);
  assert.throws(() => parseServeArgs(["--ui", "maybe"]), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /--ui must be on or off, got "maybe"/);
    return true;
  });
});

Deno.test("createApi() serves the dashboard at / only with ui: true; the API is there either way", async () => {
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const log = new StreamLogger({ level: "error", format: "json", write: () => {} });
  const registry = new Registry();
  const metrics = new Metrics(bus);
  const bmcs = new BmcLauncher({ clock, bus, log, registry, stateDir: null });
  const deps = { registry, bmcs, bus, clock, metrics, token: null, log, version: "test" };
  try {
    for (const ui of [true, false]) {
      const { app } = createApi({ ...deps, ui });
      const page = await app.request("/");
      assert.equal(page.status, ui ? 200 : 404, `ui: ${ui}`);
      await page.body?.cancel();
      const script = await app.request("/ui/app.js");
      assert.equal(script.status, ui ? 200 : 404, `ui: ${ui}`);
      await script.body?.cancel();
      const list = await app.request("/api/v1/bmcs");
      assert.equal(list.status, 200);
      await list.body?.cancel();
    }
  } finally {
    metrics.close();
    await bmcs.close();
  }
});
