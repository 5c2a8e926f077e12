/**
 * The kernel matrix's verdicts: what a guest kernel did in a scenario, named
 * from a fixed vocabulary and derived from guest evidence alone (its console,
 * the watchdog daemon's and the request probe's logs, D-state samples) plus
 * the BMC's own watchdog state at the end — never from agreement with one
 * kernel's behaviour.
 *
 * @module
 */

import type { GuestEvidence } from "../e2e/guest_evidence.ts";

/** The verdicts, most severe first. */
export const VERDICTS = [
  "crash",
  "hang",
  "no-ipmi",
  "protection-lost",
  "degraded",
  "recovered",
  "protected",
] as const;

/** One verdict. */
export type Verdict = typeof VERDICTS[number];

/** What each verdict means, for reports and `--help`. */
export const VERDICT_MEANING: Readonly<Record<Verdict, string>> = {
  crash: "BUG, Oops, panic or list corruption in the guest kernel log",
  hang: "a watchdog write or an ordinary request blocked longer than the bound, " +
    "or the kernel's hung-task detector spoke",
  "no-ipmi": "the driver never registered the interface (no /dev/ipmi0)",
  "protection-lost": "the daemon keeps getting errors while the BMC's watchdog timer is stopped",
  degraded: "requests failed or were slow, with bounded latency, and had not recovered at the end",
  recovered: "requests failed or were slow during the fault; the interface and the watchdog " +
    "worked again at the end",
  protected: "no request failed or was slow: the fault did not reach the daemon or ipmitool",
};

/** A request blocked longer than this is a hang: longer than any bounded KCS error recovery (~55 s). */
export const HANG_BOUND_S = 60;

/** A request that took longer than this counts as a failure (degraded service). */
export const SLOW_S = 5;

/**
 * The guest's hung-task timeout, set on its command line so the kernel's own
 * detector speaks within a run. Not lower: 6.1's KCS error recovery blocks a
 * request ~55 s by design, and that bounded wait is not a hang.
 */
export const HUNG_TASK_TIMEOUT_S = 60;

/** How many of the daemon's last writes decide whether it is still failing at the end. */
const TAIL_WRITES = 3;

/** Everything a verdict is derived from. */
export interface CellObservation {
  /** The guest's serial console (kernel messages), in order. */
  readonly console: readonly string[];
  /** The last guest evidence snapshot, if one was taken. */
  readonly evidence: GuestEvidence | null;
  /** Whether the BMC's watchdog timer was running at the end (`null`: unknown). */
  readonly bmcWatchdogRunning: boolean | null;
  /** Why the guest could not be set up, if it could not. */
  readonly setupError?: string;
}

/** A verdict and the evidence behind it. */
export interface Classification {
  /** The verdict. */
  readonly verdict: Verdict;
  /** Lines that justify it, most telling first. */
  readonly evidence: string[];
}

/** A kernel log line that reports a crash or corruption. */
export const CRASH_LINE =
  /\bBUG: |kernel BUG at|Oops: |Kernel panic|list_add corruption|list_del corruption|list_add double add|general protection fault|Unable to handle kernel/;
const FRAME =
  /^\s*(?:\[[\s\d.]+\]\s*)?(?:\? )?([A-Za-z_][\w.]*\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[\w+\])?)/;
const HUNG_TASK = /blocked for more than \d+ seconds/;
const NO_BMC = /There appears to be no BMC at this location|Unable to find any System Interface/;

function stripTimestamp(line: string): string {
  return line.replace(/^\s*\[[\s\d.]+\]\s*/, "").trim();
}

/** The guest log: console lines and, if the console missed them, evidence dmesg lines. */
function kernelLog(o: CellObservation): string[] {
  const seen = new Set(o.console.map(stripTimestamp));
  return [...o.console, ...(o.evidence?.dmesg ?? []).filter((l) => !seen.has(stripTimestamp(l)))];
}

/**
 * The first crash report in a kernel log: its first line, the workqueue or
 * task line, and the top frames of the call trace.
 *
 * @param log Kernel log lines.
 * @param frames How many frames to keep. @default 5
 * @returns Evidence lines, or `null` if there is no crash.
 */
export function crashReport(log: readonly string[], frames = 5): string[] | null {
  const first = log.findIndex((l) => CRASH_LINE.test(l));
  if (first < 0) return null;
  const out = [stripTimestamp(log[first]!)];
  let inTrace = false;
  for (const line of log.slice(first + 1, first + 80)) {
    const text = stripTimestamp(line);
    if (/^(Workqueue|CPU|Comm|RIP):/.test(text) || /^CPU: \d+/.test(text)) {
      if (/^Workqueue:/.test(text)) out.push(text);
      continue;
    }
    if (/^Call Trace:/.test(text)) {
      inTrace = true;
      continue;
    }
    if (!inTrace) continue;
    const m = FRAME.exec(line);
    if (m && !/^\? /.test(text)) out.push(`  ${m[1]}`);
    if (out.length >= frames + 2 || /^<\/TASK>|^---\[ end trace/.test(text)) break;
  }
  return out;
}

interface Block {
  readonly what: string;
  readonly seconds: number;
  readonly pending: boolean;
}

/** Every request's block time, including those still in progress at the snapshot. */
function blocks(e: GuestEvidence): Block[] {
  return [
    ...e.writes.map((w) => ({ what: "watchdog write", seconds: w.seconds, pending: false })),
    ...e.probes.map((p) => ({ what: "ipmitool mc info", seconds: p.seconds, pending: false })),
    ...e.pending.map((p) => ({
      what: p.kind === "watchdog-write" ? "watchdog write" : "ipmitool mc info",
      seconds: Number((e.uptime - p.start).toFixed(2)),
      pending: true,
    })),
  ];
}

function describeBlock(b: Block): string {
  return `${b.what} blocked ${b.seconds.toFixed(1)} s${
    b.pending ? " (still blocked at the end)" : ""
  }`;
}

function dStateLines(e: GuestEvidence): string[] {
  return e.dState.map((p) => `D state: ${p.comm} (pid ${p.pid}) in ${p.wchan || "?"}`);
}

function failureCounts(e: GuestEvidence): string[] {
  const out: string[] = [];
  const failed = e.writes.filter((w) => !w.ok);
  if (failed.length > 0) {
    const errnos = [...new Set(failed.map((w) => w.errno ?? "error"))].join("/");
    out.push(`${failed.length} of ${e.writes.length} watchdog writes failed (${errnos})`);
  }
  const slow = e.writes.filter((w) => w.ok && w.seconds > SLOW_S);
  if (slow.length > 0) {
    out.push(`${slow.length} watchdog writes took > ${SLOW_S} s`);
  }
  const probesBad = e.probes.filter((p) => !p.ok || p.seconds > SLOW_S);
  if (probesBad.length > 0) {
    const why = probesBad.find((p) => p.error !== undefined)?.error;
    out.push(
      `${probesBad.length} of ${e.probes.length} ipmitool requests failed or took > ${SLOW_S} s` +
        (why === undefined ? "" : ` ("${why}")`),
    );
  }
  return out;
}

/**
 * Name what the guest kernel did.
 *
 * Order: `crash` (the kernel reported corruption), `hang` (a request blocked
 * beyond {@link HANG_BOUND_S}, or the hung-task detector spoke), `no-ipmi`,
 * `protection-lost` (the daemon's last writes fail and the BMC's timer is
 * stopped), then by whether anything failed and whether the end was healthy:
 * `degraded`, `recovered`, `protected`.
 *
 * @param o What was observed.
 * @returns The verdict and its evidence.
 */
export function classify(o: CellObservation): Classification {
  const log = kernelLog(o);
  const crash = crashReport(log);
  if (crash !== null) return { verdict: "crash", evidence: crash };

  const e = o.evidence;
  const hungTask = log.filter((l) => HUNG_TASK.test(l)).map(stripTimestamp);
  const all = e === null ? [] : blocks(e);
  const longest = all.reduce<Block | null>(
    (a, b) => a === null || b.seconds > a.seconds ? b : a,
    null,
  );
  if (hungTask.length > 0 || (longest !== null && longest.seconds > HANG_BOUND_S)) {
    return {
      verdict: "hang",
      evidence: [
        ...(longest === null ? [] : [`longest: ${describeBlock(longest)}`]),
        ...hungTask.slice(0, 2),
        ...(e === null ? [] : dStateLines(e)),
      ],
    };
  }

  const noBmc = log.filter((l) => NO_BMC.test(l)).map(stripTimestamp);
  if (o.setupError !== undefined || noBmc.length > 0) {
    return {
      verdict: "no-ipmi",
      evidence: [
        ...noBmc.slice(0, 1),
        ...(o.setupError === undefined ? [] : [o.setupError]),
        ...(e === null ? [] : [`/dev/ipmi0 at the end: ${e.ipmiDevice ? "present" : "absent"}`]),
      ],
    };
  }
  if (e === null) {
    return { verdict: "no-ipmi", evidence: ["no guest evidence: the guest never answered"] };
  }

  const tail = e.writes.slice(-TAIL_WRITES);
  const stillFailing = tail.length > 0 && tail.every((w) => !w.ok);
  if (stillFailing && o.bmcWatchdogRunning === false) {
    const errnos = [...new Set(tail.map((w) => w.errno ?? "error"))].join("/");
    return {
      verdict: "protection-lost",
      evidence: [
        `the daemon's last ${tail.length} writes failed (${errnos})`,
        "the BMC's watchdog timer is stopped",
        ...failureCounts(e),
      ],
    };
  }

  const problems = failureCounts(e);
  if (longest !== null && longest.seconds > SLOW_S) {
    problems.unshift(`longest: ${describeBlock(longest)}`);
  }
  if (problems.length === 0) {
    return {
      verdict: "protected",
      evidence: [
        `${e.writes.length} watchdog writes, ${e.probes.length} ipmitool requests, all answered within ${SLOW_S} s`,
      ],
    };
  }
  return {
    verdict: healthyAtEnd(e, o.bmcWatchdogRunning) ? "recovered" : "degraded",
    evidence: problems,
  };
}

/** Whether the interface and the watchdog worked at the end of the run. */
function healthyAtEnd(e: GuestEvidence, bmcWatchdogRunning: boolean | null): boolean {
  if (e.pending.some((p) => e.uptime - p.start > SLOW_S)) return false;
  const lastWrite = e.writes.at(-1);
  if (lastWrite !== undefined) return lastWrite.ok && bmcWatchdogRunning !== false;
  const lastProbe = e.probes.at(-1);
  if (lastProbe !== undefined) return lastProbe.ok;
  return e.ipmiDevice;
}
