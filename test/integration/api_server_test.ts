/**
 * The HTTP API of a real `serve --config` process with two BMCs, driven
 * over real sockets: two scripted QEMU peers, SSE, the long-poll, and ctl.
 */

import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import { ApiClient } from "../../src/cli/api_client.ts";
import { BmcProcess } from "../../tools/e2e/bmc_process.ts";
import { runMain } from "../_helpers/cli.ts";
import { VmPeer } from "../_helpers/vm_peer.ts";

async function twoBmcs(): Promise<
  { bmc: BmcProcess; api: ApiClient; dir: string } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-config-" });
  await Deno.writeTextFile(
    `${dir}/rack.json`,
    JSON.stringify({
      stateDir: null,
      bmcs: [
        {
          id: "node-a",
          vm: { listen: "tcp:127.0.0.1:0" },
          faults: [{
            name: "from-config",
            match: { command: "app/get-self-test-results" },
            action: { type: "error", cc: "0xD5" },
          }],
        },
        { id: "node-b", profile: "qemu-default", vm: { listen: `unix:${dir}/b.sock` } },
      ],
    }),
  );
  const bmc = await BmcProcess.start({ args: ["--config", `${dir}/rack.json`] });
  return {
    bmc,
    dir,
    api: new ApiClient(bmc.apiUrl, null),
    async [Symbol.asyncDispose]() {
      await bmc.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("two BMCs in one process serve two QEMU peers independently", async () => {
  await using s = await twoBmcs();
  const a = await VmPeer.connect(s.bmc.vmEndpoint("node-a"));
  const b = await VmPeer.connect(s.bmc.vmEndpoint("node-b"));
  try {
    const idA = await a.call(1, NetFn.App, AppCmd.GetDeviceId);
    const idB = await b.call(1, NetFn.App, AppCmd.GetDeviceId);
    assert.equal(idA.response.data[6], 0xd9, "node-a: generic, IANA 32473");
    assert.equal(idB.response.data[6], 0x00, "node-b: qemu-default, IANA 0");
    await a.call(2, NetFn.App, AppCmd.SetWatchdogTimer, [0x44, 0x01, 0, 0, 0x10, 0x27]);
    await a.call(3, NetFn.App, AppCmd.ResetWatchdogTimer);
    const stateA = await s.api.json("GET", "/api/v1/bmcs/node-a");
    const stateB = await s.api.json("GET", "/api/v1/bmcs/node-b");
    assert.equal((stateA.watchdog as { running: boolean }).running, true);
    assert.equal((stateB.watchdog as { running: boolean }).running, false);
    assert.equal((stateA.connection as { requestsServed: number }).requestsServed, 3);
    assert.equal((stateB.connection as { requestsServed: number }).requestsServed, 1);
    assert.deepEqual((stateA.connection as { capabilities: string[] }).capabilities, [
      "power",
      "reset",
      "irq",
      "nmi",
      "attn",
      "graceful-shutdown",
    ]);
    const list = await s.api.json<{ bmcs: { id: string; connected: boolean }[] }>(
      "GET",
      "/api/v1/bmcs",
    );
    assert.deepEqual(list.bmcs.map((x) => [x.id, x.connected]), [["node-a", true], [
      "node-b",
      true,
    ]]);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("SSE delivers events in order and replays after reconnect with Last-Event-ID", async () => {
  await using s = await twoBmcs();
  const controller = new AbortController();
  const received: { id: number; type: string; bmc: string }[] = [];
  let opened!: () => void;
  const open = new Promise<void>((r) => opened = r);
  const reader = (async () => {
    for await (
      const m of s.api.events("/api/v1/events?types=sel.*", { signal: controller.signal })
    ) {
      if (m.event === "stream.open") {
        opened();
        continue;
      }
      received.push(JSON.parse(m.data));
      if (received.length === 3) controller.abort();
    }
  })();
  await open; // subscribed before the events happen
  await s.api.json("POST", "/api/v1/bmcs/node-a/sel", { raw: "00".repeat(16) });
  await s.api.json("POST", "/api/v1/bmcs/node-b/sel", { raw: "00".repeat(16) });
  await s.api.json("DELETE", "/api/v1/bmcs/node-a/sel");
  await reader;
  assert.deepEqual(received.map((e) => [e.bmc, e.type]), [["node-a", "sel.added"], [
    "node-b",
    "sel.added",
  ], ["node-a", "sel.cleared"]]);
  assert.ok(received[0]!.id < received[1]!.id && received[1]!.id < received[2]!.id, "ids increase");
  // Events happen while disconnected; reconnect with the last id seen.
  await s.api.json("POST", "/api/v1/bmcs/node-b/sel", { raw: "00".repeat(16) });
  await s.api.json("DELETE", "/api/v1/bmcs/node-b/sel");
  const replay = new AbortController();
  const replayed: { type: string }[] = [];
  let announced = -1;
  for await (
    const m of s.api.events("/api/v1/bmcs/node-b/events?types=sel.*", {
      lastEventId: received[2]!.id,
      signal: replay.signal,
    })
  ) {
    if (m.event === "stream.open") {
      announced = (JSON.parse(m.data) as { replayed: number }).replayed;
    } else replayed.push(JSON.parse(m.data));
    if (replayed.length === 2) replay.abort();
  }
  assert.equal(announced, 2);
  assert.deepEqual(replayed.map((e) => e.type), ["sel.added", "sel.cleared"]);
});

Deno.test("the long-poll returns on the event and times out with 408", async () => {
  await using s = await twoBmcs();
  const after = (await s.api.json<{ lastEventId: number }>("GET", "/api/v1/bmcs")).lastEventId;
  const waiting = s.api.json(
    "GET",
    `/api/v1/bmcs/node-a/events/wait?type=sel.cleared&timeout=10s&after=${after}`,
  );
  await s.api.json("DELETE", "/api/v1/bmcs/node-a/sel");
  const event = await waiting;
  assert.equal(event.type, "sel.cleared");
  // The timeout's length is test/api/api_test.ts's, on the ManualClock; here, the 408 over HTTP.
  await assert.rejects(
    () => s.api.json("GET", "/api/v1/bmcs/node-a/events/wait?type=watchdog.expired&timeout=300ms"),
    (e: unknown) => (e as { status: number }).status === 408,
  );
});

Deno.test("ctl drives the API with script-friendly exit codes", async () => {
  await using s = await twoBmcs();
  const run = (...args: string[]) =>
    runMain(["ctl", "--api", s.bmc.apiUrl, "--bmc", "node-a", ...args]);
  const status = await run("status");
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /BMC node-a \(profile generic\)/);
  const add = await run(
    "sel",
    "add",
    "--sensor-type",
    "0x23",
    "--data",
    "0xc1,0x04",
    "--sensor-number",
    "1",
  );
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /Watchdog 2: hard reset/);
  const list = await run("sel", "list", "--json");
  assert.equal((JSON.parse(list.stdout).records as unknown[]).length, 1);
  const events = await run("events", "--type", "sel.added");
  assert.match(events.stdout, /\tnode-a\tsel\.added\t/);
  const power = await run("power", "on");
  assert.equal(power.code, 1);
  assert.match(power.stderr, /409 Cannot power-on: the vm power backend cannot power on/);
  const timeout = await run("wait", "watchdog.expired", "--timeout", "200ms");
  assert.equal(timeout.code, 3);
  const usage = await run("power", "sideways");
  assert.equal(usage.code, 2);
  const unknown = await run("--bmc", "nope", "status");
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /404 No BMC with id "nope"/);
  const addedBmc = await run("bmc", "add", '{"id": "node-c", "vm": {"listen": "tcp:127.0.0.1:0"}}');
  assert.equal(addedBmc.code, 0, addedBmc.stderr);
  assert.match(addedBmc.stdout, /added node-c \(listen tcp:127\.0\.0\.1:\d+\)/);
  assert.equal(
    (await run("bmc", "add", '{"id": "node-c", "vm": {}}')).code,
    2,
    "400: invalid input",
  );
  const removed = await run("bmc", "remove", "node-b");
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /removed node-b/);
  assert.equal((await run("bmc", "remove", "node-b")).code, 1, "already gone");
  assert.equal((await run("bmc", "sideways")).code, 2);
  const unreachable = await runMain(["ctl", "--api", "http://127.0.0.1:1", "status"]);
  assert.equal(unreachable.code, 4, "unreachable");
  assert.match(unreachable.stderr, /Cannot reach bmc-emu at http:\/\/127\.0\.0\.1:1/);
});

Deno.test("serve refuses a non-loopback API without a token", async () => {
  const out = await runMain(
    ["serve", "--ephemeral", "--vm-listen", "tcp:127.0.0.1:0", "--api-listen", "0.0.0.0:0"],
    { env: { BMC_EMU_API_TOKEN: "" }, timeoutMs: 15_000 },
  );
  assert.equal(out.code, 2);
  assert.match(out.stderr, /Refusing to serve the API on 0\.0\.0\.0 without a token/);
});

Deno.test("config-file faults are active from the start; ctl manages rules and resets", async () => {
  await using s = await twoBmcs();
  const peer = await VmPeer.connect(s.bmc.vmEndpoint("node-a"));
  try {
    assert.equal((await peer.call(1, NetFn.App, AppCmd.GetSelfTestResults)).response.cc, 0xd5);
    const ctl = (...args: string[]) =>
      runMain(["ctl", "--api", s.bmc.apiUrl, "--bmc", "node-a", ...args]);
    const list = await ctl("fault", "list");
    assert.match(
      list.stdout,
      /^f1\t\{"type":"error","cc":213\}\ton app\/get-self-test-results\thits 1/m,
    );
    const add = await ctl(
      "fault",
      "add",
      '{"match": {"netfn": "app", "cmd": "get-device-id"}, "action": {"type": "error", "cc": 192}, "count": 3}',
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /^added f2/);
    assert.equal((await peer.call(2, NetFn.App, AppCmd.GetDeviceId)).response.cc, 0xc0);
    assert.equal((await ctl("fault", "remove", "f2")).code, 0);
    assert.equal((await ctl("fault", "remove", "f2")).code, 1);
    const lanOnly = await ctl(
      "fault",
      "add",
      '{"match": {"channel": "lan", "netfn": "app", "cmd": "get-device-id"}, "action": {"type": "drop"}}',
    );
    assert.match(
      lanOnly.stdout,
      /^added f3\t\{"type":"drop"[^\t]*\}\ton app\/get-device-id \(lan only\)\t/,
    );
    assert.equal((await ctl("fault", "add", "{not json")).code, 2);
    assert.match(
      (await ctl("fault", "add", '{"action": {"type": "boom"}}')).stderr,
      /400 Invalid request: body.action.type/,
    );
    assert.match((await ctl("fault", "clear")).stdout, /removed 2 rules/);
    const reset = await ctl(
      "reset",
      "--mode",
      "busy",
      "--duration",
      "30s",
      "--cc",
      "0xD2",
      "--after",
      "0xD5",
    );
    assert.equal(reset.code, 0, reset.stderr);
    assert.match(
      reset.stdout,
      /resetting: busy for 30000 ms, watchdog forget.*then Reset Watchdog answers 0xd5/,
    );
    assert.equal((await peer.call(3, NetFn.App, AppCmd.GetDeviceId)).response.cc, 0xd2);
  } finally {
    await peer.close();
  }
});

Deno.test("ctl hang: a wedge over HTTP reaches the VM peer; release sends the held reply", async () => {
  await using s = await twoBmcs();
  const peer = await VmPeer.connect(s.bmc.vmEndpoint("node-b"));
  try {
    const ctl = (...args: string[]) =>
      runMain(["ctl", "--api", s.bmc.apiUrl, "--bmc", "node-b", ...args]);
    const start = await ctl("hang", "start", "wedge");
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /^hang wedge started/);
    await peer.request(0x10, NetFn.App, AppCmd.GetDeviceId);
    await peer.until(() => peer.responses.length === 1, 5000, "the wrong-seq reply");
    assert.equal(peer.responses[0]!.seq, 0x90);
    const status = await ctl("--json", "status");
    assert.equal(JSON.parse(status.stdout).hang.mode, "wedge");
    const release = await ctl("hang", "release", "--cc", "0xC3");
    assert.match(release.stdout, /^released wedge after \d+ ms/);
    await peer.until(() => peer.responses.length === 2, 5000, "the release");
    assert.deepEqual([peer.responses[1]!.seq, peer.responses[1]!.response.cc], [0x10, 0xc3]);
    assert.equal((await ctl("hang", "release")).code, 1, "nothing to release: 409");
    assert.equal((await ctl("hang", "start")).code, 2, "a mode is required");
    const bad = await ctl("hang", "start", "wedge", "--message", "request");
    assert.equal(bad.code, 2, "a 400 for the user's arguments is invalid input");
    assert.match(bad.stderr, /400 Invalid request: body.message/);
  } finally {
    await peer.close();
  }
});

Deno.test("ctl sensors and sensor set: a threshold event reaches the VM peer's SEL reads", async () => {
  await using s = await twoBmcs();
  const ctl = (...args: string[]) =>
    runMain(["ctl", "--api", s.bmc.apiUrl, "--bmc", "node-a", ...args]);
  const list = await ctl("sensors");
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^0x04\tInlet Temp\t24 degrees-c\t\(lcr 3, lnc 8, unc 40, ucr 45\)$/m);
  const hot = await ctl("sensor", "set", "Inlet Temp", "46");
  assert.equal(hot.code, 0, hot.stderr);
  assert.match(hot.stdout, /ASSERTED offsets 7,9\n2 event\(s\) logged/);
  const peer = await VmPeer.connect(s.bmc.vmEndpoint("node-a"));
  try {
    const r = await peer.call(1, NetFn.Storage, 0x43, [0, 0, 0, 0, 0, 0xff]);
    assert.equal(r.response.cc, 0);
    assert.deepEqual([...r.response.data.subarray(2 + 11, 2 + 16)], [0x04, 0x01, 0x57, 92, 80]);
  } finally {
    await peer.close();
  }
  const psu = await ctl("sensor", "set", "PS1 Status", "--state", "0,1");
  assert.match(psu.stdout, /state \[0,1\]\n1 event\(s\) logged/);
  assert.equal((await ctl("sensor", "set", "Inlet Temp", "hot")).code, 2);
  const missing = await ctl("sensor", "set", "Nope", "1");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /404 No sensor "Nope"/);
});
