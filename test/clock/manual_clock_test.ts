import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { SystemClock } from "../../src/clock/clock.ts";
import { delay } from "../../src/clock/delay.ts";

Deno.test("ManualClock.advance() fires timers at exactly their due time, in order", () => {
  const clock = new ManualClock();
  const fired: string[] = [];
  clock.setTimer(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimer(() => fired.push(`a@${clock.now()}`), 10);
  clock.setTimer(() => fired.push(`c@${clock.now()}`), 20);
  clock.advance(9);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, ["a@10"]);
  clock.advance(100);
  assert.deepEqual(fired, ["a@10", "b@20", "c@20"]);
  assert.equal(clock.now(), 110);
});

Deno.test("ManualClock.advance() fires timers scheduled by callbacks within the window", () => {
  const clock = new ManualClock();
  const fired: number[] = [];
  clock.setTimer(() => {
    fired.push(clock.now());
    clock.setTimer(() => fired.push(clock.now()), 5);
  }, 5);
  clock.advance(12);
  assert.deepEqual(fired, [5, 10]);
});

Deno.test("ManualClock cancel, next() and wall time", () => {
  const clock = new ManualClock({ wallAtZero: 1000 });
  let fired = 0;
  const cancel = clock.setTimer(() => fired++, 5);
  cancel();
  clock.advance(10);
  assert.equal(fired, 0);
  assert.equal(clock.pending, 0);
  clock.setTimer(() => fired++, 30);
  assert.equal(clock.next(), 30);
  assert.equal(fired, 1);
  assert.equal(clock.wallMs(), 1040);
  assert.equal(clock.next(), undefined);
  assert.throws(() => clock.advance(-1), RangeError);
});

Deno.test("delay() resolves on the clock and resolves false when aborted", async () => {
  const clock = new ManualClock();
  const done = delay(clock, 50);
  clock.advance(50);
  assert.equal(await done, true);
  const controller = new AbortController();
  const aborted = delay(clock, 50, controller.signal);
  controller.abort();
  assert.equal(await aborted, false);
  assert.equal(clock.pending, 0);
});

Deno.test("SystemClock.setTimer() never fires before its deadline", async () => {
  const clock = new SystemClock();
  const start = clock.now();
  const at = await new Promise<number>((resolve) => clock.setTimer(() => resolve(clock.now()), 15));
  assert.ok(at - start >= 15, `fired after ${at - start} ms`);
  let fired = false;
  clock.setTimer(() => fired = true, 5)();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(fired, false);
});
