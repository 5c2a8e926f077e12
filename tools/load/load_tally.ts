/**
 * What a load run counts, shared by the Deno load (`run_load.ts`) and the
 * native one (`native_load.ts`) so both measure the same thing: which request
 * a connection sends next (a watchdog feed when one is due, else the mix
 * round robin), how an answer is recorded (after warmup only; timeouts and
 * malformed replies counted; the watchdog deadline a feed sets), and the
 * result with the watchdog actions' lateness.
 *
 * @module
 */

import { VmCmd } from "../../src/codec/constants.ts";
import { type Mix, MIX_REQUESTS, type MixRequest, wellFormed } from "./mix.ts";
import { LatencyStats, type LatencySummary, percentile } from "./stats.ts";
import type { Answer } from "./vm_reply_reader.ts";

/** The watchdog part of a load. */
export interface LoadWatchdog {
  /** Timeout, s. */
  readonly timeoutS: number;
  /** Feed period, s. */
  readonly everyS: number;
  /** 0 none … 1 hard reset. */
  readonly action: number;
  /** Stop feeding after this long (ms from the start of measurement) to time the actions. */
  readonly stopFeedingAfterMs: number | null;
}

/** What came out. */
export interface LoadResult {
  /** BMCs driven. */
  readonly connections: number;
  /** Connections that failed or closed. */
  readonly failedConnections: number;
  /** Frames that answered nothing outstanding or failed to decode (0 from a correct BMC). */
  readonly strayFrames: number;
  /** Measured seconds. */
  readonly seconds: number;
  /** All requests. */
  readonly total: LatencySummary;
  /** By request name. */
  readonly byType: Readonly<Record<string, LatencySummary>>;
  /** Watchdog actions against their deadlines, when the feeding was stopped. */
  readonly watchdogActions: {
    readonly expected: number;
    readonly seen: number;
    /** Action time minus deadline, ms (negative: early). */
    readonly lateMs: {
      readonly p50: number;
      readonly p90: number;
      readonly p99: number;
      readonly max: number;
      readonly min: number;
    };
    /** How many acted at most this late (ms, the bucket's upper bound), e.g. `{"1": 950, …}`. */
    readonly lateBuckets: Readonly<Record<string, number>>;
  } | null;
}

/** Upper bounds of the watchdog lateness buckets, ms. */
const LATE_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 1000];

/** The name of a watchdog feed (a Reset Watchdog Timer sent on the feed schedule). */
export const FEED = "feed";

/** The byType key of the feeds. */
const FEED_KEY = "reset-watchdog (feed)";

/**
 * How many of `late` are at most each bucket's bound.
 *
 * @param late Lateness, ms.
 * @returns Count by bound (ms, as text).
 */
export function lateBuckets(late: readonly number[]): Record<string, number> {
  return Object.fromEntries(
    LATE_BUCKETS_MS.map((b) => [String(b), late.filter((ms) => ms <= b).length]),
  );
}

/**
 * The request behind a name of the mix, or {@link FEED}.
 *
 * @param name Mix name or `feed`.
 * @returns The request.
 */
export function requestNamed(name: string): MixRequest {
  return MIX_REQUESTS[name === FEED ? "reset-watchdog" : name]!;
}

/**
 * When a BMC acted on its watchdog: the first Reset or Power Off control frame.
 *
 * @param controls Control frames received, first byte and arrival time.
 * @returns The arrival time, or `undefined` when none came.
 */
export function watchdogActionAt(
  controls: readonly { readonly op: number; readonly at: number }[],
): number | undefined {
  return controls.find((x) => x.op === VmCmd.Reset || x.op === VmCmd.PowerOff)?.at;
}

/** Which request one connection sends next. */
export class RequestCursor {
  readonly #mix: Mix;
  readonly #watchdog: LoadWatchdog | null;
  readonly #measureFrom: number;
  #k: number;
  #nextFeed: number;

  /**
   * Start a connection's schedule.
   *
   * @param o The mix, the watchdog, when measurement starts, the connection's
   *   index and its place in the period (`spread`, 0–1), and now.
   */
  constructor(o: {
    readonly mix: Mix;
    readonly watchdog: LoadWatchdog | null;
    readonly measureFrom: number;
    readonly index: number;
    readonly spread: number;
    readonly now: number;
  }) {
    this.#mix = o.mix;
    this.#watchdog = o.watchdog;
    this.#measureFrom = o.measureFrom;
    this.#k = o.index % o.mix.sequence.length;
    this.#nextFeed = o.now + (o.watchdog === null ? 0 : o.spread * o.watchdog.everyS * 1000);
  }

  /**
   * The next request's name: {@link FEED} when a feed is due and feeding has
   * not stopped, else the next of the mix.
   *
   * @param now Now, ms.
   * @returns The name.
   */
  next(now: number): string {
    const wd = this.#watchdog;
    const feeding = wd !== null &&
      (wd.stopFeedingAfterMs === null || now < this.#measureFrom + wd.stopFeedingAfterMs);
    if (feeding && now >= this.#nextFeed) {
      this.#nextFeed = now + wd.everyS * 1000;
      return FEED;
    }
    const name = this.#mix.sequence[this.#k]!;
    this.#k = (this.#k + 1) % this.#mix.sequence.length;
    return name;
  }
}

/** The answers of a load run, by request name, and the watchdog deadlines they set. */
export class LoadTally {
  readonly #byType = new Map<string, LatencyStats>();
  readonly #feeds = new LatencyStats();
  readonly #watchdog: LoadWatchdog | null;
  readonly #measureFrom: number;
  readonly #raw: { readonly latencies: number[]; readonly late: number[] } | undefined;
  /** Per connection: when its watchdog should act (last successful feed + timeout), ms. */
  readonly deadlines: (number | null)[];

  /**
   * Start counting.
   *
   * @param o The mix, the watchdog, when measurement starts, the connections,
   *   and where to put every measured latency and lateness (optional).
   */
  constructor(o: {
    readonly mix: Mix;
    readonly watchdog: LoadWatchdog | null;
    readonly measureFrom: number;
    readonly connections: number;
    readonly raw?: { readonly latencies: number[]; readonly late: number[] } | undefined;
  }) {
    for (const name of new Set(o.mix.sequence)) this.#byType.set(name, new LatencyStats());
    this.#watchdog = o.watchdog;
    this.#measureFrom = o.measureFrom;
    this.#raw = o.raw;
    this.deadlines = Array.from({ length: o.connections }, () => null);
  }

  /**
   * Record one request of a connection.
   *
   * @param index The connection.
   * @param name What was sent (a mix name or {@link FEED}).
   * @param sentAt When, ms.
   * @param answer The answer, or `null` (timeout, closed).
   */
  record(index: number, name: string, sentAt: number, answer: Answer | null): void {
    const stats = name === FEED ? this.#feeds : this.#byType.get(name)!;
    if (sentAt >= this.#measureFrom) {
      if (answer === null) stats.timeouts++;
      else {
        stats.add(answer.ms, answer.cc);
        this.#raw?.latencies.push(answer.ms);
        if (!wellFormed(requestNamed(name), answer)) stats.malformed++;
      }
    }
    const wd = this.#watchdog;
    if (
      answer !== null && answer.cc === 0 && (name === FEED || name === "reset-watchdog") &&
      wd !== null
    ) {
      this.deadlines[index] = sentAt + answer.ms / 2 + wd.timeoutS * 1000;
    }
  }

  /** Whether watchdog actions are timed: feeding stops and the action is not "none". */
  get timesActions(): boolean {
    const wd = this.#watchdog;
    return wd !== null && wd.stopFeedingAfterMs !== null && wd.action !== 0;
  }

  /**
   * When to stop waiting for watchdog actions: 1 s past the last deadline.
   *
   * @returns Time, ms.
   */
  giveUpAt(): number {
    return Math.max(...this.deadlines.map((d) => d ?? 0)) + 1000;
  }

  /**
   * Whether every armed connection's BMC has acted.
   *
   * @param actions Per connection, when its BMC acted (`undefined`: not yet).
   * @returns `true` when none is still to act.
   */
  allActed(actions: readonly (number | undefined)[]): boolean {
    return this.deadlines.every((d, i) => d === null || actions[i] !== undefined);
  }

  /**
   * The result.
   *
   * @param o Connections driven and failed, stray frames, measured ms, and
   *   per connection when its BMC acted on the watchdog.
   * @returns The load result.
   */
  result(o: {
    readonly connections: number;
    readonly failedConnections: number;
    readonly strayFrames: number;
    readonly durationMs: number;
    readonly actions: readonly (number | undefined)[];
  }): LoadResult {
    const seconds = o.durationMs / 1000;
    const total = new LatencyStats();
    const types: Record<string, LatencySummary> = {};
    for (const [name, s] of this.#byType) {
      types[name] = s.summary(seconds);
      total.merge(s);
    }
    if (this.#watchdog !== null) {
      types[FEED_KEY] = this.#feeds.summary(seconds);
      total.merge(this.#feeds);
    }
    return {
      connections: o.connections,
      failedConnections: o.failedConnections,
      strayFrames: o.strayFrames,
      seconds,
      total: total.summary(seconds),
      byType: types,
      watchdogActions: this.timesActions ? this.#actions(o.actions) : null,
    };
  }

  #actions(actions: readonly (number | undefined)[]): LoadResult["watchdogActions"] {
    const late: number[] = [];
    this.deadlines.forEach((d, i) => {
      const at = actions[i];
      if (d !== null && at !== undefined) late.push(at - d);
    });
    late.sort((a, b) => a - b);
    this.#raw?.late.push(...late);
    const at = (q: number) => Math.round(percentile(late, q) * 10) / 10;
    return {
      expected: this.deadlines.filter((d) => d !== null).length,
      seen: late.length,
      lateMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), min: at(0) },
      lateBuckets: lateBuckets(late),
    };
  }
}
