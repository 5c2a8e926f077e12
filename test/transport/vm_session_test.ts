/**
 * A VM session over an in-memory connection on the ManualClock: how it
 * executes verdicts (reply now, after a delay, wedge and release) and
 * suppresses replies whose request is no longer outstanding. No sockets,
 * no wall time.
 */

import assert from "node:assert/strict";
import { AppCmd, ChassisCmd, NetFn, VmCmd } from "../../src/codec/constants.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { Bmc } from "../../src/core/bmc.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { NullLogger } from "../../src/log/logger.ts";
import { waitForEvent } from "../../src/events/wait_for_event.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { VmLink } from "../../src/transport/vm_link.ts";
import { VmSession } from "../../src/transport/vm_session.ts";
import { addRule } from "../_helpers/faults.ts";
import { MemoryConn } from "../_helpers/memory_conn.ts";
import { testConfig } from "../_helpers/test_bmc.ts";
import { QEMU_HELLO, VmPeer } from "../_helpers/vm_peer.ts";

async function withSession(
  fn: (
    s: { peer: VmPeer; bmc: Bmc; clock: ManualClock; bus: EventBus; conn: MemoryConn },
  ) => Promise<void>,
): Promise<void> {
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const events = bus.sinkFor("bmc0");
  const log = new NullLogger();
  const link = new VmLink<VmSession>(events);
  const bmc = new Bmc({
    id: "bmc0",
    config: testConfig(),
    clock,
    link,
    store: new MemoryStore(),
    events,
    log,
  });
  const [bmcEnd, peerEnd] = MemoryConn.pair();
  const session = new VmSession({ conn: bmcEnd, bmc, clock, events, log, peer: "memory" });
  link.attach(session);
  session.greet();
  const running = session.run();
  const peer = VmPeer.wrap(peerEnd as unknown as Deno.Conn);
  await peer.write(QEMU_HELLO);
  try {
    await fn({ peer, bmc, clock, bus, conn: bmcEnd });
  } finally {
    await peer.close();
    await running;
    link.detach(session);
    bmc.close();
  }
}

const sent = (bus: EventBus) => bus.since(0, { types: new Set(["ipmi.response"]) }).length;

Deno.test("VmSession answers a request with its seq at once", () =>
  withSession(async ({ peer }) => {
    const r = await peer.call(7, NetFn.App, AppCmd.GetDeviceId);
    assert.equal(r.seq, 7);
    assert.equal(r.response.cc, 0);
    assert.equal(r.response.data.length, 15);
  }));

Deno.test("VmSession executes a delay verdict on the clock: nothing at 299 ms, the reply at 300", () =>
  withSession(async ({ peer, bmc, clock, bus }) => {
    addRule(bmc, { netfn: NetFn.App, cmd: AppCmd.GetDeviceId }, { type: "delay", ms: 300 });
    await peer.request(1, NetFn.App, AppCmd.GetDeviceId);
    const filter = { types: new Set(["fault.fired"]) };
    await waitForEvent(bus, clock, filter, { timeoutMs: 60_000, after: 0 });
    clock.advance(299);
    assert.equal(sent(bus), 0);
    clock.advance(1);
    await peer.until(() => peer.responses.length === 1, 5000, "the delayed reply");
    assert.equal(peer.responses[0]!.seq, 1);
    const [reply] = bus.since(0, { types: new Set(["ipmi.response"]) });
    assert.deepEqual(
      [reply!.data.delayMs, reply!.data.latencyMs],
      [300, 300],
      "latency: arrival to write on the clock",
    );
  }));

Deno.test("VmSession's ipmi.response carries the latency: 0 on a still clock, to the µs as measured", () =>
  withSession(async ({ peer, bmc, clock, bus }) => {
    await peer.call(1, NetFn.App, AppCmd.GetDeviceId);
    const replies = () => bus.since(0, { types: new Set(["ipmi.response"]) }).map((e) => e.data);
    assert.equal(replies()[0]!.latencyMs, 0, "nothing advanced the ManualClock");
    // A held reply released 0.1234567 ms after its request came: rounded to the µs.
    bmc.startHang({ mode: "wedge" }, "test");
    await peer.request(2, NetFn.App, AppCmd.GetDeviceId);
    await peer.until(() => peer.responses.length === 2, 5000, "the wrong-seq reply");
    clock.advance(0.1234567);
    bmc.releaseHang(null);
    await peer.until(() => peer.responses.length === 3, 5000, "the held reply");
    assert.equal(replies().at(-1)!.latencyMs, 0.123);
  }));

Deno.test("VmSession wedge: a reply with another seq, then the held one on release", () =>
  withSession(async ({ peer, bmc, clock, bus }) => {
    bmc.startHang({ mode: "wedge" }, "test");
    await peer.request(0x21, NetFn.App, AppCmd.GetDeviceId);
    await peer.until(() => peer.responses.length === 1, 5000, "the wrong-seq reply");
    assert.equal(peer.responses[0]!.seq, 0xa1, "0x21 + 0x80 cancels the request at QEMU");
    clock.advance(2_500);
    bmc.releaseHang(null);
    await peer.until(() => peer.responses.length === 2, 5000, "the held reply");
    assert.deepEqual([peer.responses[1]!.seq, peer.responses[1]!.response.cc], [0x21, 0]);
    const replies = bus.since(0, { types: new Set(["ipmi.response"]) }).map((e) => e.data);
    assert.deepEqual(replies.map((d) => [d.wire, d.latencyMs]), [["wedge", 0], [
      "released",
      2_500,
    ]], "the released reply's latency includes the time it was held");
  }));

Deno.test("VmSession suppresses a delayed reply whose request QEMU gave up on", () =>
  withSession(async ({ peer, bmc, clock, bus }) => {
    addRule(bmc, { netfn: NetFn.App, cmd: AppCmd.GetSelfTestResults }, { type: "delay", ms: 400 });
    await peer.request(1, NetFn.App, AppCmd.GetSelfTestResults);
    const next = await peer.call(2, NetFn.App, AppCmd.GetDeviceId); // QEMU moved on
    assert.equal(next.seq, 2);
    clock.advance(400);
    const suppressed = bus.since(0, { types: new Set(["vm.reply-suppressed"]) });
    assert.equal(suppressed.length, 1, "the stale reply is suppressed, not sent");
    assert.equal(peer.responses.filter((r) => r.seq === 1).length, 0);
  }));

Deno.test("VmSession greets in one write and sends a reply with its control frames in one write", () =>
  withSession(async ({ peer, conn }) => {
    await peer.until(() => peer.controls.length === 3, 5000, "the greeting");
    assert.equal(conn.writes, 1, "version, attention and irq state: one write");
    await peer.call(1, NetFn.App, AppCmd.GetDeviceId);
    assert.equal(conn.writes, 2);
    // Chassis Control hard reset: the reply, then the reset, in one write.
    await peer.call(2, NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]);
    await peer.until(() => peer.controls.includes(VmCmd.Reset), 5000, "the reset");
    assert.equal(conn.writes, 3);
  }));
