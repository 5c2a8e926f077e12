import assert from "node:assert/strict";
import { AppCmd, ChassisCmd, NetFn, StorageCmd } from "../../src/codec/constants.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { decodeSelRecord } from "../../src/core/sel_record.ts";
import { type TestBmc, testBmc } from "../_helpers/test_bmc.ts";

/** Set Watchdog Timer request bytes. */
function setBytes(o: {
  use?: number;
  dontStop?: boolean;
  dontLog?: boolean;
  action?: number;
  interrupt?: number;
  pretimeout?: number;
  clear?: number;
  countdown: number;
}): number[] {
  const use = (o.use ?? 4) | (o.dontStop ? 0x40 : 0) | (o.dontLog ? 0x80 : 0);
  return [
    use,
    ((o.interrupt ?? 0) << 4) | (o.action ?? 0),
    o.pretimeout ?? 0,
    o.clear ?? 0,
    o.countdown & 0xff,
    o.countdown >> 8,
  ];
}

function set(t: TestBmc, o: Parameters<typeof setBytes>[0]): number {
  return t.send(NetFn.App, AppCmd.SetWatchdogTimer, setBytes(o)).cc;
}

function reset(t: TestBmc): number {
  return t.send(NetFn.App, AppCmd.ResetWatchdogTimer).cc;
}

function get(t: TestBmc): number[] {
  const r = t.send(NetFn.App, AppCmd.GetWatchdogTimer);
  assert.equal(r.cc, 0);
  return [...r.data];
}

function selDescriptions(t: TestBmc): string[] {
  return t.bmc.sel.records().map((r) => decodeSelRecord(r.bytes).description ?? "?");
}

Deno.test("Reset Watchdog Timer before any Set answers 0x80", () => {
  const t = testBmc();
  assert.equal(reset(t), 0x80);
});

Deno.test("Set Watchdog Timer rejects invalid fields with 0xCC", async (s) => {
  const cases: [string, number[]][] = [
    ["timer use 0", setBytes({ use: 0, countdown: 10 })],
    ["timer use 6", setBytes({ use: 6, countdown: 10 })],
    ["timer use 7", setBytes({ use: 7, countdown: 10 })],
    ["reserved timer-use bits", [0x04 | 0x08, 0, 0, 0, 10, 0]],
    ["action 4", setBytes({ action: 4, countdown: 10 })],
    ["reserved action bit 3", [0x04, 0x08, 0, 0, 10, 0]],
    ["reserved action bit 7", [0x04, 0x80, 0, 0, 10, 0]],
    ["pretimeout interrupt 4", setBytes({ interrupt: 4, countdown: 10 })],
    ["SMI pretimeout without the quirk", setBytes({ interrupt: 1, countdown: 10 })],
    [
      "pretimeout longer than the countdown",
      setBytes({ interrupt: 2, pretimeout: 2, countdown: 19 }),
    ],
    ["reserved expiration-flag bits", setBytes({ clear: 0x41, countdown: 10 })],
  ];
  for (const [name, data] of cases) {
    await s.step(name, () => {
      const t = testBmc();
      assert.equal(t.send(NetFn.App, AppCmd.SetWatchdogTimer, data).cc, 0xcc);
      assert.equal(reset(t), 0x80, "nothing was stored");
    });
  }
  await s.step("NMI when QEMU did not advertise it", () => {
    const t = testBmc();
    t.link.caps = 0x3f & ~0x08;
    assert.equal(set(t, { interrupt: 2, pretimeout: 1, countdown: 100 }), 0xcc);
  });
  await s.step("SMI accepted with the acceptSmiPretimeout quirk", () => {
    const t = testBmc({ config: { quirks: { acceptSmiPretimeout: true } } });
    assert.equal(set(t, { interrupt: 1, pretimeout: 1, countdown: 100 }), 0);
  });
  await s.step("pretimeout equal to the countdown is valid", () => {
    const t = testBmc();
    assert.equal(set(t, { interrupt: 3, pretimeout: 2, countdown: 20 }), 0);
  });
});

Deno.test("the timeout fires at exactly the deadline, not 1 ms earlier", () => {
  const t = testBmc();
  set(t, { action: 1, countdown: 50 }); // 5.0 s, hard reset
  assert.equal(reset(t), 0);
  t.clock.advance(4999);
  assert.deepEqual(t.link.sent.filter((x) => x === "reset"), []);
  assert.equal(get(t)[1 - 1]! & 0x40, 0x40, "running");
  t.clock.advance(1);
  assert.deepEqual(t.link.sent.filter((x) => x === "reset"), ["reset"]);
  const g = get(t);
  assert.equal(g[0]! & 0x40, 0, "stopped after the BMC-initiated reset");
  assert.equal(g[3], 1 << 4, "SMS/OS expiration flag");
  assert.deepEqual(g.slice(6), [0, 0], "present countdown 0");
});

Deno.test("feeding arms no new timer and still fires exactly at the moved deadline", () => {
  class CountingClock extends ManualClock {
    armed = 0;
    override setTimer(callback: () => void, delayMs: number) {
      this.armed++;
      return super.setTimer(callback, delayMs);
    }
  }
  const clock = new CountingClock();
  const t = testBmc({ clock });
  set(t, { action: 1, countdown: 100 }); // 10 s, hard reset
  assert.equal(reset(t), 0);
  const armed = clock.armed;
  for (let i = 0; i < 4; i++) {
    t.clock.advance(2000);
    assert.equal(reset(t), 0);
  }
  assert.equal(clock.armed, armed, "four feeds inside the first period: no timer work");
  for (let i = 0; i < 16; i++) {
    t.clock.advance(2000);
    assert.equal(reset(t), 0);
  }
  assert.ok(clock.armed - armed <= 4, `one re-arm per period at most: ${clock.armed - armed}`);
  t.clock.advance(9999);
  assert.deepEqual(t.link.sent.filter((x) => x === "reset"), [], "not 1 ms early");
  t.clock.advance(1);
  assert.deepEqual(t.link.sent.filter((x) => x === "reset"), ["reset"]);
});

Deno.test("the NMI pre-timeout fires at exactly countdown - pretimeout and raises flag bit 3", () => {
  const t = testBmc();
  set(t, { action: 1, interrupt: 2, pretimeout: 3, countdown: 100 }); // 10 s, NMI at 7 s
  reset(t);
  t.clock.advance(6999);
  assert.ok(!t.link.sent.includes("nmi"));
  t.clock.advance(1);
  assert.deepEqual(t.link.sent, ["nmi", "attn:attn"], "the NMI, then flag bit 3 raises ATTN");
  assert.equal(t.send(NetFn.App, AppCmd.GetMessageFlags).data[0]! & 0x08, 0x08);
  t.clock.advance(2999);
  assert.ok(!t.link.sent.includes("reset"));
  t.clock.advance(1);
  assert.ok(t.link.sent.includes("reset"));
});

Deno.test("Linux's pre_nmi self-test sees its NMI 1 s after Reset (timeout 100 s, pretimeout 99 s)", () => {
  const t = testBmc();
  assert.equal(
    set(t, { use: 4, dontStop: true, action: 1, interrupt: 2, pretimeout: 99, countdown: 1000 }),
    0,
  );
  assert.equal(reset(t), 0);
  t.clock.advance(999);
  assert.ok(!t.link.sent.includes("nmi"));
  t.clock.advance(1);
  assert.ok(t.link.sent.includes("nmi"));
  // Linux then disarms: Set with action none, no don't-stop.
  assert.equal(set(t, { use: 4, countdown: 1000 }), 0);
  assert.equal(get(t)[0]! & 0x40, 0, "stopped");
  t.clock.advance(200_000);
  assert.ok(!t.link.sent.includes("reset"));
});

Deno.test("the messaging-interrupt pre-timeout sets flag bit 3 and ATTN (with IRQ if enabled)", () => {
  const t = testBmc();
  t.send(NetFn.App, AppCmd.SetBmcGlobalEnables, [0x0d]); // receive-queue IRQ on
  set(t, { action: 0, interrupt: 3, pretimeout: 1, countdown: 30 });
  reset(t);
  t.clock.advance(2000);
  assert.ok(t.link.sent.includes("attn:attn-irq"));
  assert.ok(!t.link.sent.includes("nmi"));
  // Bit 3, plus bit 1: the pre-timeout's SEL event also went to the event buffer (enables bit 2).
  assert.deepEqual([...t.send(NetFn.App, AppCmd.GetMessageFlags).data], [0x0a]);
  t.send(NetFn.App, AppCmd.ClearMessageFlags, [0x0a]);
  assert.equal(t.link.sent.at(-1), "attn:none");
});

Deno.test("Reset after the pre-timeout point does not restart the timer (spec)", () => {
  const t = testBmc();
  set(t, { action: 1, interrupt: 3, pretimeout: 2, countdown: 50 });
  reset(t);
  t.clock.advance(3000); // pre-timeout at 3 s
  assert.equal(reset(t), 0);
  t.clock.advance(2000);
  assert.ok(t.link.sent.includes("reset"), "expired at the original deadline");
});

Deno.test("quirk: Reset after the pre-timeout is answered with an error until the next Set", () => {
  const t = testBmc({ config: { quirks: { resetAfterPretimeoutCc: 0xd5 } } });
  set(t, { dontStop: true, action: 1, interrupt: 3, pretimeout: 2, countdown: 50 });
  reset(t);
  t.clock.advance(3000);
  assert.equal(reset(t), 0xd5);
  // Linux's next heartbeat after a pretimeout is a Set with don't-stop: it reloads the countdown.
  assert.equal(
    set(t, { dontStop: true, action: 1, interrupt: 3, pretimeout: 2, countdown: 50 }),
    0,
  );
  assert.equal(reset(t), 0);
  t.clock.advance(4999);
  assert.ok(!t.link.sent.includes("reset"));
});

Deno.test("Set with don't-stop restarts a running countdown with the new values; without it, stops", () => {
  const t = testBmc();
  set(t, { dontStop: true, action: 1, countdown: 100 });
  reset(t);
  t.clock.advance(9000);
  set(t, { dontStop: true, action: 1, countdown: 50 });
  t.clock.advance(4999);
  assert.ok(!t.link.sent.includes("reset"));
  assert.equal(get(t)[0]! & 0x40, 0x40);
  set(t, { dontStop: false, action: 1, countdown: 50 });
  assert.equal(get(t)[0]! & 0x40, 0);
  t.clock.advance(60_000);
  assert.ok(!t.link.sent.includes("reset"));
  assert.ok(t.events.types().includes("watchdog.stopped"));
});

Deno.test("Set with don't-stop leaves a stopped timer stopped", () => {
  const t = testBmc();
  set(t, { dontStop: true, action: 1, countdown: 10 });
  t.clock.advance(5000);
  assert.equal(get(t)[0]! & 0x40, 0);
  assert.ok(!t.link.sent.includes("reset"));
});

Deno.test("Get Watchdog Timer returns all 8 bytes with the present countdown", () => {
  const t = testBmc();
  set(t, { use: 3, dontLog: true, action: 1, interrupt: 3, pretimeout: 1, countdown: 80 });
  assert.deepEqual(get(t), [0x83, 0x31, 1, 0, 80, 0, 80, 0], "stopped: present = initial");
  reset(t);
  t.clock.advance(6350);
  assert.deepEqual(get(t), [0xc3, 0x31, 1, 0, 80, 0, 17, 0], "running, 1.65 s left → 17 ticks");
});

Deno.test("action none runs the timer, sets the flag and logs 'timer expired'", () => {
  const t = testBmc();
  set(t, { use: 2, action: 0, countdown: 20 });
  reset(t);
  t.clock.advance(2000);
  const g = get(t);
  assert.equal(g[0]! & 0x40, 0);
  assert.equal(g[3], 1 << 2, "BIOS/POST flag");
  assert.deepEqual(t.link.sent.filter((x) => !x.startsWith("attn") && !x.startsWith("irq")), []);
  assert.deepEqual(selDescriptions(t), ["Watchdog 2: timer expired"]);
  assert.equal(set(t, { use: 2, clear: 1 << 2, countdown: 20 }), 0);
  assert.equal(get(t)[3], 0, "Set byte 4 clears the flag");
});

Deno.test("expiry logs Watchdog 2 records unless don't-log, then acts", async (s) => {
  const cases: [number, string, string][] = [
    [1, "reset", "Watchdog 2: hard reset"],
    [2, "power-off", "Watchdog 2: power down"],
    [3, "reset", "Watchdog 2: power cycle"], // vm backend: power cycle is a reset
  ];
  for (const [action, sent, description] of cases) {
    await s.step(description, () => {
      const t = testBmc();
      set(t, { action, interrupt: 2, pretimeout: 1, countdown: 20 });
      reset(t);
      t.clock.advance(2000);
      assert.ok(t.link.sent.includes(sent));
      assert.deepEqual(selDescriptions(t), ["Watchdog 2: timer interrupt", description]);
      const [pre, exp] = t.bmc.sel.records().map((r) => decodeSelRecord(r.bytes));
      assert.deepEqual(pre!.eventData, [0xc8, 0x24, 0xff], "data2 = NMI << 4 | SMS/OS");
      assert.equal(exp!.sensorType, 0x23);
      assert.equal(exp!.generatorId, 0x20);
    });
  }
  await s.step("don't log", () => {
    const t = testBmc();
    set(t, { dontLog: true, action: 1, interrupt: 2, pretimeout: 1, countdown: 20 });
    reset(t);
    t.clock.advance(2000);
    assert.ok(t.link.sent.includes("reset"));
    assert.deepEqual(selDescriptions(t), []);
  });
});

Deno.test("a watchdog reset records the restart cause and stops the timer", () => {
  const t = testBmc();
  set(t, { action: 1, countdown: 10 });
  reset(t);
  t.clock.advance(1000);
  assert.deepEqual([...t.send(NetFn.Chassis, ChassisCmd.GetSystemRestartCause).data], [0x04, 0x00]);
  assert.equal(t.bmc.watchdog.running, false);
});

Deno.test("countdown 0 with Reset acts at once; pretimeout 0 fires with the timeout", () => {
  const t = testBmc();
  set(t, { action: 1, countdown: 0 });
  reset(t);
  assert.ok(t.link.sent.includes("reset"));
  const u = testBmc();
  set(u, { action: 1, interrupt: 2, pretimeout: 0, countdown: 10 });
  reset(u);
  u.clock.advance(999);
  assert.ok(!u.link.sent.includes("nmi"));
  u.clock.advance(1);
  assert.deepEqual(u.link.sent.filter((x) => x === "nmi" || x === "reset"), ["nmi", "reset"]);
});

Deno.test("a Chassis Control hard reset or power down stops the watchdog", () => {
  const t = testBmc();
  set(t, { dontStop: true, action: 1, countdown: 100 });
  reset(t);
  t.send(NetFn.Chassis, ChassisCmd.ChassisControl, [0x03]);
  assert.equal(t.bmc.watchdog.running, false);
  t.clock.advance(20_000);
  assert.deepEqual(t.link.sent, ["reset"]);
});

Deno.test("watchdog events come in the order a rig asserts on", () => {
  const t = testBmc();
  set(t, { dontStop: true, action: 1, interrupt: 2, pretimeout: 1, countdown: 20 });
  reset(t);
  t.clock.advance(2000);
  const wanted = [
    "watchdog.set",
    "watchdog.reset",
    "watchdog.pretimeout",
    "sel.added",
    "watchdog.expired",
    "sel.added",
    "chassis.control",
  ];
  const types = t.events.types().filter((x) => wanted.includes(x));
  assert.deepEqual(types, wanted);
});

Deno.test("the SEL records of a watchdog carry real wall-clock timestamps", () => {
  const t = testBmc();
  set(t, { action: 0, countdown: 10 });
  reset(t);
  t.clock.advance(1000);
  const r = t.send(NetFn.Storage, StorageCmd.GetSelEntry, [0, 0, 0, 0, 0, 0xff]);
  const record = decodeSelRecord(r.data.subarray(2));
  assert.equal(record.timestamp, "2026-11-22T00:00:01.000Z");
});

Deno.test("quirk resetBeforeSetCc: firmware that answers Reset-before-Set with another code", () => {
  const t = testBmc({ config: { quirks: { resetBeforeSetCc: "0xD5" } } });
  assert.equal(reset(t), 0xd5, "Linux turns this into EINVAL instead of re-arming");
  set(t, { action: 1, countdown: 100 });
  assert.equal(reset(t), 0, "after a Set, Reset works");
});

Deno.test("quirk ignorePretimeout: the pre-timeout is accepted and reported but never delivered", () => {
  const t = testBmc({ config: { quirks: { ignorePretimeout: true } } });
  set(t, { action: 1, interrupt: 2, pretimeout: 3, countdown: 100 });
  reset(t);
  assert.equal(get(t)[2], 3, "Get still reports the pre-timeout interval");
  t.clock.advance(7000);
  assert.ok(!t.link.sent.includes("nmi"), "no NMI");
  assert.equal(t.send(NetFn.App, AppCmd.GetMessageFlags).data[0]! & 0x08, 0, "no flag");
  assert.equal(t.events.of("watchdog.pretimeout")[0]!.delivered, false);
  assert.ok(!selDescriptions(t).some((d) => /timer interrupt/i.test(d)), "nothing logged");
  t.clock.advance(3000);
  assert.ok(t.link.sent.includes("reset"), "the timeout action still happens");
});

Deno.test("watchdog.set and watchdog.expired name the action and interrupt the same way; durations in ms", () => {
  const t = testBmc();
  set(t, { action: 1, interrupt: 0, countdown: 20 });
  reset(t);
  t.clock.advance(2000);
  const data = (type: string) => t.events.events.find((e) => e.type === type)!.data;
  const setData = data("watchdog.set");
  const expired = data("watchdog.expired");
  assert.equal(setData.action, "hard-reset");
  assert.equal(expired.action, "hard-reset");
  assert.equal(setData.pretimeoutInterrupt, expired.pretimeoutInterrupt);
  assert.equal(setData.initialCountdownMs, 2000);
  assert.equal(data("watchdog.reset").initialCountdownMs, 2000);
});
