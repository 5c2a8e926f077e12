/**
 * A min-heap of (time, id) timers for a single-threaded event loop: the
 * loop sleeps until {@link TimerHeap.nextAt} and takes what is due. A timer
 * is never removed; the caller ignores one it no longer wants (e.g. by a
 * generation number folded into the id's state).
 *
 * @module
 */

/** Timers ordered by time. */
export class TimerHeap {
  #at: number[] = [];
  #id: number[] = [];

  /** Timers held. */
  get size(): number {
    return this.#at.length;
  }

  /**
   * Add a timer.
   *
   * @param at When it is due, ms.
   * @param id What it is for.
   */
  push(at: number, id: number): void {
    const a = this.#at;
    const ids = this.#id;
    let i = a.length;
    a.push(at);
    ids.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= at) break;
      a[i] = a[parent]!;
      ids[i] = ids[parent]!;
      i = parent;
    }
    a[i] = at;
    ids[i] = id;
  }

  /** When the earliest timer is due (`Infinity`: none). */
  get nextAt(): number {
    return this.#at[0] ?? Infinity;
  }

  /**
   * Take the earliest timer if it is due.
   *
   * @param now Now, ms.
   * @returns Its id, or `null` when none is due.
   */
  popDue(now: number): number | null {
    const a = this.#at;
    if (a.length === 0 || a[0]! > now) return null;
    const ids = this.#id;
    const top = ids[0]!;
    const lastAt = a.pop()!;
    const lastId = ids.pop()!;
    const n = a.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && a[l + 1]! < a[l]! ? l + 1 : l;
      if (a[c]! >= lastAt) break;
      a[i] = a[c]!;
      ids[i] = ids[c]!;
      i = c;
    }
    a[i] = lastAt;
    ids[i] = lastId;
    return top;
  }
}
