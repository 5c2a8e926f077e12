/**
 * Fault actions as a QEMU-side peer sees them on a real socket.
 */

import assert from "node:assert/strict";
import { AppCmd, NetFn, VmCmd } from "../../src/codec/constants.ts";
import type { FaultAction, FaultMatch } from "../../src/core/faults.ts";
import { addRule } from "../_helpers/faults.ts";
import { startRuntime, TCP_ANY } from "../_helpers/runtime.ts";
import { VmPeer } from "../_helpers/vm_peer.ts";
import { waitForEvent } from "../../src/events/wait_for_event.ts";

const DEVICE_ID: FaultMatch = { netfn: NetFn.App, cmd: AppCmd.GetDeviceId };
async function withPeer(
  fn: (
    peer: VmPeer,
    addRule: (a: FaultAction, m?: FaultMatch) => void,
    rt: Awaited<ReturnType<typeof startRuntime>>,
  ) => Promise<void>,
) {
  await using rt = await startRuntime({ listen: TCP_ANY });
  const peer = await VmPeer.connect(rt.runtime.endpoint);
  try {
    await fn(
      peer,
      (action, match = DEVICE_ID) => addRule(rt.runtime.bmc, match, action),
      rt,
    );
  } finally {
    await peer.close();
  }
}

/** Resolves once an event of `type` follows event `after` (on the runtime's ManualClock). */
function next(rt: Awaited<ReturnType<typeof startRuntime>>, type: string, after = 0) {
  const filter = { types: new Set([type]) };
  return waitForEvent(rt.bus, rt.clock, filter, { timeoutMs: 60_000, after });
}

/** Resolves once a rule fires after event `after` (the request reached the BMC). */
function fired(rt: Awaited<ReturnType<typeof startRuntime>>, after = 0) {
  return next(rt, "fault.fired", after);
}

/**
 * Advance to just before `atMs`: nothing is sent; then to `atMs`: one reply
 * is sent (after event `after`), and the peer receives it.
 */
async function replyAt(
  rt: Awaited<ReturnType<typeof startRuntime>>,
  peer: VmPeer,
  { atMs, after }: { atMs: number; after: number },
) {
  const sent = () => rt.bus.since(after, { types: new Set(["ipmi.response"]) }).length;
  rt.clock.advance(atMs - 1);
  assert.equal(sent(), 0, `nothing before ${atMs} ms`);
  rt.clock.advance(1);
  assert.equal(sent(), 1, `the reply at ${atMs} ms`);
  await peer.until(() => peer.responses.length === 1, 5000, "the reply");
  return peer.responses[0]!;
}

Deno.test("delay: the reply arrives after the delay, correct", () =>
  withPeer(async (peer, add, rt) => {
    add({ type: "delay", ms: 300 });
    await peer.request(1, NetFn.App, AppCmd.GetDeviceId);
    await fired(rt);
    const r = await replyAt(rt, peer, { atMs: 300, after: 0 });
    assert.equal(r.response.cc, 0);
    assert.equal(r.response.data.length, 15);
  }));

Deno.test("drop: no reply; the next request is answered", () =>
  withPeer(async (peer, add, rt) => {
    add({ type: "drop", unsafeSeq: "hang" }, { netfn: NetFn.App, cmd: AppCmd.GetSelfTestResults });
    await peer.request(1, NetFn.App, AppCmd.GetSelfTestResults);
    await fired(rt);
    const r = await peer.call(2, NetFn.App, AppCmd.GetDeviceId);
    assert.equal(r.response.cc, 0);
    assert.equal(peer.responses.filter((x) => x.seq === 1).length, 0);
  }));

Deno.test("corrupt checksum: QEMU's decoder drops the frame", () =>
  withPeer(async (peer, add) => {
    add({ type: "corrupt", how: "checksum" });
    await peer.request(1, NetFn.App, AppCmd.GetDeviceId);
    await peer.until(() => peer.dropped.length === 1, 2000, "a dropped frame");
    assert.deepEqual(peer.dropped, ["bad-checksum"]);
    assert.equal(peer.responses.length, 0);
  }));

Deno.test("corrupt netfn, cmd and truncate reach the peer damaged", async (t) => {
  for (
    const [how, check] of [
      [
        "netfn",
        (r: { netfn: number; cmd: number; data: Uint8Array }) => r.netfn === 0x09 && r.cmd === 1,
      ],
      [
        "cmd",
        (r: { netfn: number; cmd: number; data: Uint8Array }) => r.netfn === 0x07 && r.cmd === 2,
      ],
      [
        "truncate",
        (r: { netfn: number; cmd: number; data: Uint8Array }) =>
          r.netfn === 0x07 && r.data.length === 0,
      ],
    ] as const
  ) {
    await t.step(how, () =>
      withPeer(async (peer, add) => {
        add({ type: "corrupt", how });
        const r = await peer.call(1, NetFn.App, AppCmd.GetDeviceId);
        assert.ok(check(r.response), JSON.stringify({ ...r.response, data: [...r.response.data] }));
      }));
  }
});

Deno.test("duplicate: the reply comes twice, the second one gapMs later", () =>
  withPeer(async (peer, add, rt) => {
    add({ type: "duplicate", gapMs: 100 });
    await peer.call(7, NetFn.App, AppCmd.GetDeviceId);
    rt.clock.advance(99);
    assert.equal(peer.responses.filter((r) => r.seq === 7).length, 1, "once before gapMs");
    rt.clock.advance(1);
    await peer.until(
      () => peer.responses.filter((r) => r.seq === 7).length === 2,
      2000,
      "the duplicate",
    );
  }));

Deno.test("a delayed reply whose request was superseded is not sent", () =>
  withPeer(async (peer, add, rt) => {
    add({ type: "delay", ms: 400 }, { netfn: NetFn.App, cmd: AppCmd.GetSelfTestResults });
    await peer.request(1, NetFn.App, AppCmd.GetSelfTestResults);
    await peer.call(2, NetFn.App, AppCmd.GetDeviceId); // QEMU gave up on 1 and moved on
    rt.clock.advance(400);
    const suppressed = rt.bus.since(0, { types: new Set(["vm.reply-suppressed"]) });
    assert.equal(suppressed.length, 1, "the stale reply is suppressed at 400 ms");
    assert.equal(peer.responses.filter((r) => r.seq === 1).length, 0);
  }));

Deno.test("a disconnect reset closes the link, refuses reconnects, then greets again with IRQs off", async () => {
  await using rt = await startRuntime({ listen: TCP_ANY });
  const first = await VmPeer.connect(rt.runtime.endpoint);
  await first.call(1, NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0d]);
  rt.runtime.bmc.beginReset({
    mode: "disconnect",
    durationMs: 400,
    busyCc: 0xc0,
    watchdog: "forget",
    resetWatchdogCc: null,
  }, "test");
  await first.waitClosed();
  await first.close();
  const refused = await VmPeer.connect(rt.runtime.endpoint);
  await refused.waitClosed();
  await refused.close();
  assert.ok(
    rt.logs.some((l) => l.includes("VM connection refused") && l.includes("BMC is resetting")),
  );
  rt.clock.advance(399);
  assert.equal(rt.runtime.bmc.acceptingConnections(), false, "still resetting at 399 ms");
  rt.clock.advance(1);
  assert.equal(rt.runtime.bmc.acceptingConnections(), true, "the outage ends at 400 ms");
  const again = await VmPeer.connect(rt.runtime.endpoint);
  try {
    const r = await again.call(2, NetFn.App, AppCmd.GetBmcGlobalEnables);
    assert.deepEqual([...r.response.data], [0x08], "global enables back to defaults");
    assert.deepEqual(again.controls.slice(0, 3), [VmCmd.Version, VmCmd.NoAttn, VmCmd.DisableIrq]);
  } finally {
    await again.close();
  }
});

Deno.test("drop at seq A0: silent by default (QEMU's 0xC3 would be lost), or answered 0xC3 at 3.9 s", () =>
  withPeer(async (peer, add, rt) => {
    add({ type: "drop", unsafeSeq: "hang" }, { netfn: NetFn.App, cmd: AppCmd.GetSelfTestResults });
    await peer.request(0xa0, NetFn.App, AppCmd.GetSelfTestResults);
    await fired(rt);
    rt.runtime.bmc.faults.clear();
    add({ type: "drop", unsafeSeq: "answer-c3" }, {
      netfn: NetFn.App,
      cmd: AppCmd.GetSelfTestResults,
    });
    const firedBefore = rt.bus.lastId;
    await peer.request(0xa1, NetFn.App, AppCmd.GetSelfTestResults);
    await fired(rt, firedBefore);
    const r = await replyAt(rt, peer, { atMs: 3900, after: firedBefore });
    assert.equal(r.seq, 0xa1);
    assert.equal(r.response.cc, 0xc3);
    assert.equal(
      peer.responses.filter((x) => x.seq === 0xa0).length,
      0,
      "the default stays silent",
    );
  }));

Deno.test("wedge: the peer gets a reply with another seq, then the right one on release", () =>
  withPeer(async (peer, _add, rt) => {
    rt.runtime.bmc.startHang({ mode: "wedge" }, "test");
    await peer.request(0x21, NetFn.App, AppCmd.GetDeviceId);
    await peer.until(() => peer.responses.length === 1, 2000, "the wrong-seq reply");
    assert.equal(peer.responses[0]!.seq, 0xa1, "another seq (0x21 + 0x80)");
    assert.equal(peer.responses[0]!.response.cmd, AppCmd.GetDeviceId);
    rt.runtime.bmc.releaseHang(null);
    await peer.until(() => peer.responses.length === 2, 2000, "the held reply");
    assert.equal(peer.responses[1]!.seq, 0x21);
    assert.equal(peer.responses[1]!.response.cc, 0);
    assert.equal(peer.responses[1]!.response.data.length, 15, "the real reply");
    rt.runtime.bmc.startHang({ mode: "wedge" }, "test");
    await peer.request(0x22, NetFn.App, AppCmd.GetDeviceId);
    await peer.until(() => peer.responses.length === 3, 2000, "the wrong-seq reply");
    rt.runtime.bmc.releaseHang(0xff);
    await peer.until(() => peer.responses.length === 4, 2000, "the release with a code");
    assert.deepEqual([
      peer.responses[3]!.seq,
      peer.responses[3]!.response.cc,
      peer.responses[3]!.response.data.length,
    ], [0x22, 0xff, 0]);
    const events = rt.bus.since(0, { types: new Set(["hang.started", "hang.released"]) }).map((e) =>
      e.type
    );
    assert.deepEqual(events, ["hang.started", "hang.released", "hang.started", "hang.released"]);
  }));
