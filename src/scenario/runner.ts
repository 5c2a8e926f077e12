/**
 * Runs a scenario against the BMCs of this process: each step acts through
 * the same paths as the API, each assertion waits on the event bus or the
 * state with a deadline, and the report says what passed and what failed.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import { delay } from "../clock/delay.ts";
import { POWER_ACTIONS } from "../core/ports.ts";
import type { BmcEventType } from "../core/events.ts";
import { describeRule } from "../core/faults.ts";
import type { BusEvent, EventBus, EventFilter } from "../events/event_bus.ts";
import { waitForEvent } from "../events/wait_for_event.ts";
import { resolveFaultRule, resolveReset } from "../faults/fault_schema.ts";
import type { Logger } from "../log/logger.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";
import { bmcState } from "../runtime/bmc_state.ts";
import type { Registry } from "../runtime/registry.ts";
import type { Scenario, Step } from "./scenario_schema.ts";
import { matchesWhere, valueAt } from "./where.ts";
import { errorMessage } from "../util/error_message.ts";
import { systemEventOf } from "../core/sel_record.ts";

/** Outcome of one step. */
export interface StepResult {
  /** Position in the scenario. */
  readonly index: number;
  /** Step kind (`wait`, `assert`, `reset`, …). */
  readonly kind: string;
  /** The step's name, if given. */
  readonly name?: string;
  /** BMC it acted on. */
  readonly bmc: string;
  /** `done` for actions, `passed`/`failed` for waits and assertions, `skipped` after an abort. */
  readonly status: "done" | "passed" | "failed" | "skipped";
  /** What happened. */
  readonly detail: string;
  /** Start, ms after the scenario started. */
  readonly atMs: number;
  /** How long it took. */
  readonly durationMs: number;
  /** The event that decided it, if any. */
  readonly event?: { readonly id: number; readonly type: string; readonly time: string };
}

/** The report of a run. */
export interface ScenarioReport {
  /** Scenario name. */
  readonly scenario: string;
  /** Scenario description. */
  readonly description: string;
  /** Whether every wait and assertion passed. */
  readonly passed: boolean;
  /** Start (ISO 8601). */
  readonly startedAt: string;
  /** Duration, ms. */
  readonly durationMs: number;
  /** Assertion counts. */
  readonly assertions: { readonly passed: number; readonly failed: number };
  /** Per-step results. */
  readonly steps: readonly StepResult[];
}

/** What the runner needs. */
export interface ScenarioDeps {
  /** BMCs. */
  readonly registry: Registry;
  /** Event bus. */
  readonly bus: EventBus;
  /** Time source. */
  readonly clock: Clock;
  /** Logger. */
  readonly log: Logger;
  /** Seeds for fault rules that give none. */
  readonly randomSeed: () => number;
}

/** Poll interval of state assertions. */
export const STATE_POLL_MS = 100;

class StepFailure extends Error {}

function kindOf(step: Step): string {
  for (
    const k of [
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
    ]
  ) {
    if (k in step) return k;
  }
  return "unknown";
}

function typeFilter(bmc: string, type: string): EventFilter {
  return type.endsWith(".*")
    ? { bmc, prefixes: [type.slice(0, -1)] }
    : { bmc, types: new Set([type]) };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs scenarios. */
export class ScenarioRunner {
  readonly #deps: ScenarioDeps;

  /**
   * Create a runner.
   *
   * @param deps Services.
   */
  constructor(deps: ScenarioDeps) {
    this.#deps = deps;
  }

  /**
   * Run a scenario to the end (or its first failed wait or action).
   *
   * @param scenario Validated scenario.
   * @param signal Aborts the run.
   * @returns The report.
   */
  async run(scenario: Scenario, signal?: AbortSignal): Promise<ScenarioReport> {
    const { bus, clock, log } = this.#deps;
    const started = clock.now();
    const startedAt = new Date(clock.wallMs()).toISOString();
    const marks = new Map<string, number>([["start", bus.lastId], ["previous", bus.lastId]]);
    const rules = new Map<string, string>();
    const results: StepResult[] = [];
    let aborted = false;
    log.info("scenario started", { scenario: scenario.name, steps: scenario.steps.length });
    for (const [index, step] of scenario.steps.entries()) {
      const kind = kindOf(step);
      const bmcId = step.bmc ?? scenario.bmc;
      const base = {
        index,
        kind,
        ...(step.name === undefined ? {} : { name: step.name }),
        bmc: bmcId,
      };
      const atMs = clock.now() - started;
      if (aborted || signal?.aborted) {
        results.push({
          ...base,
          status: "skipped",
          detail: "not run: an earlier step failed",
          atMs,
          durationMs: 0,
        });
        continue;
      }
      const t0 = clock.now();
      let result: Omit<StepResult, keyof typeof base | "atMs" | "durationMs">;
      try {
        const runtime = this.#deps.registry.get(bmcId);
        if (runtime === undefined) throw new StepFailure(`no BMC with id "${bmcId}"`);
        marks.set("step", bus.lastId);
        result = await this.#step(step, runtime, { marks, rules, signal });
        marks.set("previous", marks.get("step")!);
      } catch (error) {
        result = {
          status: "failed",
          detail: errorMessage(error),
        };
        marks.set("previous", marks.get("step") ?? bus.lastId);
      }
      if (result.status === "failed" && kind !== "assert") aborted = true;
      const entry: StepResult = { ...base, ...result, atMs, durationMs: clock.now() - t0 };
      results.push(entry);
      bus.publish(bmcId, "scenario.step", { scenario: scenario.name, ...entry });
    }
    const checks = results.filter((r) => r.kind === "assert" || r.kind === "wait");
    const failed = results.filter((r) => r.status === "failed").length;
    const report: ScenarioReport = {
      scenario: scenario.name,
      description: scenario.description,
      passed: failed === 0 && !signal?.aborted,
      startedAt,
      durationMs: clock.now() - started,
      assertions: {
        passed: checks.filter((r) => r.status === "passed").length,
        failed: checks.filter((r) => r.status === "failed").length,
      },
      steps: results,
    };
    log.info("scenario finished", { scenario: scenario.name, passed: report.passed, failed });
    return report;
  }

  async #step(
    step: Step,
    runtime: BmcRuntime,
    ctx: {
      marks: Map<string, number>;
      rules: Map<string, string>;
      signal: AbortSignal | undefined;
    },
  ): Promise<Omit<StepResult, "index" | "kind" | "name" | "bmc" | "atMs" | "durationMs">> {
    const { bus, clock } = this.#deps;
    const bmc = runtime.bmc;
    if ("sleep" in step) {
      await delay(clock, step.sleep, ctx.signal);
      return { status: "done", detail: `slept ${seconds(step.sleep)}` };
    }
    if ("mark" in step) {
      ctx.marks.set(step.mark, bus.lastId);
      return { status: "done", detail: `mark "${step.mark}" at event ${bus.lastId}` };
    }
    if ("wait" in step) {
      const w = step.wait;
      return await this.#expectEvent(
        runtime.id,
        w.event,
        w.timeout,
        w.where,
        this.#since(w.since, ctx.marks),
        ctx.signal,
        "wait",
      );
    }
    if ("fault" in step) {
      const f = step.fault;
      if ("add" in f) {
        const rule = bmc.faults.add(resolveFaultRule(f.add, this.#deps.randomSeed));
        if (f.as !== undefined) ctx.rules.set(f.as, rule.id);
        const d = describeRule(rule, clock);
        return {
          status: "done",
          detail: `added fault ${rule.id}: ${JSON.stringify(d.action)} on ${
            JSON.stringify(d.match)
          }`,
        };
      }
      if ("remove" in f) {
        const id = ctx.rules.get(f.remove) ?? f.remove;
        if (!bmc.faults.remove(id)) throw new StepFailure(`no fault rule "${f.remove}"`);
        return { status: "done", detail: `removed fault ${id}` };
      }
      return { status: "done", detail: `cleared ${bmc.faults.clear()} fault rules` };
    }
    if ("reset" in step) {
      const plan = resolveReset(step.reset, bmc.config.quirks);
      bmc.beginReset(plan, "scenario");
      const after = plan.resetWatchdogCc === null
        ? "spec"
        : `Reset Watchdog answers 0x${plan.resetWatchdogCc.toString(16)}`;
      return {
        status: "done",
        detail: `BMC reset: ${plan.mode} for ${
          seconds(plan.durationMs)
        }, watchdog ${plan.watchdog}, then ${after}`,
      };
    }
    if ("power" in step) {
      const result = bmc.chassisControl(POWER_ACTIONS[step.power], "api");
      if (!result.ok) throw new StepFailure(`power ${step.power}: ${result.reason}`);
      return { status: "done", detail: `power ${step.power}` };
    }
    if ("inject" in step) {
      const e = step.inject;
      const id = bmc.logEvent(systemEventOf(e), "scenario");
      return {
        status: "done",
        detail: `injected event${id === null ? "" : ` (SEL record ${id})`}`,
      };
    }
    if ("hang" in step || "release" in step) {
      return this.#hangStep(step, runtime);
    }
    if ("assert" in step) {
      const a = step.assert;
      const explain = (ok: boolean, detail: string): string =>
        `${detail}${
          ok
            ? (step.description ? ` — ${step.description}` : "")
            : (step.failure ? ` — ${step.failure}` : "")
        }`;
      if ("event" in a) {
        const r = await this.#expectEvent(
          runtime.id,
          a.event,
          a.within,
          a.where,
          this.#since(a.since, ctx.marks),
          ctx.signal,
          "assert",
        );
        return { ...r, detail: explain(r.status === "passed", r.detail) };
      }
      if ("noEvent" in a) {
        const t0 = clock.now();
        const seen = await waitForEvent(bus, clock, typeFilter(runtime.id, a.noEvent), {
          timeoutMs: a.for,
          ...(a.since === undefined ? {} : { after: this.#since(a.since, ctx.marks) }),
          ...(a.where === undefined
            ? {}
            : { where: (e: BusEvent) => matchesWhere(e.data, a.where!) }),
          ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        });
        if (seen !== null) {
          return {
            status: "failed",
            detail: explain(
              false,
              `${seen.type} happened after ${seconds(clock.now() - t0)}, expected none for ${
                seconds(a.for)
              }`,
            ),
            event: { id: seen.id, type: seen.type, time: seen.time },
          };
        }
        return { status: "passed", detail: explain(true, `no ${a.noEvent} for ${seconds(a.for)}`) };
      }
      return await this.#expectState(runtime, a, ctx.signal, explain);
    }
    throw new StepFailure("unknown step");
  }

  #since(since: string, marks: Map<string, number>): number {
    const id = marks.get(since);
    if (id === undefined) throw new StepFailure(`unknown mark "${since}"`);
    return id;
  }

  async #expectEvent(
    bmc: string,
    type: string,
    timeoutMs: number,
    where: Record<string, unknown> | undefined,
    after: number,
    signal: AbortSignal | undefined,
    what: "wait" | "assert",
  ): Promise<Omit<StepResult, "index" | "kind" | "name" | "bmc" | "atMs" | "durationMs">> {
    const { bus, clock } = this.#deps;
    const t0 = clock.now();
    const e = await waitForEvent(bus, clock, typeFilter(bmc, type), {
      timeoutMs,
      after,
      ...(where === undefined ? {} : { where: (ev: BusEvent) => matchesWhere(ev.data, where) }),
      ...(signal === undefined ? {} : { signal }),
    });
    const cond = where === undefined ? "" : ` with ${JSON.stringify(where)}`;
    if (e === null) {
      return { status: "failed", detail: `no ${type}${cond} within ${seconds(timeoutMs)}` };
    }
    return {
      status: "passed",
      detail: `${what === "wait" ? "saw" : "got"} ${e.type}${cond} (event ${e.id}) after ${
        seconds(clock.now() - t0)
      }`,
      event: { id: e.id, type: e.type as BmcEventType, time: e.time },
    };
  }

  async #expectState(
    runtime: BmcRuntime,
    a: { state: string; equals?: unknown; within?: number | undefined; for?: number | undefined },
    signal: AbortSignal | undefined,
    explain: (ok: boolean, detail: string) => string,
  ): Promise<Omit<StepResult, "index" | "kind" | "name" | "bmc" | "atMs" | "durationMs">> {
    const { bus, clock } = this.#deps;
    // Read the state once per poll; the message shows the value that was tested.
    let value: unknown;
    const holds = () => {
      value = valueAt(bmcState(runtime, bus), a.state);
      return matchesWhere({ v: value }, { v: a.equals });
    };
    const t0 = clock.now();
    if (a.within !== undefined) {
      while (!holds()) {
        if (clock.now() - t0 >= a.within || signal?.aborted) {
          return {
            status: "failed",
            detail: explain(
              false,
              `${a.state} is ${JSON.stringify(value)}, expected ${
                JSON.stringify(a.equals)
              } within ${seconds(a.within)}`,
            ),
          };
        }
        await delay(clock, STATE_POLL_MS, signal);
      }
    } else if (!holds()) {
      return {
        status: "failed",
        detail: explain(
          false,
          `${a.state} is ${JSON.stringify(value)}, expected ${JSON.stringify(a.equals)}`,
        ),
      };
    }
    const reached = clock.now() - t0;
    if (a.for !== undefined) {
      const start = clock.now();
      while (clock.now() - start < a.for && !signal?.aborted) {
        await delay(clock, STATE_POLL_MS, signal);
        if (!holds()) {
          return {
            status: "failed",
            detail: explain(
              false,
              `${a.state} became ${JSON.stringify(value)} after ${
                seconds(clock.now() - start)
              }, expected ${JSON.stringify(a.equals)} for ${seconds(a.for)}`,
            ),
          };
        }
      }
      return {
        status: "passed",
        detail: explain(true, `${a.state} = ${JSON.stringify(a.equals)} for ${seconds(a.for)}`),
      };
    }
    return {
      status: "passed",
      detail: explain(
        true,
        `${a.state} = ${JSON.stringify(a.equals)}${
          a.within !== undefined ? ` after ${seconds(reached)}` : ""
        }`,
      ),
    };
  }

  #hangStep(
    step: Step,
    runtime: BmcRuntime,
  ): Omit<StepResult, "index" | "kind" | "name" | "bmc" | "atMs" | "durationMs"> {
    const bmc = runtime.bmc;
    if ("hang" in step) {
      bmc.startHang(step.hang, "scenario");
      const until = step.hang.durationMs === undefined
        ? "until released"
        : `for ${seconds(step.hang.durationMs)}`;
      return { status: "done", detail: `hang ${step.hang.mode} ${until}` };
    }
    if (!("release" in step)) throw new StepFailure("unknown step");
    const hang = bmc.releaseHang(step.release.cc ?? null);
    if (hang === null) throw new StepFailure("no hang in progress");
    const how = step.release.cc === undefined ? "" : ` with cc 0x${step.release.cc.toString(16)}`;
    return {
      status: "done",
      detail: `released ${hang.mode}${how} after ${
        seconds(this.#deps.clock.now() - hang.startedAt)
      }`,
    };
  }
}
