/**
 * What a scenario step reports, and the context steps run in.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { ScenarioStepEvent } from "../core/event_catalogue.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";

/** Outcome of one step (published as `scenario.step`, with the scenario's name). */
export type StepResult = ScenarioStepEvent;

/** What a step itself decides; the runner adds position, timing and the BMC. */
export type StepOutcome = Omit<
  StepResult,
  "index" | "kind" | "name" | "bmc" | "atMs" | "durationMs"
>;

/** What a step runs with. */
export interface StepContext {
  /** The BMC it acts on. */
  readonly runtime: BmcRuntime;
  /** Event bus. */
  readonly bus: EventBus;
  /** Time source. */
  readonly clock: Clock;
  /** Seeds for fault rules that give none. */
  readonly randomSeed: () => number;
  /** Marks: label → last event id when set (`start`, `previous`, `step` and the scenario's). */
  readonly marks: Map<string, number>;
  /** Fault rules by the names given with `as`. */
  readonly rules: Map<string, string>;
  /** Aborts the run. */
  readonly signal: AbortSignal | undefined;
}

/** A step that cannot be done (the report shows the message). */
export class StepFailure extends Error {}

/**
 * Seconds for a report line.
 *
 * @param ms Milliseconds.
 * @returns e.g. `1.5 s`.
 */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The event id a mark stands for.
 *
 * @param since Mark label.
 * @param marks Marks.
 * @returns The id.
 * @throws {StepFailure} For an unknown mark.
 */
export function markId(since: string, marks: Map<string, number>): number {
  const id = marks.get(since);
  if (id === undefined) throw new StepFailure(`unknown mark "${since}"`);
  return id;
}
