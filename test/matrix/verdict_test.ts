/**
 * The verdict classifier on guest evidence recorded by real runs
 * (`.cache/matrix/observations/`, copied to `fixtures/`): what each kernel
 * did must come out as the verdict a kernel engineer would name.
 */

import assert from "node:assert/strict";
import {
  type CellObservation,
  classify,
  crashReport,
  HANG_BOUND_S,
} from "../../tools/matrix/verdict.ts";

async function fixture(name: string): Promise<CellObservation> {
  return JSON.parse(
    await Deno.readTextFile(new URL(`./fixtures/${name}.json`, import.meta.url)),
  ) as CellObservation;
}

Deno.test("a list_add double add report is a crash, with the report line and the top frames", async () => {
  const o = await fixture("6.18.15-wedged-kcs");
  const c = classify(o);
  assert.equal(c.verdict, "crash");
  assert.match(c.evidence[0]!, /^list_add double add: new=/);
  assert.ok(
    c.evidence.includes("Workqueue: events smi_work [ipmi_msghandler]"),
    c.evidence.join("\n"),
  );
  assert.ok(
    c.evidence.some((l) =>
      /deliver_response\+0x[0-9a-f]+\/0x[0-9a-f]+ \[ipmi_msghandler\]/.test(l)
    ),
  );
  assert.ok(c.evidence.length <= 7, "the first line, the workqueue and at most five frames");
});

Deno.test("the D-state heartbeat behind a crash is in the evidence, and alone it is a hang once it is long", async () => {
  const o = await fixture("6.18.15-wedged-kcs");
  const wdfeed = o.evidence!.dState.find((p) => p.comm === "sh" || p.comm === "wdfeed");
  assert.ok(wdfeed !== undefined, "the recorded evidence has the daemon in D state");
  assert.match(wdfeed.wchan, /heartbeat|wait_for_completion|ipmi/);
  // Without the crash report, a heartbeat blocked beyond the bound is a hang.
  const pending = o.evidence!.pending.find((p) => p.kind === "watchdog-write")!;
  const later = {
    ...o,
    console: o.console.filter((l) => !/list_add|BUG|Oops|panic/.test(l)),
    evidence: {
      ...o.evidence!,
      dmesg: [],
      uptime: pending.start + HANG_BOUND_S + 1,
    },
  };
  const c = classify(later);
  assert.equal(c.verdict, "hang");
  assert.match(c.evidence[0]!, /watchdog write blocked 6\d\.\d s \(still blocked at the end\)/);
  assert.ok(c.evidence.some((l) => l.startsWith("D state: ")), c.evidence.join("\n"));
});

Deno.test("a heartbeat blocked 94 s behind a sticky event buffer is a hang", async () => {
  const c = classify(await fixture("6.18.9-sticky-flags"));
  assert.equal(c.verdict, "hang");
  assert.match(c.evidence[0]!, /^longest: watchdog write blocked (9\d|1\d\d)\.\d s$/);
});

Deno.test("the kernel's hung-task warning is a hang, and is in the evidence", async () => {
  // Recorded on 6.1 with the KCS wedged: each request fails after ~55 s, the heartbeat waits
  // behind ipmitool's request, and the detector (60 s on the guest's command line) speaks.
  const o = await fixture("6.1-wedged-kcs");
  const c = classify(o);
  assert.equal(c.verdict, "hang");
  assert.ok(
    c.evidence.some((l) => /^INFO: task wdfeed:\d+ blocked for more than \d+ seconds\.$/.test(l)),
  );
  // The warning alone decides it: with every logged request short, it is still a hang.
  const e = o.evidence!;
  const short = {
    ...e,
    writes: e.writes.map((w) => ({ ...w, seconds: 0.1 })),
    probes: [],
    pending: [],
  };
  assert.equal(classify({ ...o, evidence: short }).verdict, "hang");
});

Deno.test("a clean run is protected", async () => {
  const c = classify(await fixture("6.1-sticky-flags"));
  assert.equal(c.verdict, "protected", c.evidence.join("\n"));
  assert.match(
    c.evidence[0]!,
    /^\d+ watchdog writes, \d+ ipmitool requests, all answered within 5 s$/,
  );
});

Deno.test("EINVAL to the daemon with the BMC's timer stopped is protection-lost", async () => {
  const o = await fixture("6.1-silent-protection-loss");
  assert.equal(o.bmcWatchdogRunning, false);
  const c = classify(o);
  assert.equal(c.verdict, "protection-lost");
  assert.match(c.evidence[0]!, /last 3 writes failed \(EINVAL\)/);
  // The same failures while the BMC's timer runs are not a loss of protection.
  assert.notEqual(classify({ ...o, bmcWatchdogRunning: true }).verdict, "protection-lost");
});

Deno.test("failures during a BMC reboot followed by feeding again is recovered", async () => {
  const c = classify(await fixture("6.1-bmc-reset-recovers"));
  assert.equal(c.verdict, "recovered");
  assert.match(c.evidence[0]!, /watchdog writes failed \(EINVAL\)/);
});

Deno.test("a driver that found no BMC is no-ipmi", async () => {
  const c = classify(await fixture("6.1-bmc-absent-at-boot"));
  assert.equal(c.verdict, "no-ipmi");
  assert.match(c.evidence[0]!, /There appears to be no BMC at this location/);
});

Deno.test("no evidence at all (the guest never answered) is not mistaken for a healthy run", () => {
  const c = classify({ console: [], evidence: null, bmcWatchdogRunning: null });
  assert.equal(c.verdict, "no-ipmi");
});

Deno.test("crashReport() skips '?' frames and stops at the end of the trace", () => {
  const r = crashReport([
    "[ 1.0] kernel BUG at lib/list_debug.c:35!",
    "[ 1.0] Call Trace:",
    "[ 1.0]  <TASK>",
    "[ 1.0]  ? die+0x36/0x90",
    "[ 1.0]  smi_work+0x29c/0x3b0 [ipmi_msghandler]",
    "[ 1.0]  </TASK>",
    "[ 1.0]  process_one_work+0x18d/0x340",
  ]);
  assert.deepEqual(r, [
    "kernel BUG at lib/list_debug.c:35!",
    "  smi_work+0x29c/0x3b0 [ipmi_msghandler]",
  ]);
  assert.equal(crashReport(["[ 1.0] ipmi_si: kcs hosed"]), null);
});
