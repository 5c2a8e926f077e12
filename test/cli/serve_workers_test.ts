import assert from "node:assert/strict";
import { spawnMain } from "../_helpers/cli.ts";
import { VmPeer } from "../_helpers/vm_peer.ts";
import { parseSse, type SseMessage } from "../../src/cli/api_client.ts";
import { AppCmd, NetFn, VmCmd } from "../../src/codec/constants.ts";
import { parseEndpoint } from "../../src/transport/endpoint.ts";

const IDS = ["rack-a", "rack-b", "rack-c", "rack-d"];

/** Reads a stream's events as they come; `next` waits with a deadline. */
class EventReader {
  readonly #messages: SseMessage[] = [];
  readonly #done: Promise<void>;
  #wake: (() => void) | null = null;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#done = (async () => {
      for await (const m of parseSse(body)) {
        this.#messages.push(m);
        this.#wake?.();
      }
    })().catch(() => {}); // aborted at the end
  }

  async find(
    test: (m: SseMessage) => boolean,
    what: string,
    timeoutMs = 10_000,
  ): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#messages.find(test);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  finished(): Promise<void> {
    return this.#done;
  }
}

Deno.test("serve --workers 2: one API lists and controls the BMCs of both shards", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-workers-" });
  const peers: VmPeer[] = [];
  const streams = new AbortController();
  try {
    const bmcs = IDS.map((id) => ({ id, vm: { listen: `unix:${dir}/${id}.sock` } }));
    const config = `${dir}/rack.json`;
    await Deno.writeTextFile(
      config,
      JSON.stringify({ stateDir: null, api: { listen: "127.0.0.1:0" }, bmcs }),
    );
    await using child = spawnMain(["serve", "--config", config, "--workers", "2", "--ui", "off"]);
    const apiLine = await child.stdout.waitFor(/^Control API: /, { timeoutMs: 30_000 });
    const base = /http:\/\/[^/]+/.exec(apiLine)![0];
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${base}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      const text = await r.text();
      return { status: r.status, text, json: () => JSON.parse(text) };
    };
    assert.match(child.stderr.text, /serving bmcs=4 workers=2/);

    const health = (await call("GET", "/healthz")).json();
    assert.deepEqual([health.bmcs, health.shards], [4, 2]);
    const list = (await call("GET", "/api/v1/bmcs")).json();
    assert.deepEqual(list.bmcs.map((b: { id: string }) => b.id), IDS, "config order, both shards");

    const all = await fetch(`${base}/api/v1/events`, { signal: streams.signal });
    assert.equal(all.status, 200);
    const events = new EventReader(all.body!);
    await events.find((m) => m.event === "stream.open", "the stream to open");

    for (const id of IDS) {
      const peer = await VmPeer.connect(parseEndpoint(`unix:${dir}/${id}.sock`));
      peers.push(peer);
      assert.equal(
        (await peer.call(1, NetFn.App, AppCmd.GetDeviceId)).response.cc,
        0,
        `${id} answers`,
      );
    }
    await events.find(
      (m) => m.event === "ipmi.request" && JSON.parse(m.data).bmc === "rack-d",
      "an IPMI exchange of shard 1 on the process-wide stream (forwarded while it is open)",
    );
    // Config order, round robin: rack-a and rack-c in shard 0, rack-b and rack-d in shard 1.
    for (const [i, id] of [[0, "rack-a"], [1, "rack-b"]] as const) {
      const rule = await call("POST", `/api/v1/bmcs/${id}/faults`, {
        match: { netfn: "app", cmd: "get-device-id" },
        action: { type: "error", cc: 0xc0 },
      });
      assert.equal(rule.status, 201, rule.text);
      assert.equal((await peers[i]!.call(2, NetFn.App, AppCmd.GetDeviceId)).response.cc, 0xc0, id);
      await events.find(
        (m) => m.event === "fault.fired" && JSON.parse(m.data).bmc === id,
        `fault.fired of ${id} on the process-wide stream`,
      );
      const reset = await call("POST", `/api/v1/bmcs/${id}/chassis`, { action: "hard-reset" });
      assert.equal(reset.status, 200, reset.text);
      await peers[i]!.until(() => peers[i]!.controls.includes(VmCmd.Reset), 5000, `${id} reset`);
      await events.find(
        (m) => m.event === "host.reset" && JSON.parse(m.data).bmc === id,
        `host.reset of ${id}`,
      );
    }
    for (const i of [2, 3]) {
      assert.equal(
        (await peers[i]!.call(3, NetFn.App, AppCmd.GetDeviceId)).response.cc,
        0,
        "no rule here",
      );
      assert.ok(!peers[i]!.controls.includes(VmCmd.Reset));
    }
    const state = (await call("GET", "/api/v1/bmcs/rack-b")).json();
    assert.equal(state.faults.length, 1);
    assert.equal((await call("DELETE", "/api/v1/bmcs/rack-b/faults")).json().removed, 1);
    assert.equal((await peers[1]!.call(4, NetFn.App, AppCmd.GetDeviceId)).response.cc, 0);
    assert.equal((await call("GET", "/api/v1/bmcs/nope")).status, 404);

    // A BMC reset in shard 1: its VM link drops.
    const reboot = await call("POST", "/api/v1/bmcs/rack-d/reset", {
      mode: "disconnect",
      durationMs: 200,
    });
    assert.equal(reboot.status, 202, reboot.text);
    await peers[3]!.waitClosed();

    const metrics = (await call("GET", "/metrics")).text;
    for (const id of IDS) {
      assert.match(metrics, new RegExp(`bmc_emu_vm_connected\\{bmc="${id}"\\}`));
    }
    assert.match(metrics, /^bmc_emu_bmcs 4$/m);
    assert.equal(metrics.match(/^# TYPE bmc_emu_bmcs gauge$/gm)?.length, 1);
    assert.match(metrics, /bmc_emu_faults_fired_total\{bmc="rack-b",action="error"\} 1/);

    // Added at run time: to the shard with fewer BMCs; ids stay unique across shards.
    const added = await call("POST", "/api/v1/bmcs", {
      id: "rack-e",
      vm: { listen: `unix:${dir}/rack-e.sock` },
    });
    assert.equal(added.status, 201, added.text);
    assert.equal(
      (await call("POST", "/api/v1/bmcs", { id: "rack-b", vm: { listen: `unix:${dir}/x.sock` } }))
        .status,
      409,
    );
    // rack-a's socket, from the shard with fewer BMCs: its owner answers, no probe reaches rack-a.
    const taken = await call("POST", "/api/v1/bmcs", {
      id: "rack-f",
      vm: { listen: `unix:${dir}/rack-a.sock` },
    });
    assert.equal(taken.status, 409, taken.text);
    assert.match(taken.json().error, /vm\.listen is in use by BMC "rack-a"/);
    const e = await VmPeer.connect(parseEndpoint(`unix:${dir}/rack-e.sock`));
    peers.push(e);
    assert.equal((await e.call(1, NetFn.App, AppCmd.GetDeviceId)).response.cc, 0);
    const five = (await call("GET", "/api/v1/bmcs")).json();
    assert.deepEqual(five.bmcs.map((b: { id: string }) => b.id), [...IDS, "rack-e"]);
    assert.equal((await call("DELETE", "/api/v1/bmcs/rack-e")).status, 200);
    await events.find((m) => m.event === "bmc.removed", "bmc.removed");
    assert.equal((await call("GET", "/api/v1/bmcs/rack-e")).status, 404);
    assert.equal((await call("GET", "/healthz")).json().bmcs, 4);

    const scenario = await call("POST", "/api/v1/scenarios", {
      name: "across",
      bmc: "rack-a",
      steps: [{ mark: "x" }, { mark: "y", bmc: "rack-b" }],
    });
    assert.equal(scenario.status, 501, scenario.text);
    const inOne = await call("POST", "/api/v1/scenarios", {
      name: "one shard",
      bmc: "rack-c",
      steps: [{ mark: "x" }, { mark: "y", bmc: "rack-a" }],
    });
    assert.equal(inOne.status, 200, inOne.text);
    assert.equal(inOne.json().passed, true);
    streams.abort();
    await events.finished();
  } finally {
    streams.abort();
    for (const p of peers) await p.close();
    await Deno.remove(dir, { recursive: true });
  }
});
