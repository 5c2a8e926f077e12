/**
 * The load generator against real peers, briefly: bmc-emu's `serve` (every
 * reply checked, through the CLI as a user runs it) and OpenIPMI's ipmi_sim
 * with the configuration the comparison script writes. No timing asserted.
 */

import assert from "node:assert/strict";
import { fromFileUrl } from "../../src/util/file_url.ts";
import { IPMI_SIM, IpmiSim, ipmiSimConfig } from "../../tools/bench/ipmi_sim.ts";
import { freePort } from "../../tools/free_port.ts";
import { BmcProcess } from "../../tools/e2e/bmc_process.ts";
import { parseMix } from "../../tools/load/mix.ts";
import { type LoadResult, runLoad } from "../../tools/load/run_load.ts";

const VM_LOAD = fromFileUrl(new URL("../../tools/vm-load.ts", import.meta.url));

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("ipmiSimConfig(): the VM interface on the loopback port and one BMC at 0x20", () => {
  const c = ipmiSimConfig(9123);
  assert.match(c.lanConf, /^\s*serial 15 127\.0\.0\.1 9123 codec VM$/m);
  assert.match(c.lanConf, /^set_working_mc 0x20$/m);
  assert.match(c.emu, /^mc_add 0x20 0 no-device-sdrs 0x23 /m);
  assert.match(c.emu, /^sel_enable 0x20 1000 /m);
  assert.match(c.emu, /^mc_enable 0x20$/m);
  assert.throws(() => ipmiSimConfig(0), RangeError);
  assert.throws(() => ipmiSimConfig(70000), RangeError);
});

Deno.test("vm-load --strict against bmc-emu serve: every reply well formed, watchdog fed", async () => {
  const bmc = await BmcProcess.start({ args: ["--log-level", "info"] });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        VM_LOAD,
        "--api",
        bmc.apiUrl,
        "--mix",
        "all",
        "--rate",
        "300",
        "--duration",
        "2s",
        "--warmup",
        "0.5s",
        "--watchdog",
        "60/0.5",
        "--strict",
        "--json",
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, `${text}\n${new TextDecoder().decode(out.stderr)}`);
    const r = JSON.parse(text) as LoadResult;
    assert.equal(r.connections, 1);
    assert.ok(r.total.count >= 200, `answered ${r.total.count}`);
    for (const name of ["get-device-id", "reset-watchdog", "get-watchdog", "add-sel"]) {
      assert.ok(r.byType[name]!.count > 0, name);
    }
    assert.ok(r.byType["reset-watchdog (feed)"]!.count >= 3, "the watchdog was fed");
    assert.equal(r.total.malformed + r.total.errors + r.total.timeouts + r.strayFrames, 0);
  } finally {
    await bmc.stop();
  }
});

Deno.test({
  name: "runLoad() against ipmi_sim configured as the comparison does: it answers the mix",
  ignore: !(await exists(IPMI_SIM)),
  fn: async () => {
    const sim = await IpmiSim.start(await freePort());
    try {
      const r = await runLoad({
        targets: [sim.endpoint],
        mix: parseMix("get-device-id,get-watchdog,get-message-flags,add-sel"),
        durationMs: 2000,
        warmupMs: 200,
        rate: 300,
        watchdog: { timeoutS: 60, everyS: 0.5, action: 0, stopFeedingAfterMs: null },
        timeoutMs: 4000,
      });
      assert.equal(r.failedConnections, 0);
      assert.ok(r.total.count >= 100, `answered ${r.total.count}`);
      assert.equal(r.total.timeouts + r.strayFrames, 0, JSON.stringify(r));
      for (const name of ["get-device-id", "get-message-flags", "add-sel"]) {
        assert.equal(r.byType[name]!.malformed, 0, name);
      }
      // A known deviation of ipmi_sim 2.0.33: Get Watchdog Timer answers 6
      // data bytes, leaving out the present countdown (IPMI 2.0 27.7: 8).
      const gw = r.byType["get-watchdog"]!;
      assert.equal(gw.malformed, gw.count, "ipmi_sim truncates Get Watchdog Timer");
    } finally {
      await sim.stop();
    }
  },
});
