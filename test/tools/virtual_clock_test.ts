/**
 * Tests outside `test/e2e` run on the virtual clock: a test that drives
 * in-process objects moves time with its ManualClock and waits for events,
 * never sleeps or reads the wall clock. Only the files below, which run real
 * external processes or clients (or test the real clock itself), may wait
 * on real time, and then only with a deadline on what they wait for.
 */

import assert from "node:assert/strict";
import { fromFileUrl } from "../../src/util/file_url.ts";
import { walk } from "../../tools/check_layers.ts";

const TEST_DIR = fromFileUrl(new URL("../", import.meta.url));

/** A sleep or a wall-clock read. */
const WALL_CLOCK = /\b(setTimeout|setInterval)\(|\b(Date|performance)\.now\(|\bnew SystemClock\(/;

/** Files that may use real time, and why. */
const PROCESS_LEVEL: Readonly<Record<string, string>> = {
  "_helpers/deadline.ts": "the one safety-net deadline on what a real socket delivers",
  "_helpers/sol_terminal.ts":
    "ipmitool sol activate under script(1): output waited on with a deadline",
  "clock/manual_clock_test.ts": "tests SystemClock itself against real time",
  "cli/serve_workers_test.ts":
    "serve --workers as a subprocess: its events waited on with a deadline",
  "integration/api_server_timeouts_test.ts": "the HTTP server's real header and idle timeouts",
  "lan/_serve.ts": "serve as a subprocess for ipmitool and FreeIPMI: its output waited on",
  "lan/lan_channel_api_test.ts": "ipmitool's own 1 s retry: a bound on a real client",
  "lan/lan_e2e_test.ts": "ipmitool and FreeIPMI against serve: a bound on -I lan failing at once",
  "lan/start_banner_test.ts": "deno task start as a subprocess: its banner waited on",
  "tools/check_layers_test.ts": "the purity check's input names Date.now() as text",
  "tools/virtual_clock_test.ts": "this check's own examples",
};

/**
 * The lines of a file that sleep or read the wall clock (comments skipped).
 *
 * @param text File text.
 * @returns Line numbers and text.
 */
export function wallClockLines(text: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    const code = line.trimStart();
    if (code.startsWith("//") || code.startsWith("*") || code.startsWith("/*")) return [];
    return WALL_CLOCK.test(line) ? [`${i + 1}: ${code}`] : [];
  });
}

Deno.test("wallClockLines() finds sleeps and wall-clock reads, not comments", () => {
  assert.deepEqual(wallClockLines("await new Promise((r) => setTimeout(r, 5));"), [
    "1: await new Promise((r) => setTimeout(r, 5));",
  ]);
  assert.deepEqual(wallClockLines("x\nconst t0 = performance.now();\n// Date.now() here"), [
    "2: const t0 = performance.now();",
  ]);
  assert.equal(wallClockLines("const clock = new SystemClock();").length, 1);
  assert.equal(wallClockLines("const clock = new ManualClock();\nclock.advance(5);").length, 0);
});

Deno.test("no in-process test sleeps or reads the wall clock (test/e2e and process-level files aside)", async () => {
  const found: string[] = [];
  const used = new Set<string>();
  for await (const file of walk(TEST_DIR)) {
    if (file.startsWith("e2e/")) continue;
    const lines = wallClockLines(await Deno.readTextFile(`${TEST_DIR}/${file}`));
    if (lines.length === 0) continue;
    if (file in PROCESS_LEVEL) used.add(file);
    else found.push(...lines.map((l) => `test/${file}:${l}`));
  }
  assert.deepEqual(
    found,
    [],
    "use the test's ManualClock and wait for an event (test/_helpers/deadline.ts for a safety net)",
  );
  const stale = Object.keys(PROCESS_LEVEL).filter((f) => !used.has(f));
  assert.deepEqual(stale, [], "allow-listed files that no longer use real time");
});
