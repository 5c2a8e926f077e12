/**
 * Issue 5 end to end: fault rules and BMC resets as a real Debian guest
 * experiences them, with a watchdog daemon feeding /dev/watchdog every second.
 */

import assert from "node:assert/strict";
import { ApiClient } from "../../src/cli/api_client.ts";
import { fromFileUrl } from "../../src/util/file_url.ts";
import { parseWatchdogLog, summariseWrites } from "../../tools/e2e/guest_evidence.ts";
import { type QemuGuest, withGuest } from "../../tools/e2e/mod.ts";
import { runMain } from "../_helpers/cli.ts";
import { artifactDir, CHROMIUM, chromiumAvailable } from "../_helpers/browser.ts";
import { e2eTest } from "./_e2e.ts";

const SCENARIOS = fromFileUrl(new URL("../../tools/scenarios/", import.meta.url));

/** Load the watchdog (long timeout: no resets) and start the daemon. */
async function startFeeding(guest: QemuGuest): Promise<void> {
  await guest.ok("insmod /lib/modules/e2e/ipmi_watchdog.ko timeout=30 action=reset");
  await guest.ok("(wdfeed 1 /tmp/wdfeed.log) >/dev/null 2>&1 &");
}

/** Time a guest command (guest uptime). */
async function timed(
  guest: QemuGuest,
  cmd: string,
): Promise<{ code: number; output: string; seconds: number }> {
  const r = await guest.run(
    `t0=$(cut -d' ' -f1 /proc/uptime); ${cmd}; rc=$?; t1=$(cut -d' ' -f1 /proc/uptime); echo "@@TIME $t0 $t1"; exit $rc`,
    60_000,
  );
  const m = /@@TIME (\S+) (\S+)/.exec(r.output)!;
  return { code: r.code, output: r.output, seconds: Number(m[2]) - Number(m[1]) };
}

e2eTest(
  "e2e faults: error, delay and drop rules reach the guest as a real BMC's would",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs" }, async ({ guest, bmc }) => {
      const api = new ApiClient(bmc.apiUrl, null);
      await startFeeding(guest);
      const rules = "/api/v1/bmcs/bmc0/faults";

      // 1. error 0xC0 on Get Device ID (added with ctl), then removed.
      const add = await runMain([
        "ctl",
        "--api",
        bmc.apiUrl,
        "fault",
        "add",
        '{"match": {"netfn": "app", "cmd": "get-device-id"}, "action": {"type": "error", "cc": "0xC0"}}',
      ]);
      assert.equal(add.code, 0, add.stderr);
      const failing = await guest.run("ipmitool mc info");
      assert.notEqual(failing.code, 0);
      assert.match(failing.output, /0xc0|Node busy/i);
      const removed = await runMain(["ctl", "--api", bmc.apiUrl, "fault", "clear"]);
      assert.match(removed.stdout, /removed 1 rules/);
      assert.match(await guest.ok("ipmitool mc info"), /Manufacturer ID\s+: 32473/);

      // 2a. delay 2500 ms: slower, still correct.
      await api.json("POST", rules, {
        match: { command: "app/get-device-id" },
        action: { type: "delay", ms: 2500 },
        count: 1,
      });
      const slow = await timed(guest, "ipmitool mc info");
      assert.equal(slow.code, 0, slow.output);
      assert.ok(slow.seconds >= 2.5, `took ${slow.seconds} s`);
      assert.match(slow.output, /Manufacturer ID\s+: 32473/);

      // 2b. drop: QEMU answers 0xC3 after ~4 s. (For seq A0/A1/AA QEMU's own
      // 0xC3 is lost; answer-c3 has the BMC answer those itself at 3.9 s, so
      // the outcome does not depend on where QEMU's counter stands.)
      await api.json("POST", rules, {
        match: { command: "app/get-self-test-results" },
        action: { type: "drop", unsafeSeq: "answer-c3" },
        count: 1,
      });
      const dropped = await timed(guest, "ipmitool raw 0x06 0x04");
      assert.notEqual(dropped.code, 0, dropped.output);
      assert.match(dropped.output, /rsp=0xc3|Timeout/i);
      assert.ok(
        dropped.seconds >= 3.5 && dropped.seconds <= 8,
        `answered after ${dropped.seconds} s`,
      );
      assert.equal(
        (await api.json<{ rules: unknown[] }>("GET", rules)).rules.length,
        0,
        "count-limited rules are gone",
      );
    });
  },
);

e2eTest(
  "e2e faults: a BMC reset recovers; a reset into broken firmware silently loses protection (scenario via ctl)",
  async ({ kernel }) => {
    const html = `${await artifactDir()}bmc-reset-then-broken-firmware.html`;
    await withGuest({ kernel, iface: "kcs" }, async ({ guest, bmc }) => {
      await startFeeding(guest);
      const run = await runMain([
        "ctl",
        "--api",
        bmc.apiUrl,
        "scenario",
        "run",
        `${SCENARIOS}bmc-reset-then-broken-firmware.json`,
        "--html",
        html,
      ], { timeoutMs: 240_000 });
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /^Scenario bmc-reset-then-broken-firmware: PASSED/m);
      assert.match(
        run.stdout,
        /PASS assert "watchdog protection is silently lost".*LOST PROTECTION/,
      );

      // What the guest saw: failures during the first outage, recovery, then EINVAL forever.
      const writes = parseWatchdogLog(await guest.ok("cat /tmp/wdfeed.log"));
      const summary = summariseWrites(writes).join("\n");
      const firstFailure = writes.findIndex((w) => !w.ok);
      const recovered = writes.findIndex((w, i) => i > firstFailure && w.ok);
      const lost = writes.findIndex((w, i) => i > recovered && !w.ok);
      assert.ok(firstFailure > 0 && recovered > firstFailure && lost > recovered, summary);
      assert.ok(writes.slice(firstFailure, recovered).every((w) => w.errno === "EINVAL"), summary);
      assert.ok(
        writes.slice(lost).every((w) => w.errno === "EINVAL"),
        `writes keep failing with EINVAL:\n${summary}`,
      );
      assert.ok(writes.length - lost >= 10, summary);
      const dmesg = await guest.ok("dmesg");
      assert.match(
        dmesg,
        /The IPMI controller appears to have been reset, will attempt to reinitialize the watchdog timer/,
      );
      const state = await new ApiClient(bmc.apiUrl, null).json("GET", "/api/v1/bmcs/bmc0");
      assert.equal(
        (state.watchdog as { running: boolean }).running,
        false,
        "bmc-emu's timer is stopped",
      );
      assert.equal((state.firmware as { resetWatchdogCc: string }).resetWatchdogCc, "0xd5");
    });
    await checkReportInBrowser(html);
  },
);

/**
 * The shipped scenario's HTML report, opened in headless Chromium (its own
 * `--dump-dom` and `--screenshot`): it passed, lists every step, and draws
 * the time line with the two BMC resets and the guest's IPMI traffic.
 */
async function checkReportInBrowser(file: string): Promise<void> {
  if (!chromiumAvailable()) {
    assert.ok(Deno.env.get("CI") !== "true", `CI needs Chromium at ${CHROMIUM} for the report`);
    return;
  }
  const chromium = (...args: string[]) =>
    new Deno.Command(CHROMIUM, {
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...args],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(60_000),
    }).output();
  const dom = new TextDecoder().decode((await chromium("--dump-dom", `file://${file}`)).stdout);
  assert.match(dom, /id="verdict">PASS</);
  const steps = [...dom.matchAll(/<tr class="step[^"]*">\s*<td>[^<]*<\/td>\s*<td[^>]*>([^<]*)</g)]
    .map((m) => m[1]);
  assert.ok(steps.length >= 8 && steps.every((v) => v === "PASS" || v === "done"), String(steps));
  assert.match(dom, /<path class="countdown"/, "the countdown is drawn");
  const resets = [...dom.matchAll(/class="span span-reset\b/g)].length;
  assert.ok(resets >= 2, `both BMC resets are spans (${resets})`);
  assert.match(dom, /class="latency-max"/, "the guest's IPMI traffic: the replies' latency");
  const png = file.replace(/\.html$/, ".png");
  await chromium(`--screenshot=${png}`, "--window-size=1200,900", `file://${file}`);
  assert.ok((await Deno.stat(png)).size > 10_000, "a screenshot of the report");
}
