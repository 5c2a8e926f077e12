/**
 * Many callbacks that each run once per period, on one timer: a process of
 * thousands of BMCs steps every BMC's sensors once a second, and a timer per
 * BMC per second (each a host timer object, created, tracked and collected)
 * cost more than the stepping. Members are spread over the period's slots by
 * when they joined, and a slot's members run together when the wheel reaches
 * it; the wheel's timer is armed only for slots that have members, so one
 * member costs one timer per period, as a timer of its own would.
 *
 * @module
 */

import type { CancelTimer, Clock } from "./clock.ts";

interface Member {
  readonly run: () => void;
  /** First step of the grid on which it runs (it joined a period before). */
  readonly firstStep: number;
}

/** Callbacks run once per period, on a grid of `slotMs` steps anchored at creation. */
export class PeriodWheel {
  readonly #clock: Clock;
  readonly #periodMs: number;
  readonly #slotMs: number;
  readonly #origin: number;
  readonly #slots: Set<Member>[];
  #members = 0;
  /** The first grid step not yet run. */
  #nextStep: number;
  #timer: CancelTimer | null = null;
  /** The grid step the timer is armed for. */
  #armedStep = Infinity;

  /**
   * Create a wheel.
   *
   * @param clock Time source (its timers drive the wheel).
   * @param periodMs How often each member runs.
   * @param slotMs Grid step: members joining within one step run together.
   * @throws {RangeError} When `slotMs` does not divide `periodMs`.
   */
  constructor(clock: Clock, periodMs: number, slotMs: number) {
    const slots = periodMs / slotMs;
    if (!Number.isInteger(slots) || slots < 1) {
      throw new RangeError(`slot ${slotMs} ms does not divide the period of ${periodMs} ms`);
    }
    this.#clock = clock;
    this.#periodMs = periodMs;
    this.#slotMs = slotMs;
    this.#origin = clock.now();
    this.#slots = Array.from({ length: slots }, () => new Set<Member>());
    this.#nextStep = 1;
  }

  /** Members on the wheel. */
  get size(): number {
    return this.#members;
  }

  /**
   * Run `run` once per period from now on: first one period (rounded up to
   * the grid) after joining, then on the same slot of every period.
   *
   * @param run The callback.
   * @returns Takes it off the wheel.
   */
  add(run: () => void): CancelTimer {
    const firstStep = Math.ceil((this.#clock.now() + this.#periodMs - this.#origin) / this.#slotMs);
    const member: Member = { run, firstStep };
    const slot = this.#slots[firstStep % this.#slots.length]!;
    slot.add(member);
    this.#members++;
    if (firstStep < this.#armedStep) this.#arm(firstStep);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      slot.delete(member);
      this.#members--;
      if (this.#members === 0) this.#disarm();
    };
  }

  #arm(step: number): void {
    this.#timer?.();
    this.#armedStep = step;
    const delay = this.#origin + step * this.#slotMs - this.#clock.now();
    this.#timer = this.#clock.setTimer(() => this.#turn(), delay);
  }

  #disarm(): void {
    this.#timer?.();
    this.#timer = null;
    this.#armedStep = Infinity;
  }

  /** Run every slot due by now (at most one period of them: a late wheel catches up once). */
  #turn(): void {
    this.#timer = null;
    this.#armedStep = Infinity;
    const count = this.#slots.length;
    // (The epsilon keeps a timer that fires on its step from rounding below it.)
    const now = Math.floor((this.#clock.now() - this.#origin) / this.#slotMs + 1e-9);
    try {
      for (let step = Math.max(this.#nextStep, now - count + 1); step <= now; step++) {
        for (const member of this.#slots[step % count]!) {
          if (member.firstStep <= step) member.run();
        }
      }
    } finally {
      this.#nextStep = now + 1;
      this.#armNext(now + 1);
    }
  }

  /** Arm for the first slot with members from `from` on. */
  #armNext(from: number): void {
    if (this.#members === 0) return;
    const count = this.#slots.length;
    for (let step = from; step < from + count; step++) {
      if (this.#slots[step % count]!.size > 0) {
        this.#arm(step);
        return;
      }
    }
  }
}
