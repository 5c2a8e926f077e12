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
 * Summarise writes: runs of equal outcome, for reports.
 *
 * @param writes Writes.
 * @returns Lines like `12 × ok (max 0.02 s)`, `9 × EINVAL (max 0.01 s)`.
 */
export function summariseWrites(writes: readonly WatchdogWrite[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < writes.length) {
    const key = writes[i]!.ok ? "ok" : writes[i]!.errno ?? "error";
    let j = i;
    let max = 0;
    while (j < writes.length && (writes[j]!.ok ? "ok" : writes[j]!.errno ?? "error") === key) {
      max = Math.max(max, writes[j]!.seconds);
      j++;
    }
    out.push(`${j - i} × ${key} (max ${max.toFixed(2)} s, from uptime ${writes[i]!.start})`);
    i = j;
  }
  return out;
}
