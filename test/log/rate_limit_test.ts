import assert from "node:assert/strict";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { RateLimit } from "../../src/log/rate_limit.ts";

Deno.test("RateLimit.take() lets one through per interval and counts the rest", () => {
  const clock = new ManualClock();
  const limit = new RateLimit(clock, 1000);
  assert.equal(limit.take(), 0);
  assert.equal(limit.take(), null);
  assert.equal(limit.take(), null);
  clock.advance(999);
  assert.equal(limit.take(), null);
  clock.advance(1);
  assert.equal(limit.take(), 3);
  assert.equal(limit.take(), null);
});
