import assert from "node:assert/strict";
import {
  parseEvidence,
  parseWatchdogLog,
  summariseProbes,
  summariseWrites,
} from "../../tools/e2e/guest_evidence.ts";
import { matchesWhere } from "../../src/scenario/where.ts";

Deno.test("parseWatchdogLog() reads wdfeed lines into writes with errno and duration", () => {
  const writes = parseWatchdogLog([
    "10.00 10.01 0 ",
    "11.01 66.40 1 Invalid argument",
    "67.40 67.45 1 Input/output error",
    "68.00 68.00 1 Something odd",
  ].join("\n"));
  assert.equal(writes.length, 4);
  assert.deepEqual(writes[0], {
    start: 10,
    end: 10.01,
    seconds: 10.01 - 10,
    ok: true,
    error: "",
    errno: null,
  });
  assert.equal(writes[1]!.errno, "EINVAL");
  assert.ok(Math.abs(writes[1]!.seconds - 55.39) < 1e-9);
  assert.equal(writes[2]!.errno, "EIO");
  assert.equal(writes[3]!.errno, "Something odd");
  assert.deepEqual(summariseWrites(writes), [
    "1 × ok (max 0.01 s, from uptime 10)",
    "1 × EINVAL (max 55.39 s, from uptime 11.01)",
    "1 × EIO (max 0.05 s, from uptime 67.4)",
    "1 × Something odd (max 0.00 s, from uptime 68)",
  ]);
});

Deno.test("parseEvidence() splits the e2e-evidence sections", () => {
  const e = parseEvidence([
    "@@uptime 123.45",
    "@@dmesg",
    "[   60.1] ipmi_si IPI0001:00: kcs hosed: Not in read state",
    "@@dstate",
    "57 wdfeed ipmi_set_timeout",
    "91 kworker/0:1 wait_for_completion",
    "@@counters",
    "hosed_count 2",
    "attentions 14",
    "@@wdfeed",
    "1.0 1.1 0 ",
    "@@mcprobe",
    "2.00 2.25 0",
    "4.25 34.27 143",
    "36.00 36.10 1 Unable to send command: Device or resource busy",
    "@@end",
  ].join("\n"));
  assert.equal(e.uptime, 123.45);
  assert.deepEqual(e.dmesg, ["[   60.1] ipmi_si IPI0001:00: kcs hosed: Not in read state"]);
  assert.deepEqual(e.dState, [{ pid: 57, comm: "wdfeed", wchan: "ipmi_set_timeout" }, {
    pid: 91,
    comm: "kworker/0:1",
    wchan: "wait_for_completion",
  }]);
  assert.deepEqual(e.counters, { hosed_count: 2, attentions: 14 });
  assert.equal(e.writes.length, 1);
  assert.deepEqual(e.probes, [
    { start: 2, seconds: 0.25, ok: true, exit: 0 },
    { start: 4.25, seconds: 30.02, ok: false, exit: 143 },
    {
      start: 36,
      seconds: 0.1,
      ok: false,
      exit: 1,
      error: "Unable to send command: Device or resource busy",
    },
  ]);
  assert.deepEqual(summariseProbes(e.probes), [
    "1 × ok (max 0.25 s, from uptime 2)",
    "1 × failed (exit 143) (max 30.02 s, from uptime 4.25)",
    "1 × failed (exit 1: Unable to send command: Device or resource busy) (max 0.10 s, from uptime 36)",
  ]);
});

Deno.test("matchesWhere() operators: $min, $max, $match, $not", () => {
  assert.ok(matchesWhere({ seconds: 55.2 }, { seconds: { $min: 40, $max: 70 } }));
  assert.ok(!matchesWhere({ seconds: 15 }, { seconds: { $min: 40 } }));
  assert.ok(!matchesWhere({ seconds: "55" }, { seconds: { $min: 40 } }));
  assert.ok(matchesWhere({ line: "ipmi_si: kcs hosed: x" }, { line: { $match: "kcs hosed" } }));
  assert.ok(matchesWhere({ ok: false }, { ok: { $not: true } }));
  assert.ok(!matchesWhere({ ok: true }, { ok: { $not: true } }));
});
