/**
 * Runs a scenario against the BMCs of this process: each step acts through
 * the same paths as the API, each assertion waits on the event bus or the
 * state with a deadline, and the report says what passed and what failed.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger } from "../log/logger.ts";
import type { Registry } from "../runtime/registry.ts";
import type { Scenario } from "./scenario_schema.ts";
import { type StepContext, StepFailure, type StepOutcome, type StepResult } from "./step_result.ts";
import { kindOf, runStep } from "./steps.ts";
import { errorMessage } from "../util/error_message.ts";

export type { StepResult } from "./step_result.ts";
export { STATE_POLL_MS } from "./assertions.ts";

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
   * @param onStep Called with each step's result as it completes (for streaming).
   * @returns The report.
   */
  async run(
    scenario: Scenario,
    signal?: AbortSignal,
    onStep?: (step: StepResult) => void,
  ): Promise<ScenarioReport> {
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
      const atMs = Math.round(clock.now() - started);
      if (aborted || signal?.aborted) {
        const skipped: StepResult = {
          ...base,
          status: "skipped",
          detail: "not run: an earlier step failed",
          atMs,
          durationMs: 0,
        };
        results.push(skipped);
        onStep?.(skipped);
        continue;
      }
      const t0 = clock.now();
      let result: StepOutcome;
      try {
        const runtime = this.#deps.registry.get(bmcId);
        if (runtime === undefined) throw new StepFailure(`no BMC with id "${bmcId}"`);
        marks.set("step", bus.lastId);
        const ctx: StepContext = {
          runtime,
          bus,
          clock,
          randomSeed: this.#deps.randomSeed,
          marks,
          rules,
          signal,
        };
        result = await runStep(step, ctx);
        marks.set("previous", marks.get("step")!);
      } catch (error) {
        result = {
          status: "failed",
          detail: errorMessage(error),
        };
        marks.set("previous", marks.get("step") ?? bus.lastId);
      }
      if (result.status === "failed" && kind !== "assert") aborted = true;
      const durationMs = Math.round(clock.now() - t0);
      const entry: StepResult = { ...base, ...result, atMs, durationMs };
      results.push(entry);
      bus.publish(bmcId, "scenario.step", { scenario: scenario.name, ...entry });
      onStep?.(entry);
    }
    const checks = results.filter((r) => r.kind === "assert" || r.kind === "wait");
    const failed = results.filter((r) => r.status === "failed").length;
    const report: ScenarioReport = {
      scenario: scenario.name,
      description: scenario.description,
      passed: failed === 0 && !signal?.aborted,
      startedAt,
      durationMs: Math.round(clock.now() - started),
      assertions: {
        passed: checks.filter((r) => r.status === "passed").length,
        failed: checks.filter((r) => r.status === "failed").length,
      },
      steps: results,
    };
    log.info("scenario finished", { scenario: scenario.name, passed: report.passed, failed });
    return report;
  }
}
