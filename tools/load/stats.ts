/**
 * Latency samples and their summary: count, rate, percentiles.
 *
 * @module
 */

/**
 * The nearest-rank percentile of sorted samples: the smallest sample with at
 * least `q` of all samples at or below it (0 for no samples).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percentile } from "./stats.ts";
 * assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
 * ```
 *
 * @param sorted Samples in ascending order.
 * @param q Quantile, 0–1 (1 = the maximum).
 * @returns The percentile.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Summary of one kind of request. */
export interface LatencySummary {
  /** Answered requests. */
  readonly count: number;
  /** Answered requests per second. */
  readonly perSecond: number;
  /** Answers with a completion code other than 0. */
  readonly errors: number;
  /** Requests never answered (timeouts, closed connections). */
  readonly timeouts: number;
  /** Answers that were not a well-formed reply (wrong netfn, command or length). */
  readonly malformed: number;
  /** Percentiles and maximum, ms. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Collects latencies for one kind of request. */
export class LatencyStats {
  #samples = new Float64Array(1024);
  #count = 0;
  errors = 0;
  timeouts = 0;
  malformed = 0;

  /**
   * Record an answered request.
   *
   * @param ms Latency.
   * @param cc Completion code.
   */
  add(ms: number, cc: number): void {
    if (this.#count === this.#samples.length) {
      const bigger = new Float64Array(this.#samples.length * 2);
      bigger.set(this.#samples);
      this.#samples = bigger;
    }
    this.#samples[this.#count++] = ms;
    if (cc !== 0) this.errors++;
  }

  /**
   * Merge another collector into this one.
   *
   * @param other Collector.
   */
  merge(other: LatencyStats): void {
    for (const ms of other.#samples.subarray(0, other.#count)) this.add(ms, 0);
    this.errors += other.errors;
    this.timeouts += other.timeouts;
    this.malformed += other.malformed;
  }

  /**
   * Summarise.
   *
   * @param seconds Measurement window.
   * @returns Summary.
   */
  summary(seconds: number): LatencySummary {
    const sorted = this.#samples.slice(0, this.#count).sort();
    const at = (q: number): number => Math.round(percentile(sorted, q) * 1000) / 1000;
    return {
      count: this.#count,
      perSecond: Math.round(this.#count / seconds),
      errors: this.errors,
      timeouts: this.timeouts,
      malformed: this.malformed,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: at(1),
    };
  }
}
