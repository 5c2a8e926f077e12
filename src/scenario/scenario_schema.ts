/**
 * The scenario file format: a time line of steps against one or more BMCs
 * of a live bmc-emu, validated by a schema.
 *
 * @module
 */

import { SchemaError } from "../util/schema_error.ts";
import { z } from "zod";
import { isEventGroup, isEventType } from "../core/events.ts";
import { faultRuleSchema, resetSchema } from "../faults/fault_schema.ts";
import { hangSchema, releaseSchema } from "../faults/hang_schema.ts";
import { describeIssue, formatIssuePath, primaryIssue } from "../profile/parse_profile.ts";
import { byteValue } from "../profile/byte_value.ts";
import { regexText } from "../profile/regex_text.ts";
import { DURATION_WITH_UNIT, parseDuration } from "../util/duration.ts";
import { POWER_ACTION_SHORT_NAMES } from "../core/power_actions.ts";

/** A duration: `60s`, `500ms`, `2m`, or a number of milliseconds. */
export const durationSchema = z.union([
  z.number().int().min(0).max(86_400_000),
  z.string()
    .regex(DURATION_WITH_UNIT, "must be a duration such as 60s, 500ms or 2m")
    .transform((s) => parseDuration(s, null)!),
]);

const eventType = z.string().refine(
  (t) => isEventType(t) || isEventGroup(t),
  "must be a known event type or group.*",
);

/** Fields the event's data must contain (deep subset match). */
const where = z.record(z.string(), z.unknown()).optional().describe(
  "Fields the event data must contain",
);

const since = z.string().default("previous").describe(
  'Events from when: "previous" (default: since the previous step began, so an action\'s own events count), "step", "start", or a mark label',
);

/** What a console line must be: the exact line, or operators such as `{"$match": "Kernel panic"}`. */
const consoleLine = z.union([
  z.string().describe("The exact line"),
  z.object({
    $match: regexText.optional().describe(
      "Regular expression the line contains",
    ),
    $not: z.unknown().optional().describe("What the line must not be"),
  }).strict(),
]);

const assertion = z.union([
  z.object({
    event: eventType,
    within: durationSchema,
    where,
    since,
  }).strict(),
  z.object({
    noEvent: eventType,
    for: durationSchema,
    where,
    since: z.string().optional().describe(
      "Also fail on matching events since this mark (start, previous, step or a label); default: only events from now on",
    ),
  }).strict(),
  z.object({
    console: consoleLine.describe(
      "A line of the BMC's serial console (what SOL shows): the ring's lines, then each new one until within ends",
    ),
    within: durationSchema,
    since: z.enum(["ring", "step"]).default("ring").describe(
      "ring (default): the lines the console ring still holds count too; step: only output written after the step began",
    ),
  }).strict(),
  z.object({
    state: z.string().min(1).describe(
      "Dotted path into GET /api/v1/bmcs/{id}, e.g. watchdog.running",
    ),
    equals: z.unknown(),
    within: durationSchema.optional().describe("Poll until it holds (default: check once)"),
    for: durationSchema.optional().describe("It must hold continuously this long"),
  }).strict(),
]);

const eventInject = z.object({
  sensorType: byteValue,
  sensorNumber: byteValue.default(0),
  eventType: byteValue.default(0x6f),
  direction: z.enum(["assertion", "deassertion"]).default("assertion"),
  eventData: z.array(byteValue).min(1).max(3),
  generatorId: byteValue.default(0x20),
}).strict();

const stepBase = {
  name: z.string().optional().describe("What this step means (printed in the report)"),
  bmc: z.string().optional().describe("BMC id (default: the scenario's)"),
};

/** One step. */
export const stepSchema = z.union([
  z.object({ ...stepBase, sleep: durationSchema }).strict(),
  z.object({
    ...stepBase,
    wait: z.object({ event: eventType, timeout: durationSchema, where, since }).strict(),
  }).strict(),
  z.object({ ...stepBase, mark: z.string().min(1) }).strict(),
  z.object({
    ...stepBase,
    fault: z.union([
      z.object({ add: faultRuleSchema, as: z.string().optional() }).strict(),
      z.object({ remove: z.string().min(1) }).strict(),
      z.object({ clear: z.literal(true) }).strict(),
    ]),
  }).strict(),
  z.object({ ...stepBase, reset: resetSchema }).strict(),
  z.object({ ...stepBase, power: z.enum(POWER_ACTION_SHORT_NAMES) })
    .strict(),
  z.object({ ...stepBase, inject: eventInject }).strict(),
  z.object({ ...stepBase, hang: hangSchema }).strict(),
  z.object({ ...stepBase, release: releaseSchema }).strict(),
  z.object({
    ...stepBase,
    assert: assertion,
    description: z.string().optional().describe("What a pass means, printed in the report"),
    failure: z.string().optional().describe("What a failure means, printed in the report"),
  }).strict(),
]);

/**
 * What the guest runs, for harnesses that boot one (`tools/run_scenario.ts`);
 * the BMC-side runner ignores it.
 */
export const guestSchema = z.object({
  iface: z.enum(["kcs", "bt", "ssif"]).default("kcs"),
  boot: z.string().optional().describe("Boot script (default: load-ipmi <iface>)"),
  setup: z.array(z.string()).default([]).describe("Guest commands run once the guest is up"),
  on: z.array(
    z.object({
      event: eventType,
      where,
      run: z.string().describe("Guest command run (in the background) when the event happens"),
    }).strict(),
  ).default([]).describe("Guest commands triggered by BMC events"),
  expect: z.record(z.string(), z.string()).default({}).describe(
    "Measured outcome per kernel line (6.1, 6.12, 7.2), for the report",
  ),
}).strict();

/** A scenario file. */
export const scenarioSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().min(1),
  description: z.string().default(""),
  bmc: z.string().default("bmc0").describe("Default BMC of the steps"),
  guest: guestSchema.optional(),
  steps: z.array(stepSchema).min(1),
}).strict();

/** A validated scenario. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A validated step. */
export type Step = z.output<typeof stepSchema>;

/** A scenario that cannot be used; names the field. */
export class ScenarioError extends SchemaError {
  /**
   * Create the error.
   *
   * @param source File or "request".
   * @param field Field path.
   * @param problem Problem.
   */
  constructor(source: string, field: string, problem: string) {
    super("scenario", source, field, problem);
    this.name = "ScenarioError";
  }
}

/**
 * Validate a scenario document.
 *
 * @param json Parsed JSON.
 * @param source File name for errors.
 * @returns The scenario.
 * @throws {ScenarioError} Naming the first problem.
 */
export function parseScenario(json: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = primaryIssue(result.error);
  throw new ScenarioError(source, formatIssuePath(issue.path), describeIssue(issue));
}
