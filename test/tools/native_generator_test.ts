/**
 * The native load generator (bench-scale `--generator native`) against a
 * real `serve --config` whose 3 BMCs dial it (`--vm connect` mode): every
 * BMC connects, every request is answered and well formed, and every
 * watchdog acts once feeding stops. No timing asserted.
 */

import assert from "node:assert/strict";
import { spawnMain } from "../_helpers/cli.ts";
import { LineWaiter } from "../../src/guest/line_waiter.ts";
import { readLines } from "../../src/guest/read_lines.ts";
import type { GeneratorJob, GeneratorOutput } from "../../tools/load/scale_generator.ts";

const NATIVE_GENERATOR = new URL("../../tools/load/native_generator.ts", import.meta.url).pathname;
const BMCS = 3;

Deno.test("native generator: 3 BMCs of serve --config connect, answer the mix and act on their watchdogs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-native-gen-" });
  try {
    const socket = `${dir}/qemu.sock`;
    const job: GeneratorJob = {
      dial: [],
      accept: [{ path: socket, bmcs: BMCS }],
      mix: "get-device-id,get-message-flags,get-watchdog",
      durationMs: 3000,
      warmupMs: 500,
      rate: 5,
      // Fed every 0.4 s until 1 s into the measurement, then a hard reset 1 s later.
      watchdog: { timeoutS: 1, everyS: 0.4, action: 1, stopFeedingAfterMs: 1000 },
      timeoutMs: 4000,
    };
    const generator = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", NATIVE_GENERATOR, JSON.stringify(job)],
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
      signal: AbortSignal.timeout(60_000),
    }).spawn();
    const lines = new LineWaiter();
    const read = readLines(generator.stdout, (l) => lines.push(l)).then(() => lines.close());
    try {
      await lines.waitFor("listening", { timeoutMs: 20_000, fromStart: true });
      const bmcs = Array.from({ length: BMCS }, (_, i) => ({
        id: `native-${i}`,
        vm: { connect: `unix:${socket}` },
      }));
      const config = `${dir}/rack.json`;
      await Deno.writeTextFile(
        config,
        JSON.stringify({ stateDir: null, api: { listen: "off" }, bmcs }),
      );
      await using _serve = spawnMain(["serve", "--config", config, "--log-level", "warn"]);
      const connected = await lines.waitFor(/^connected /, { timeoutMs: 30_000, fromStart: true });
      assert.match(connected, /^connected \d+ \d+$/);
      const json = await lines.waitFor(/^\{/, { timeoutMs: 30_000, fromStart: true });
      const out = JSON.parse(json) as GeneratorOutput;
      const r = out.result;
      assert.equal(r.connections, BMCS);
      assert.equal(r.failedConnections, 0, "all 3 connected and stayed");
      assert.ok(r.total.count > 0, "requests were answered");
      assert.equal(r.total.timeouts, 0);
      assert.equal(r.total.malformed, 0);
      assert.equal(r.strayFrames, 0);
      for (const name of ["get-device-id", "get-message-flags", "get-watchdog"]) {
        assert.ok(r.byType[name]!.count > 0, name);
      }
      assert.ok(r.byType["reset-watchdog (feed)"]!.count > 0, "the watchdogs were fed");
      assert.equal(r.watchdogActions?.expected, BMCS);
      assert.equal(r.watchdogActions?.seen, BMCS, "every BMC sent its hard reset");
      assert.equal(out.late.length, BMCS);
      assert.equal(out.latencies.length, r.total.count);
      assert.equal((await generator.status).code, 0);
    } finally {
      try {
        generator.kill("SIGKILL");
      } catch {
        // Exited.
      }
      await read;
      await generator.status;
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
