/**
 * What the guest kernel did, as reported by guest-side tools: the watchdog
 * daemon's per-write log (`wdfeed`), dmesg lines of interest.
 *
 * @module
 */

/** One write to /dev/watchdog. */
export interface WatchdogWrite {
  /** Guest uptime when the write started, s. */
  readonly start: number;
  /** Guest uptime when it returned, s. */
  readonly end: number;
  /** How long it blocked, s. */
  readonly seconds: number;
  /** Whether it succeeded. */
  readonly ok: boolean;
  /** Error text (`Invalid argument`, `Input/output error`, …). */
  readonly error: string;
  /** errno name for known texts. */
  readonly errno: string | null;
}

const ERRNO: Record<string, string> = {
  "Invalid argument": "EINVAL",
  "Input/output error": "EIO",
  "Device or resource busy": "EBUSY",
  "No such device": "ENODEV",
  "Connection timed out": "ETIMEDOUT",
};

/**
 * Parse a `wdfeed` log.
 *
 * @param text Log text.
 * @returns The writes in order.
 */
export function parseWatchdogLog(text: string): WatchdogWrite[] {
  return text.split("\n").filter((l) => l.trim() !== "").map((line) => {
    const [start, end, rc, ...rest] = line.trim().split(" ");
    const error = rest.join(" ").trim();
    return {
      start: Number(start),
      end: Number(end),
      seconds: Number(end) - Number(start),
      ok: rc === "0",
      error,
      errno: ERRNO[error] ?? (error === "" ? null : error),
    };
  });
}

/**
 * Runs of equal outcome, for reports.
 *
 * @param items Items in order.
 * @param keyOf Outcome of an item.
 * @returns Lines like `12 × ok (max 0.02 s, from uptime 10.2)`.
 */
function summariseRuns<T extends { readonly seconds: number; readonly start: number }>(
  items: readonly T[],
  keyOf: (item: T) => string,
): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < items.length) {
    const key = keyOf(items[i]!);
    let j = i;
    let max = 0;
    while (j < items.length && keyOf(items[j]!) === key) {
      max = Math.max(max, items[j]!.seconds);
      j++;
    }
    out.push(`${j - i} × ${key} (max ${max.toFixed(2)} s, from uptime ${items[i]!.start})`);
    i = j;
  }
  return out;
}

/**
 * Summarise writes: runs of equal outcome, for reports.
 *
 * @param writes Writes.
 * @returns Lines like `12 × ok (max 0.02 s)`, `9 × EINVAL (max 0.01 s)`.
 */
export function summariseWrites(writes: readonly WatchdogWrite[]): string[] {
  return summariseRuns(writes, (w) => w.ok ? "ok" : w.errno ?? "error");
}

/** One ordinary request through /dev/ipmi0 (`ipmitool mc info`, by `mcprobe`). */
export interface ProbeResult {
  /** Guest uptime when it started, s. */
  readonly start: number;
  /** How long it took, s. */
  readonly seconds: number;
  /** Whether it succeeded. */
  readonly ok: boolean;
  /** Exit status (143: killed after 30 s). */
  readonly exit: number;
  /** What ipmitool printed last when it failed. */
  readonly error?: string;
}

/**
 * Parse an `mcprobe` log.
 *
 * @param text Log text.
 * @returns The probes in order.
 */
export function parseProbeLog(text: string): ProbeResult[] {
  return text.split("\n").filter((l) => l.trim() !== "").map((line) => {
    const [start, end, exit] = line.trim().split(" ", 3).map(Number);
    const error = line.trim().split(" ").slice(3).join(" ");
    return {
      start: start!,
      seconds: Number((end! - start!).toFixed(2)),
      ok: exit === 0,
      exit: exit ?? -1,
      ...(error === "" ? {} : { error }),
    };
  });
}

/** A process in uninterruptible sleep. */
export interface DStateProcess {
  /** Pid. */
  readonly pid: number;
  /** Command name. */
  readonly comm: string;
  /** Kernel function it sleeps in. */
  readonly wchan: string;
}

/** A request still in progress at the snapshot. */
export interface PendingRequest {
  /** `watchdog-write` (wdfeed) or `ipmi-probe` (mcprobe). */
  readonly kind: "watchdog-write" | "ipmi-probe";
  /** Guest uptime when it started, s. */
  readonly start: number;
}

/** One snapshot of guest evidence (`e2e-evidence`). */
export interface GuestEvidence {
  /** Guest uptime at the snapshot, s. */
  readonly uptime: number;
  /** Interesting kernel log lines. */
  readonly dmesg: readonly string[];
  /** Processes in D state. */
  readonly dState: readonly DStateProcess[];
  /** Numeric interface counters (ipmi_si / ipmi_ssif sysfs). */
  readonly counters: Readonly<Record<string, number>>;
  /** The watchdog daemon's writes. */
  readonly writes: readonly WatchdogWrite[];
  /** Ordinary requests timed by `mcprobe`. */
  readonly probes: readonly ProbeResult[];
  /** Requests that had not returned at the snapshot. */
  readonly pending: readonly PendingRequest[];
  /** Whether `/dev/ipmi0` existed. */
  readonly ipmiDevice: boolean;
}

/**
 * Parse `e2e-evidence` output.
 *
 * @param text Output.
 * @returns The evidence.
 */
export function parseEvidence(text: string): GuestEvidence {
  const sections = new Map<string, string[]>();
  let current = "";
  let uptime = 0;
  for (const line of text.split("\n")) {
    const m = /^@@(\w+)(?: (.*))?$/.exec(line);
    if (m) {
      current = m[1]!;
      if (current === "uptime") uptime = Number(m[2]);
      sections.set(current, []);
      continue;
    }
    if (line.trim() !== "") sections.get(current)?.push(line);
  }
  const counters: Record<string, number> = {};
  for (const line of sections.get("counters") ?? []) {
    const [name, value] = line.trim().split(/\s+/);
    if (name && value !== undefined) counters[name] = Number(value);
  }
  return {
    uptime,
    dmesg: sections.get("dmesg") ?? [],
    dState: (sections.get("dstate") ?? []).map((l) => {
      const [pid, ...rest] = l.trim().split(" ");
      const wchan = rest.length > 1 ? rest.pop()! : "";
      return { pid: Number(pid), comm: rest.join(" "), wchan };
    }),
    counters,
    writes: parseWatchdogLog((sections.get("wdfeed") ?? []).join("\n")),
    probes: parseProbeLog((sections.get("mcprobe") ?? []).join("\n")),
    pending: (sections.get("pending") ?? []).flatMap((l): PendingRequest[] => {
      const [file, start] = l.trim().split(/\s+/);
      const kind = file?.startsWith("mcprobe") ? "ipmi-probe" : "watchdog-write";
      return Number.isFinite(Number(start)) ? [{ kind, start: Number(start) }] : [];
    }),
    ipmiDevice: (sections.get("ipmi") ?? []).some((l) => l.includes("/dev/ipmi0")),
  };
}

/**
 * Summarise probes: runs of equal outcome, for reports.
 *
 * @param probes Probes.
 * @returns Lines like `12 × ok (max 0.30 s, from uptime 10.2)`.
 */
export function summariseProbes(probes: readonly ProbeResult[]): string[] {
  return summariseRuns(
    probes,
    (p) => p.ok ? "ok" : `failed (exit ${p.exit}${p.error ? `: ${p.error}` : ""})`,
  );
}
