/**
 * The inbound session sequence number window (IPMI v2.0 §6.12.13): a packet
 * is accepted once if its number is at most 16 ahead of the highest seen or
 * within the 32 before it; replays and anything outside are dropped.
 *
 * @module
 */

/** How far ahead of the highest number a packet may be. */
const AHEAD = 16;
/** How many numbers behind the highest are remembered. */
const BEHIND = 32;

/** One session's inbound sequence numbers. */
export class SeqWindow {
  #highest: number | null = null;
  /** Bit i set: `highest - i` was received (bit 0 is `highest` itself). */
  #seen = 0;

  /**
   * Accept `seq` if it is new and in the window, and record it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SeqWindow } from "./seq_window.ts";
   * const w = new SeqWindow();
   * assert.equal(w.accept(5), true);
   * assert.equal(w.accept(5), false); // replay
   * assert.equal(w.accept(4), true); // late, not seen before
   * assert.equal(w.accept(40), false); // too far ahead
   * ```
   *
   * @param seq Session sequence number (32-bit, never 0).
   * @returns Whether the packet is accepted.
   */
  accept(seq: number): boolean {
    if (seq === 0) return false;
    if (this.#highest === null) {
      this.#highest = seq;
      this.#seen = 1;
      return true;
    }
    const delta = (seq - this.#highest) | 0;
    if (delta > 0) {
      if (delta > AHEAD) return false;
      this.#seen = delta >= BEHIND ? 1 : ((this.#seen << delta) | 1) >>> 0;
      this.#highest = seq >>> 0;
      return true;
    }
    const back = -delta;
    if (back >= BEHIND) return false;
    const bit = (1 << back) >>> 0;
    if ((this.#seen & bit) !== 0) return false;
    this.#seen = (this.#seen | bit) >>> 0;
    return true;
  }
}
