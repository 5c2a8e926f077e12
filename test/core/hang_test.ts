import assert from "node:assert/strict";
import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

Deno.test("hang silent: nothing is answered until released; duration releases it exactly", () => {
  const t = testBmc();
  t.bmc.startHang({ mode: "silent", durationMs: 2000 }, "test");
  assert.equal(t.bmc.handle({ netfn: 6, lun: 0, cmd: 1, data: new Uint8Array() }).kind, "drop");
  t.clock.advance(1999);
  assert.equal(t.bmc.handle({ netfn: 6, lun: 0, cmd: 1, data: new Uint8Array() }).kind, "drop");
  t.clock.advance(1);
  assert.equal(t.send(NetFn.App, AppCmd.GetDeviceId).cc, 0);
  assert.deepEqual(t.events.of("hang.released")[0], {
    mode: "silent",
    reason: "duration elapsed",
    durationMs: 2000,
    heldReply: false,
  });
});

Deno.test("hang wedge: the handler runs, the reply is for the transport to hold; release ends it", () => {
  const t = testBmc();
  t.bmc.startHang({ mode: "wedge" }, "test");
  const v = t.bmc.handle({
    netfn: 6,
    lun: 0,
    cmd: AppCmd.SetWatchdogTimer,
    data: Uint8Array.of(0x04, 1, 0, 0, 10, 0),
  });
  assert.equal(v.kind, "wedge");
  if (v.kind !== "wedge") return;
  assert.equal(t.bmc.watchdog.initialized, true, "the BMC did the work; only the reply is held");
  assert.equal(t.bmc.hang?.mode, "wedge");
  const sent: (number | null)[] = [];
  const holder = (cc: number | null) => sent.push(cc) > 0;
  v.end.onEnd(holder);
  v.end.onEnd(holder);
  t.clock.advance(55_000);
  const released = t.bmc.releaseHang(0xff);
  assert.equal(released?.mode, "wedge");
  assert.deepEqual(sent, [0xff], "the holder sends once, with the code asked for");
  assert.deepEqual(t.link.sent, [], "nothing of it goes through the HostLink port");
  const event = t.events.of("hang.released")[0]!;
  assert.equal(event.durationMs, 55_000);
  assert.equal(event.heldReply, true);
  assert.equal(t.bmc.releaseHang(null), null, "nothing left to release");
});

Deno.test("hang sticky-event-buffer: flag 0x02 stays, every read succeeds with new data, ATTN stays", () => {
  const t = testBmc();
  t.send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0f]);
  t.bmc.startHang({ mode: "sticky-event-buffer" }, "test");
  assert.equal(t.link.sent.at(-1), "attn:attn-irq");
  const reads = Array.from({ length: 5 }, () => t.send(NetFn.App, AppCmd.ReadEventMessageBuffer));
  assert.ok(reads.every((r) => r.cc === 0 && r.data.length === 16));
  assert.equal(new Set(reads.map((r) => r.data[15])).size, 5, "data changes on every read");
  t.send(NetFn.App, AppCmd.ClearMessageFlags, [0x02]);
  assert.equal(t.send(NetFn.App, AppCmd.GetMessageFlags).data[0], 0x02, "clearing does not help");
  assert.equal(t.bmc.messaging.stickyFetches, 5);
  t.bmc.releaseHang(null);
  assert.equal(t.events.of("hang.released")[0]!.fetches, 5, "the release says how many fetches");
  assert.equal(t.send(NetFn.App, AppCmd.GetMessageFlags).data[0], 0x00);
  assert.equal(t.send(NetFn.App, AppCmd.ReadEventMessageBuffer).cc, 0x80);
  assert.equal(t.link.sent.at(-1), "attn:none");
});

/**
 * Parse Get Message data the way Linux's msghandler does (its rsp[] has
 * netfn, cmd and cc in front, so rsp[3] is our data[0]).
 */
function asLinuxSees(data: Uint8Array): { response: boolean; size: number; seq: number } {
  return { response: (data[1]! & 0x04) !== 0, size: data.length + 3, seq: data[4]! >> 2 };
}

Deno.test("hang sticky-receive-queue: flag 0x01 stays and Get Message keeps succeeding", () => {
  const t = testBmc();
  t.bmc.startHang({ mode: "sticky-receive-queue" }, "test");
  const msgs = Array.from({ length: 3 }, () => t.send(NetFn.App, AppCmd.GetMessage));
  assert.ok(msgs.every((m) => m.cc === 0 && m.data[0] === 0x00), "channel 0 (IPMB)");
  for (const m of msgs) {
    const seen = asLinuxSees(m.data);
    assert.equal(seen.response, true, "an IPMB response (netFn odd)");
    assert.ok(seen.size >= 14, "long enough for Linux's response handler");
    assert.equal(m.data.at(-1), -[...m.data.slice(3, -1)].reduce((a, b) => a + b, 0) & 0xff);
  }
  assert.notEqual(asLinuxSees(msgs[0]!.data).seq, asLinuxSees(msgs[1]!.data).seq);
  assert.equal(t.send(NetFn.App, AppCmd.GetMessageFlags).data[0], 0x01);
  t.bmc.releaseHang(null);
  assert.equal(t.send(NetFn.App, AppCmd.GetMessage).cc, 0x80);
});

Deno.test("hang sticky-receive-queue with requests: IPMB requests to system software", () => {
  const t = testBmc();
  t.bmc.startHang({ mode: "sticky-receive-queue", message: "request" }, "test");
  const m = t.send(NetFn.App, AppCmd.GetMessage);
  const seen = asLinuxSees(m.data);
  assert.equal(seen.response, false, "netFn even: a command Linux must answer");
  assert.ok(seen.size >= 10, "long enough for Linux's command handler");
  assert.equal(m.data[5], AppCmd.GetDeviceId);
  assert.equal(t.events.of("hang.started")[0]!.message, "request");
});

Deno.test("a new hang replaces the one in progress", () => {
  const t = testBmc();
  t.bmc.startHang({ mode: "sticky-event-buffer" }, "test");
  t.bmc.startHang({ mode: "silent" }, "test");
  assert.equal(t.bmc.hang?.mode, "silent");
  assert.equal(t.bmc.messaging.snapshot().sticky, null, "the sticky flag went with the old hang");
  assert.equal(t.bmc.handle({ netfn: 6, lun: 0, cmd: 0x31, data: new Uint8Array() }).kind, "drop");
});
