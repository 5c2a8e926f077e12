import assert from "node:assert/strict";
import type { CancelTimer, Clock } from "../../src/clock/clock.ts";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { PeriodWheel } from "../../src/clock/period_wheel.ts";

/** Records when each named member ran. */
function recorder(clock: Clock) {
  const runs: [string, number][] = [];
  return { runs, member: (name: string) => () => runs.push([name, clock.now()]) };
}

Deno.test("a member runs a period after it joins, rounded up to the grid, then every period on its slot", () => {
  const clock = new ManualClock();
  const wheel = new PeriodWheel(clock, 1000, 10);
  const { runs, member } = recorder(clock);
  wheel.add(member("a"));
  clock.advance(5);
  wheel.add(member("b"));
  clock.advance(2995);
  assert.deepEqual(runs, [["a", 1000], ["b", 1010], ["a", 2000], ["b", 2010], ["a", 3000]]);
});

Deno.test("with one slot per period, a lone member runs exactly a period apart (the BMC's own scan)", () => {
  const clock = new ManualClock();
  const wheel = new PeriodWheel(clock, 1000, 1000);
  const { runs, member } = recorder(clock);
  wheel.add(member("a"));
  clock.advance(3000);
  assert.deepEqual(runs.map(([, t]) => t), [1000, 2000, 3000]);
  assert.equal(clock.pending, 1, "one timer, for the next period");
});

Deno.test("many members cost one timer at a time, armed only for slots that have members", () => {
  const inner = new ManualClock();
  let armed = 0;
  const clock: Clock = {
    now: () => inner.now(),
    wallMs: () => inner.wallMs(),
    setTimer: (cb, ms) => {
      armed++;
      return inner.setTimer(cb, ms);
    },
  };
  const wheel = new PeriodWheel(clock, 1000, 10);
  let ran = 0;
  // 1000 members joining over one period, four per slot of 10 ms.
  for (let i = 0; i < 1000; i++) {
    wheel.add(() => ran++);
    inner.advance(1);
  }
  armed = 0;
  ran = 0;
  inner.advance(1000);
  assert.equal(ran, 1000, "every member ran once in the period");
  assert.ok(armed <= 101, `one timer per occupied slot, not per member (armed ${armed})`);
  assert.equal(inner.pending, 1);
});

Deno.test("a member taken off no longer runs, and an empty wheel holds no timer", () => {
  const clock = new ManualClock();
  const wheel = new PeriodWheel(clock, 1000, 10);
  const { runs, member } = recorder(clock);
  const offA = wheel.add(member("a"));
  const offB = wheel.add(member("b"));
  clock.advance(1000);
  offA();
  offA();
  clock.advance(1000);
  assert.deepEqual(runs, [["a", 1000], ["b", 1000], ["b", 2000]]);
  assert.equal(wheel.size, 1);
  offB();
  assert.equal(wheel.size, 0);
  assert.equal(clock.pending, 0);
});

Deno.test("a member may join from inside a run; it first runs a period later", () => {
  const clock = new ManualClock();
  const wheel = new PeriodWheel(clock, 1000, 10);
  const { runs, member } = recorder(clock);
  let joined = false;
  wheel.add(() => {
    runs.push(["a", clock.now()]);
    if (!joined) {
      joined = true;
      wheel.add(member("b"));
    }
  });
  clock.advance(3000);
  assert.deepEqual(runs, [["a", 1000], ["a", 2000], ["b", 2000], ["a", 3000], ["b", 3000]]);
});

/** A clock whose time jumps while its one timer waits (an event loop that was busy). */
class JumpingClock implements Clock {
  time = 0;
  #due: { at: number; cb: () => void } | null = null;
  now(): number {
    return this.time;
  }
  wallMs(): number {
    return this.time;
  }
  setTimer(cb: () => void, ms: number): CancelTimer {
    const due = { at: this.time + ms, cb };
    this.#due = due;
    return () => {
      if (this.#due === due) this.#due = null;
    };
  }
  /** Jump to `t` and fire the timer (late, if it was due earlier). */
  jumpAndFire(t: number): void {
    this.time = t;
    const due = this.#due;
    this.#due = null;
    if (due !== null && due.at <= t) due.cb();
  }
}

Deno.test("a wheel that comes late runs each member once, not once per missed period", () => {
  const clock = new JumpingClock();
  const wheel = new PeriodWheel(clock, 1000, 10);
  const { runs, member } = recorder(clock);
  wheel.add(member("a"));
  clock.time = 500;
  wheel.add(member("b"));
  clock.jumpAndFire(3700);
  assert.deepEqual(runs, [["a", 3700], ["b", 3700]]);
  clock.jumpAndFire(4000);
  assert.deepEqual(runs.slice(2), [["a", 4000]], "back on its slot after the catch-up");
});

Deno.test("a slot that does not divide the period is refused", () => {
  assert.throws(() => new PeriodWheel(new ManualClock(), 1000, 300), /does not divide/);
  assert.throws(() => new PeriodWheel(new ManualClock(), 1000, 2000), /does not divide/);
});
