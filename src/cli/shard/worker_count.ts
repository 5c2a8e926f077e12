/**
 * How many shard workers `serve` runs by default: one per CPU, at most
 * {@link MAX_DEFAULT_WORKERS}, and no more than one per
 * {@link BMCS_PER_WORKER} BMCs at start-up — below that one event loop
 * keeps up (measured in README's "Performance and scale"), and a worker
 * isolate costs memory and a hop per API request. One worker means no
 * worker isolate at all: the BMCs run in the main isolate.
 *
 * @module
 */

/** Most workers the default picks. */
export const MAX_DEFAULT_WORKERS = 8;
/** BMCs at start-up per default worker. */
export const BMCS_PER_WORKER = 500;
/** Most workers `--workers` accepts. */
export const MAX_WORKERS = 64;

/**
 * The default worker count.
 *
 * @param bmcs BMCs at start-up.
 * @param cpus CPUs of the machine.
 * @returns Workers (1: no shards).
 */
export function defaultWorkers(bmcs: number, cpus = navigator.hardwareConcurrency): number {
  return Math.max(1, Math.min(cpus, MAX_DEFAULT_WORKERS, Math.floor(bmcs / BMCS_PER_WORKER)));
}
