/**
 * `ctl` as CI scripts use it, against a real `serve` process: the exit codes
 * (0 ok, 1 failed, 2 usage or invalid input, 3 timeout, 4 unreachable or lost
 * mid-stream), JSON errors with `--json`, a scenario run streamed step by
 * step with a JUnit report, and `events --follow` across a restart of
 * bmc-emu.
 */

import assert from "node:assert/strict";
import { ApiClient } from "../../src/cli/api_client.ts";
import { BmcProcess } from "../../tools/e2e/bmc_process.ts";
import { freePort } from "../../tools/free_port.ts";
import { runMain, spawnMain } from "../_helpers/cli.ts";

const SEL_RECORD = {
  sensorType: 0x0c,
  sensorNumber: 1,
  eventType: 0x6f,
  direction: "assertion",
  eventData: [0],
};

Deno.test("ctl exit codes: 0 ok, 1 refused, 2 invalid input, 3 timeout, 4 unreachable", async () => {
  const bmc = await BmcProcess.start();
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-ctl-" });
  try {
    const ctl = (...args: string[]) => runMain(["ctl", "--api", bmc.apiUrl, ...args]);
    assert.equal((await ctl("list")).code, 0);
    // 1: the operation failed (404, 409).
    assert.equal((await ctl("fault", "remove", "f9")).code, 1);
    assert.equal((await ctl("hang", "release")).code, 1);
    assert.equal((await ctl("--bmc", "nope", "status")).code, 1);
    // 2: usage and invalid input, caught here or by the server (400).
    assert.equal((await ctl("frobnicate")).code, 2);
    const banana = await ctl("wait", "watchdog.expired", "--timeout", "banana");
    assert.equal(banana.code, 2, banana.stderr);
    assert.match(banana.stderr, /400/);
    assert.equal((await ctl("hang", "start", "wedge", "--message", "request")).code, 2);
    await Deno.writeTextFile(`${dir}/broken.json`, "{ not json");
    const broken = await ctl("scenario", "run", `${dir}/broken.json`);
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(broken.stderr, /not valid JSON/);
    await Deno.writeTextFile(`${dir}/invalid.json`, JSON.stringify({ name: "x", steps: [{}] }));
    const invalid = await ctl("scenario", "run", `${dir}/invalid.json`);
    assert.equal(invalid.code, 2, invalid.stderr);
    assert.match(invalid.stderr, /400 Invalid request/);
    assert.equal((await ctl("scenario", "run", `${dir}/missing.json`)).code, 2);
    // 3: timeout.
    const timeout = await ctl("wait", "watchdog.expired", "--timeout", "200ms");
    assert.equal(timeout.code, 3, timeout.stderr);
    // --json: the error as JSON on stderr too.
    const json = await ctl("--json", "fault", "remove", "f9");
    assert.equal(json.code, 1);
    assert.deepEqual(
      (({ exitCode, status }) => ({ exitCode, status }))(JSON.parse(json.stderr)),
      { exitCode: 1, status: 404 },
    );
  } finally {
    await bmc.stop();
    await Deno.remove(dir, { recursive: true });
  }
  // 4: nothing listens there any more.
  const gone = await runMain(["ctl", "--api", bmc.apiUrl, "--json", "list"]);
  assert.equal(gone.code, 4, gone.stderr);
  assert.match(JSON.parse(gone.stderr).error, /Cannot reach bmc-emu/);
});

Deno.test("ctl scenario run streams each step as it completes and writes a JUnit report", async () => {
  const bmc = await BmcProcess.start();
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-ctl-" });
  try {
    await Deno.writeTextFile(
      `${dir}/stream.json`,
      JSON.stringify({
        name: "streamed",
        steps: [
          { name: "begin", mark: "begin" },
          { name: "a record arrives", wait: { event: "sel.added", timeout: "30s" } },
        ],
      }),
    );
    const junit = `${dir}/report.xml`;
    await using run = spawnMain([
      "ctl",
      "--api",
      bmc.apiUrl,
      "scenario",
      "run",
      `${dir}/stream.json`,
      "--junit",
      junit,
    ]);
    await run.stdout.waitFor(/ok mark "begin"/, {
      timeoutMs: 20_000,
      what: "the first step, while the second still waits",
      fromStart: true,
    });
    assert.ok(!run.stdout.text.includes("a record arrives"), run.stdout.text);
    // Only now can the last step finish.
    await new ApiClient(bmc.apiUrl, null).json("POST", "/api/v1/bmcs/bmc0/sel", SEL_RECORD);
    const status = await run.status;
    assert.equal(status.code, 0, run.stderr.text);
    assert.match(run.stdout.lines[0]!, /^Scenario streamed: running 2 steps$/);
    assert.match(run.stdout.text, /PASS wait "a record arrives"/);
    assert.match(run.stdout.lines.at(-1)!, /^Scenario streamed: PASSED \(1 passed, 0 failed/);
    const xml = await Deno.readTextFile(junit);
    assert.match(xml, /<testsuite name="streamed" tests="1" failures="0"/);
    assert.match(xml, /<testcase name="2. a record arrives"/);

    // --json: JSON lines, the report last.
    await Deno.writeTextFile(
      `${dir}/short.json`,
      JSON.stringify({ name: "short", steps: [{ name: "begin", mark: "begin" }] }),
    );
    const json = await runMain([
      "ctl",
      "--api",
      bmc.apiUrl,
      "--json",
      "scenario",
      "run",
      `${dir}/short.json`,
    ]);
    assert.equal(json.code, 0, json.stderr);
    const types = json.stdout.trim().split("\n").map((l) => JSON.parse(l).type);
    assert.deepEqual(types, ["start", "step", "report"]);
  } finally {
    await bmc.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ctl events --follow reopens the stream when bmc-emu restarts, and exits 4 when it stays away", async () => {
  const port = freePort();
  const args = ["--api-listen", `127.0.0.1:${port}`];
  const api = `http://127.0.0.1:${port}`;
  const addRecord = () =>
    new ApiClient(api, null).json("POST", "/api/v1/bmcs/bmc0/sel", SEL_RECORD);
  let bmc = await BmcProcess.start({ args });
  try {
    await using follow = spawnMain([
      "ctl",
      "--api",
      api,
      "events",
      "--follow",
      "--type",
      "sel.added",
      "--reconnect-for",
      "30s",
    ]);
    // The stream is open once an event added now reaches it.
    await addRecord();
    await follow.stdout.waitFor(/\tsel\.added\t/, { timeoutMs: 10_000, fromStart: true });
    await bmc.stop();
    await follow.stderr.waitFor(/lost the event stream .*reconnecting with Last-Event-ID/, {
      timeoutMs: 10_000,
      fromStart: true,
    });
    bmc = await BmcProcess.start({ args });
    await follow.stderr.waitFor(/^reconnected/, { timeoutMs: 15_000, fromStart: true });
    await addRecord();
    await follow.stdout.waitFor((l) => l.includes("\tsel.added\t"), {
      timeoutMs: 10_000,
      fromIndex: 1,
      what: "an event of the restarted bmc-emu",
    });

    await using giveUp = spawnMain([
      "ctl",
      "--api",
      api,
      "events",
      "--follow",
      "--reconnect-for",
      "1s",
    ]);
    await addRecord();
    await giveUp.stdout.waitFor(/\tsel\.added\t/, { timeoutMs: 10_000, fromStart: true });
    await bmc.stop();
    const status = await giveUp.status;
    assert.equal(status.code, 4, giveUp.stderr.text);
    assert.match(giveUp.stderr.text, /could not reopen it for 1000 ms/);
  } finally {
    await bmc.stop();
  }
});
