/**
 * The JSON form of fault rules and BMC resets, shared by the API, `ctl`,
 * scenarios and the config file. Netfns and commands may be names
 * (`app`, `get-device-id`) or numbers; numbers may be hex strings.
 *
 * @module
 */

import { SchemaError } from "../util/schema_error.ts";
import { z } from "zod";
import { knownCommandNames, parseCommand, parseHexBytes, parseNetFn } from "../codec/names.ts";
import { OUTAGE_MODES, type ResetPlan } from "../core/bmc_reset.ts";
import type { Quirks } from "../core/config.ts";
import {
  CORRUPT_KINDS,
  type FaultAction,
  type FaultMatch,
  type FaultRuleSpec,
  REQUEST_CHANNELS,
  UNSAFE_SEQ_POLICIES,
} from "../core/faults.ts";
import { byteValue } from "../profile/byte_value.ts";

const bytesValue = z.union([
  z.array(byteValue),
  z.string().transform((s, ctx) => {
    const bytes = parseHexBytes(s);
    if (bytes === null) {
      ctx.addIssue({ code: "custom", message: 'must be bytes in hex such as "01 02"' });
      return z.NEVER;
    }
    return bytes;
  }),
]);

const nameOrByte = z.union([
  byteValue,
  z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a name or a number"),
]);

const matchFields = {
  netfn: nameOrByte.optional().describe(
    "Network function: app, chassis, storage, sensor-event, … or a number",
  ),
  cmd: nameOrByte.optional().describe(
    "Command: get-device-id, reset-watchdog-timer, … or a number",
  ),
  command: z.string().regex(
    /^[a-z0-9-]+\/[a-z0-9-]+$/,
    "must be netfn/command such as app/get-device-id",
  ).optional(),
  data: bytesValue.optional().describe("Request data prefix"),
};

/** Which interface a request came in on, in rules and hangs. */
export const channelField = z.enum(REQUEST_CHANNELS).optional().describe(
  "Interface: system (the host's KCS/BT/SSIF) or lan (IPMI over LAN sessions); default: both",
);

// The object first: an object with a bad field is reported by that field.
const matchSchema = z.union([
  z.object({ channel: channelField, ...matchFields }).strict(),
  z.literal("any"),
]).default("any");

const actionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("error"), cc: byteValue.describe("Completion code to answer") })
    .strict(),
  z.object({ type: z.literal("delay"), ms: z.number().int().min(1).max(600_000) }).strict(),
  z.object({
    type: z.literal("drop"),
    unsafeSeq: z.enum(UNSAFE_SEQ_POLICIES).default("hang").describe(
      "For seq A0/A1/AA QEMU's own 0xC3 is lost and the guest hangs (hang, faithful); answer-c3: the BMC answers 0xC3 just before QEMU's 4 s",
    ),
  }).strict(),
  z.object({
    type: z.literal("corrupt"),
    how: z.enum(CORRUPT_KINDS).default("checksum"),
  }).strict(),
  z.object({ type: z.literal("duplicate"), gapMs: z.number().int().min(0).max(600_000).default(0) })
    .strict(),
]);

const nameField = z.string().max(100).optional();
const ruleFields = {
  action: actionSchema,
  skip: z.number().int().min(0).default(0).describe("Matches to let through first"),
  count: z.number().int().min(1).nullable().default(null).describe("Fire at most this many times"),
  probability: z.number().min(0).max(1).default(1).describe(
    "Chance of firing on an eligible match",
  ),
  seed: z.number().int().min(0).max(0xffffffff).optional().describe(
    "Seed of the rule's generator (same seed, same hits)",
  ),
  until: z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]).optional().describe(
    "End time: ISO 8601 or epoch ms",
  ),
  durationMs: z.number().int().min(1).optional().describe("Lifetime from creation"),
};

/**
 * A fault rule as JSON (API, scenarios and the config file's `bmcs[].faults`);
 * its match may name the interface (`"channel": "lan"` or `"system"`).
 */
export const faultRuleSchema = z.object({ name: nameField, match: matchSchema, ...ruleFields })
  .strict();

/** A fault rule as written. */
export type FaultRuleInput = z.input<typeof faultRuleSchema>;

/** Problems in a rule that the schema cannot see (unknown names). */
export class FaultRuleError extends SchemaError {
  /**
   * Create the error.
   *
   * @param field Offending field (`match.cmd`).
   * @param problem What is wrong, to follow the field name.
   */
  constructor(field: string, problem: string) {
    super("fault rule", "", field, problem);
    this.name = "FaultRuleError";
  }
}

function resolveMatch(m: z.output<typeof matchSchema>): FaultMatch {
  if (m === "any") return {};
  let netfnRef = m.netfn;
  let cmdRef = m.cmd;
  if (m.command !== undefined) {
    if (netfnRef !== undefined || cmdRef !== undefined) {
      throw new FaultRuleError("match.command", "excludes match.netfn and match.cmd");
    }
    [netfnRef, cmdRef] = m.command.split("/") as [string, string];
  }
  const out: {
    channel?: "system" | "lan";
    netfn?: number;
    cmd?: number;
    dataPrefix?: Uint8Array;
  } = {};
  if (m.channel !== undefined) out.channel = m.channel;
  if (netfnRef !== undefined) {
    const netfn = parseNetFn(netfnRef);
    if (netfn === undefined) {
      throw new FaultRuleError(
        "match.netfn",
        `names unknown network function "${netfnRef}"`,
      );
    }
    out.netfn = netfn;
  }
  if (cmdRef !== undefined) {
    if (out.netfn === undefined && typeof cmdRef === "string") {
      throw new FaultRuleError("match.cmd", "by name needs match.netfn");
    }
    const cmd = parseCommand(out.netfn ?? 0, cmdRef);
    if (cmd === undefined) {
      const known = knownCommandNames().filter((n) => n.startsWith(`${netfnRef}/`)).slice(0, 8)
        .join(", ");
      throw new FaultRuleError(
        "match.cmd",
        `names unknown command "${cmdRef}" (known: ${known}, …)`,
      );
    }
    out.cmd = cmd;
  }
  if (m.data !== undefined) out.dataPrefix = Uint8Array.from(m.data);
  return out;
}

/**
 * Turn a validated rule into the engine's form.
 *
 * @param rule Parsed rule.
 * @param randomSeed Seed to use when the rule gives none (recorded in the rule).
 * @returns The rule spec.
 * @throws {FaultRuleError} For unknown names.
 */
export function resolveFaultRule(
  rule: z.output<typeof faultRuleSchema>,
  randomSeed: () => number,
): FaultRuleSpec {
  const action: FaultAction = rule.action;
  return {
    ...(rule.name === undefined ? {} : { name: rule.name }),
    match: resolveMatch(rule.match),
    action,
    limits: {
      skip: rule.skip,
      count: rule.count,
      probability: rule.probability,
      seed: rule.seed ?? randomSeed(),
      untilWallMs: rule.until === undefined
        ? null
        : typeof rule.until === "number"
        ? rule.until
        : Date.parse(rule.until),
      durationMs: rule.durationMs ?? null,
    },
  };
}

/** A BMC reset as JSON. */
export const resetSchema = z.object({
  mode: z.enum(OUTAGE_MODES).optional().describe(
    "disconnect: close the VM link and refuse reconnects; busy: answer every request with busyCc; silent: answer nothing (default: the profile's)",
  ),
  durationMs: z.number().int().min(0).max(3_600_000).optional().describe(
    "Outage length (default: the profile's)",
  ),
  busyCc: byteValue.optional().describe("Code answered in busy mode (default: the profile's)"),
  watchdog: z.enum(["forget", "keep"]).default("forget").describe(
    "forget: the timer stops and Reset answers 0x80 until the next Set (spec); keep: it keeps counting",
  ),
  after: z.union([
    z.literal("spec"),
    z.object({
      resetWatchdogCc: byteValue.describe(
        "Broken firmware: Reset Watchdog Timer answers this forever",
      ),
    }).strict(),
  ]).default("spec"),
}).strict();

/** A reset as written. */
export type ResetInput = z.input<typeof resetSchema>;

/**
 * Turn a validated reset into a plan, filling defaults from the profile.
 *
 * @param r Parsed reset.
 * @param quirks The BMC's quirks.
 * @returns The plan.
 */
export function resolveReset(r: z.output<typeof resetSchema>, quirks: Quirks): ResetPlan {
  return {
    mode: r.mode ?? quirks.resetMode,
    durationMs: r.durationMs ?? quirks.resetDurationMs,
    busyCc: r.busyCc ?? quirks.resetBusyCc,
    watchdog: r.watchdog,
    resetWatchdogCc: r.after === "spec" ? null : r.after.resetWatchdogCc,
  };
}

/** Random 32-bit seed (at the edge: the core never draws randomness). */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}
