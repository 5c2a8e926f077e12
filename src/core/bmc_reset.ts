/**
 * What a BMC reset looks like from the host: how the BMC behaves while it
 * reboots, for how long, what it forgets, and how its firmware behaves
 * afterwards.
 *
 * @module
 */

/**
 * What the host sees during the outage: `disconnect` (the VM link closes
 * and reconnects are refused; the guest gets 0xD2), `busy` (connected,
 * every request answered with a busy code), `silent` (connected, nothing
 * answered; QEMU answers 0xC3 after 4 s).
 */
export const OUTAGE_MODES = ["disconnect", "busy", "silent"] as const;

/** What the host sees during the outage. */
export type OutageMode = typeof OUTAGE_MODES[number];

/** A BMC reset. */
export interface ResetPlan {
  /** Behaviour during the outage. */
  readonly mode: OutageMode;
  /** Outage length, ms. */
  readonly durationMs: number;
  /** Completion code answered in `busy` mode. */
  readonly busyCc: number;
  /** The watchdog is forgotten (spec: stopped, Reset answers 0x80 until a Set) or keeps running. */
  readonly watchdog: "forget" | "keep";
  /**
   * After the outage, Reset Watchdog Timer is answered with this code forever
   * (broken firmware: the silent loss of watchdog protection), or `null` for
   * spec behaviour.
   */
  readonly resetWatchdogCc: number | null;
}

/** An outage in progress. */
export interface Outage {
  /** The plan. */
  readonly plan: ResetPlan;
  /** Who asked (`api`, `cold-reset`, `warm-reset`, `scenario`). */
  readonly origin: string;
  /** Monotonic start. */
  readonly startedAt: number;
  /** Monotonic end. */
  readonly endsAt: number;
}
