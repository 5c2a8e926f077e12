/**
 * The scenario step kinds as a table: each kind's runner parses nothing
 * (the schema did) and acts through the same operations as the HTTP routes
 * (`runtime/operations.ts`), or checks through `assertions.ts`.
 *
 * @module
 */

import { delay } from "../clock/delay.ts";
import { describeRule } from "../core/faults.ts";
import { powerAction } from "../core/power_actions.ts";
import { systemEventOf } from "../core/sel_record.ts";
import { resolveFaultRule, resolveReset } from "../faults/fault_schema.ts";
import {
  addFault,
  clearFaults,
  injectEvent,
  power,
  releaseHang,
  removeFault,
  resetBmc,
  startHang,
} from "../runtime/operations.ts";
import { expectEvent, expectNoEvent, expectState } from "./assertions.ts";
import { expectConsole } from "./console_assertion.ts";
import type { Step } from "./scenario_schema.ts";
import { markId, seconds, type StepContext, StepFailure, type StepOutcome } from "./step_result.ts";

/** The kinds of step, each named by the key that marks it. */
export const STEP_KINDS = [
  "sleep",
  "wait",
  "mark",
  "fault",
  "reset",
  "power",
  "inject",
  "hang",
  "release",
  "assert",
] as const;

/** A step kind. */
export type StepKind = (typeof STEP_KINDS)[number];

/** Runs one kind of step. */
export type StepRunner<K extends StepKind> = (
  step: Extract<Step, Record<K, unknown>>,
  ctx: StepContext,
) => StepOutcome | Promise<StepOutcome>;

/**
 * The kind of a step.
 *
 * @param step A validated step.
 * @returns Its kind.
 */
export function kindOf(step: Step): StepKind {
  return STEP_KINDS.find((k) => k in step)!;
}

const done = (detail: string): StepOutcome => ({ status: "done", detail });

/** Every step kind's runner. */
export const STEP_RUNNERS: { readonly [K in StepKind]: StepRunner<K> } = {
  async sleep(step, ctx) {
    await delay(ctx.clock, step.sleep, ctx.signal);
    return done(`slept ${seconds(step.sleep)}`);
  },
  mark(step, ctx) {
    ctx.marks.set(step.mark, ctx.bus.lastId);
    return done(`mark "${step.mark}" at event ${ctx.bus.lastId}`);
  },
  wait(step, ctx) {
    const w = step.wait;
    return expectEvent(ctx, {
      type: w.event,
      timeoutMs: w.timeout,
      where: w.where,
      after: markId(w.since, ctx.marks),
      verb: "saw",
    });
  },
  fault(step, ctx) {
    const f = step.fault;
    if ("add" in f) {
      const rule = addFault(ctx.runtime, () => resolveFaultRule(f.add, ctx.randomSeed));
      if (f.as !== undefined) ctx.rules.set(f.as, rule.id);
      const d = describeRule(rule, ctx.clock);
      return done(
        `added fault ${rule.id}: ${JSON.stringify(d.action)} on ${JSON.stringify(d.match)}`,
      );
    }
    if ("remove" in f) {
      const id = ctx.rules.get(f.remove) ?? f.remove;
      removeFault(ctx.runtime, id);
      return done(`removed fault ${id}`);
    }
    return done(`cleared ${clearFaults(ctx.runtime)} fault rules`);
  },
  reset(step, ctx) {
    const plan = resetBmc(
      ctx.runtime,
      resolveReset(step.reset, ctx.runtime.bmc.config.quirks),
      "scenario",
    );
    const after = plan.resetWatchdogCc === null
      ? "spec"
      : `Reset Watchdog answers 0x${plan.resetWatchdogCc.toString(16)}`;
    return done(
      `BMC reset: ${plan.mode} for ${
        seconds(plan.durationMs)
      }, watchdog ${plan.watchdog}, then ${after}`,
    );
  },
  power(step, ctx) {
    power(ctx.runtime, powerAction(step.power)!, "api");
    return done(`power ${step.power}`);
  },
  inject(step, ctx) {
    const { recordId } = injectEvent(ctx.runtime, systemEventOf(step.inject), "scenario");
    return done(`injected event${recordId === null ? "" : ` (SEL record ${recordId})`}`);
  },
  hang(step, ctx) {
    startHang(ctx.runtime, step.hang, "scenario");
    const until = step.hang.durationMs === undefined
      ? "until released"
      : `for ${seconds(step.hang.durationMs)}`;
    const only = step.hang.channel === undefined ? "" : ` (${step.hang.channel} only)`;
    return done(`hang ${step.hang.mode}${only} ${until}`);
  },
  release(step, ctx) {
    const cc = step.release.cc ?? null;
    const { hang, durationMs } = releaseHang(ctx.runtime, cc);
    const how = cc === null ? "" : ` with cc 0x${cc.toString(16)}`;
    return done(`released ${hang.mode}${how} after ${seconds(durationMs)}`);
  },
  async assert(step, ctx) {
    const a = step.assert;
    const explain = (ok: boolean, detail: string): string =>
      `${detail}${
        ok
          ? (step.description ? ` — ${step.description}` : "")
          : (step.failure ? ` — ${step.failure}` : "")
      }`;
    if ("event" in a) {
      const r = await expectEvent(ctx, {
        type: a.event,
        timeoutMs: a.within,
        where: a.where,
        after: markId(a.since, ctx.marks),
        verb: "got",
      });
      return { ...r, detail: explain(r.status === "passed", r.detail) };
    }
    if ("noEvent" in a) {
      return await expectNoEvent(ctx, {
        type: a.noEvent,
        forMs: a.for,
        where: a.where,
        after: a.since === undefined ? undefined : markId(a.since, ctx.marks),
      }, explain);
    }
    if ("console" in a) return await expectConsole(ctx, a, explain);
    return await expectState(ctx, a, explain);
  },
};

/**
 * Run a step.
 *
 * @param step A validated step.
 * @param ctx Its context.
 * @returns What it decided.
 * @throws {StepFailure} And operation errors, when the step cannot be done.
 */
export function runStep(step: Step, ctx: StepContext): StepOutcome | Promise<StepOutcome> {
  const kind = kindOf(step);
  const runner = STEP_RUNNERS[kind] as StepRunner<StepKind> | undefined;
  if (runner === undefined) throw new StepFailure("unknown step");
  return runner(step as never, ctx);
}
