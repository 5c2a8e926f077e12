/**
 * The checks of scenario steps: an event within a deadline, no event for a
 * while, and a state value that holds (within a deadline, for a while).
 *
 * @module
 */

import { delay } from "../clock/delay.ts";
import type { BmcEventType } from "../core/events.ts";
import type { BusEvent, EventFilter } from "../events/event_bus.ts";
import { waitForEvent } from "../events/wait_for_event.ts";
import { bmcState } from "../runtime/bmc_state.ts";
import { seconds, type StepContext, type StepOutcome } from "./step_result.ts";
import { matchesWhere, valueAt } from "./where.ts";

/** Poll interval of state assertions. */
export const STATE_POLL_MS = 100;

function typeFilter(bmc: string, type: string): EventFilter {
  return type.endsWith(".*")
    ? { bmc, prefixes: [type.slice(0, -1)] }
    : { bmc, types: new Set([type]) };
}

function whereOf(where: Record<string, unknown> | undefined) {
  return where === undefined ? {} : { where: (e: BusEvent) => matchesWhere(e.data, where) };
}

/**
 * The first event of a type (matching `where`) after `after`, within a deadline.
 *
 * @param ctx Step context.
 * @param check What to wait for.
 * @returns Passed with the event, or failed.
 */
export async function expectEvent(
  ctx: StepContext,
  check: {
    readonly type: string;
    readonly timeoutMs: number;
    readonly where: Record<string, unknown> | undefined;
    readonly after: number;
    readonly verb: "saw" | "got";
  },
): Promise<StepOutcome> {
  const { bus, clock } = ctx;
  const t0 = clock.now();
  const e = await waitForEvent(bus, clock, typeFilter(ctx.runtime.id, check.type), {
    timeoutMs: check.timeoutMs,
    after: check.after,
    ...whereOf(check.where),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  const cond = check.where === undefined ? "" : ` with ${JSON.stringify(check.where)}`;
  if (e === null) {
    return {
      status: "failed",
      detail: `no ${check.type}${cond} within ${seconds(check.timeoutMs)}`,
    };
  }
  return {
    status: "passed",
    detail: `${check.verb} ${e.type}${cond} (event ${e.id}) after ${seconds(clock.now() - t0)}`,
    event: { id: e.id, type: e.type as BmcEventType, time: e.time },
  };
}

/**
 * No event of a type (matching `where`) for a while.
 *
 * @param ctx Step context.
 * @param check What must not happen.
 * @param explain Adds the step's description or failure text.
 * @returns Passed, or failed with the event.
 */
export async function expectNoEvent(
  ctx: StepContext,
  check: {
    readonly type: string;
    readonly forMs: number;
    readonly where: Record<string, unknown> | undefined;
    readonly after: number | undefined;
  },
  explain: (ok: boolean, detail: string) => string,
): Promise<StepOutcome> {
  const { bus, clock } = ctx;
  const t0 = clock.now();
  const seen = await waitForEvent(bus, clock, typeFilter(ctx.runtime.id, check.type), {
    timeoutMs: check.forMs,
    ...(check.after === undefined ? {} : { after: check.after }),
    ...whereOf(check.where),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  if (seen !== null) {
    return {
      status: "failed",
      detail: explain(
        false,
        `${seen.type} happened after ${seconds(clock.now() - t0)}, expected none for ${
          seconds(check.forMs)
        }`,
      ),
      event: { id: seen.id, type: seen.type, time: seen.time },
    };
  }
  return {
    status: "passed",
    detail: explain(true, `no ${check.type} for ${seconds(check.forMs)}`),
  };
}

/**
 * A value of the BMC's state equals what is expected: now, within a
 * deadline, and/or continuously for a while.
 *
 * @param ctx Step context.
 * @param a The assertion.
 * @param explain Adds the step's description or failure text.
 * @returns Passed or failed, with the value that was tested.
 */
export async function expectState(
  ctx: StepContext,
  a: { state: string; equals?: unknown; within?: number | undefined; for?: number | undefined },
  explain: (ok: boolean, detail: string) => string,
): Promise<StepOutcome> {
  const { bus, clock, signal, runtime } = ctx;
  // Read the state once per poll; the message shows the value that was tested.
  let value: unknown;
  const holds = () => {
    value = valueAt(bmcState(runtime, bus), a.state);
    return matchesWhere({ v: value }, { v: a.equals });
  };
  const expected = JSON.stringify(a.equals);
  const failed = (detail: string): StepOutcome => ({
    status: "failed",
    detail: explain(false, detail),
  });
  const t0 = clock.now();
  if (a.within !== undefined) {
    while (!holds()) {
      if (clock.now() - t0 >= a.within || signal?.aborted) {
        return failed(
          `${a.state} is ${JSON.stringify(value)}, expected ${expected} within ${
            seconds(a.within)
          }`,
        );
      }
      await delay(clock, STATE_POLL_MS, signal);
    }
  } else if (!holds()) {
    return failed(`${a.state} is ${JSON.stringify(value)}, expected ${expected}`);
  }
  const reached = clock.now() - t0;
  if (a.for !== undefined) {
    const start = clock.now();
    while (clock.now() - start < a.for && !signal?.aborted) {
      await delay(clock, STATE_POLL_MS, signal);
      if (!holds()) {
        return failed(
          `${a.state} became ${JSON.stringify(value)} after ${
            seconds(clock.now() - start)
          }, expected ${expected} for ${seconds(a.for)}`,
        );
      }
    }
    return {
      status: "passed",
      detail: explain(true, `${a.state} = ${expected} for ${seconds(a.for)}`),
    };
  }
  const after = a.within !== undefined ? ` after ${seconds(reached)}` : "";
  return { status: "passed", detail: explain(true, `${a.state} = ${expected}${after}`) };
}
