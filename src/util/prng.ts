/**
 * A small seeded pseudo-random generator (mulberry32): same seed, same
 * sequence, on every platform. Used by fault probabilities and tests.
 *
 * @module
 */

/** Deterministic random numbers from a 32-bit seed. */
export class Prng {
  #state: number;

  /**
   * Create a generator.
   *
   * @param seed Any integer.
   */
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Next float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Next integer in [0, n).
   *
   * @param n Upper bound (exclusive).
   * @returns The integer.
   */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /**
   * `n` random bytes.
   *
   * @param n Count.
   * @returns Bytes.
   */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}
