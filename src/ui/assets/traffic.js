// @ts-check
/**
 * A BMC's IPMI traffic per second for the chart: requests counted, and the
 * replies' `latencyMs` kept as a bounded sample (for the median) with the
 * exact maximum, so an hour of a busy BMC stays small.
 *
 * @module
 */

/** Latencies kept per second for the median (a uniform sample of that second's replies). */
export const SAMPLE_SIZE = 64;

/** Seconds kept (the longest chart window). */
export const TRAFFIC_SECONDS = 3600;

/**
 * @typedef {{requests: number, replies: number, maxMs: number, sample: number[]}} Second
 * @typedef {Map<number, Second>} Traffic Epoch second → what happened in it.
 */

/**
 * @param {Traffic} traffic The traffic.
 * @param {number} sec Epoch second.
 * @returns {Second} Its entry (created empty; seconds older than the kept window dropped).
 */
function second(traffic, sec) {
  let s = traffic.get(sec);
  if (s === undefined) {
    s = { requests: 0, replies: 0, maxMs: 0, sample: [] };
    traffic.set(sec, s);
    if (traffic.size > TRAFFIC_SECONDS) {
      for (const k of traffic.keys()) if (k < sec - TRAFFIC_SECONDS) traffic.delete(k);
    }
  }
  return s;
}

/**
 * Count an `ipmi.request` or take an `ipmi.response`'s latency.
 *
 * @param {Traffic} traffic The traffic.
 * @param {{type: string, time: string, data?: any}} e The event.
 * @param {() => number} [random] Source of [0, 1) for the sample. @default Math.random
 */
export function addTraffic(traffic, e, random = Math.random) {
  const sec = Math.floor(Date.parse(e.time) / 1000);
  if (Number.isNaN(sec)) return;
  if (e.type === "ipmi.request") {
    second(traffic, sec).requests++;
    return;
  }
  const ms = Number(e.data?.latencyMs);
  if (e.type !== "ipmi.response" || !Number.isFinite(ms) || ms < 0) return;
  const s = second(traffic, sec);
  s.replies++;
  s.maxMs = Math.max(s.maxMs, ms);
  if (s.sample.length < SAMPLE_SIZE) s.sample.push(ms);
  else {
    // Reservoir sampling: every reply of the second is equally likely to be kept.
    const j = Math.floor(random() * s.replies);
    if (j < SAMPLE_SIZE) s.sample[j] = ms;
  }
}

/**
 * The median of a second's latency sample.
 *
 * @param {readonly number[]} sample Latencies, ms.
 * @returns {number} The median (0 for none).
 */
export function median(sample) {
  if (sample.length === 0) return 0;
  const sorted = [...sample].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/**
 * A latency for people: `85 µs`, `1.25 ms`, `300 ms`, `2.5 s`.
 *
 * @param {number} ms Milliseconds.
 * @returns {string} Text.
 */
export function formatLatency(ms) {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
