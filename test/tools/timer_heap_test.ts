import assert from "node:assert/strict";
import { TimerHeap } from "../../tools/load/timer_heap.ts";

Deno.test("TimerHeap.popDue() gives the due timers earliest first and keeps the rest", () => {
  const heap = new TimerHeap();
  assert.equal(heap.nextAt, Infinity);
  const times = [50, 10, 40, 10, 30, 20, 60, 0, 45];
  times.forEach((at, id) => heap.push(at, id));
  assert.equal(heap.nextAt, 0);
  const due: number[] = [];
  for (let id = heap.popDue(40); id !== null; id = heap.popDue(40)) due.push(times[id]!);
  assert.deepEqual(due, [0, 10, 10, 20, 30, 40]);
  assert.equal(heap.size, 3);
  assert.equal(heap.nextAt, 45);
  assert.equal(heap.popDue(44), null, "none due before 45");
  assert.equal(heap.popDue(100), 8);
  assert.equal(heap.popDue(100), 0);
  assert.equal(heap.popDue(100), 6);
  assert.equal(heap.popDue(100), null);
});
