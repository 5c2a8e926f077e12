/**
 * The typed event catalogue: for every event type, the payload's schema
 * (zod). The payload types are inferred from it (`EventPayload<K>`), so
 * `EventSink.emit()` and `EventBus.publish()` check every payload against
 * the same source the OpenAPI document's event schemas (a `oneOf` keyed by
 * `type`) and the docs' list of types are made from; a type in
 * `EVENT_TYPES` without a schema here does not compile.
 *
 * Conventions: durations are integer milliseconds (`durationMs`,
 * `delayMs`) but for `ipmi.response`'s `latencyMs`, measured to the
 * microsecond; a command is named `netfn/command` (`app/get-device-id`);
 * bytes are hex (`data`); the VM peer is `peer`; a SEL record is
 * `recordId`, a fault rule `ruleId`, a sensor `name` and `number`; what
 * asked for something is `origin`, the IPMI interface `channel`.
 *
 * @module
 */

import { z } from "zod";
import { OUTAGE_MODES } from "./bmc_reset.ts";
import { POWER_ORIGINS, POWER_STATES } from "./chassis.ts";
import type { BmcEventType } from "./events.ts";
import { CORRUPT_KINDS, REQUEST_CHANNELS, UNSAFE_SEQ_POLICIES } from "./faults.ts";
import { HANG_MODES } from "./hang.ts";
import { ATTENTION_STATES, HOST_ACTIONS, POWER_OPS } from "./ports.ts";

const int = () => z.number().int();
const ms = (what: string) => int().describe(`${what}, ms`);
const hex = (what: string) => z.string().describe(`${what}, hex`);
const isoTime = z.string().describe("ISO 8601 time");
const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
const command = z.string().describe("The request's command (`app/get-device-id`)");
const peer = z.string().describe("The VM peer (address:port)");
const powerOp = z.enum(POWER_OPS);

/** A SEL record, decoded (`sel.added`, and the API's SEL). */
export const selRecordSchema = z.object({
  id: int().describe("Record id"),
  recordType: int(),
  kind: z.string().describe("`system-event`, `oem-timestamped` or `oem-non-timestamped`"),
  timestamp: isoTime.optional(),
  timestampSeconds: int().optional(),
  generatorId: int().optional(),
  sensorType: int().optional(),
  sensorNumber: int().optional(),
  direction: z.enum(["assertion", "deassertion"]).optional(),
  eventType: int().optional(),
  eventData: list(int()).optional().describe("Event data 1–3"),
  offset: int().optional(),
  description: z.string().optional().describe("What the event means, where known"),
  raw: z.string().describe("The 16 bytes, hex"),
});

/** What a fault rule does (`fault.added`, and the API's rules). */
export const faultActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("error"), cc: int().describe("Completion code answered") }),
  z.object({ type: z.literal("delay"), ms: ms("Delay of the reply") }),
  z.object({ type: z.literal("drop"), unsafeSeq: z.enum(UNSAFE_SEQ_POLICIES) }),
  z.object({ type: z.literal("corrupt"), how: z.enum(CORRUPT_KINDS) }),
  z.object({ type: z.literal("duplicate"), gapMs: ms("Gap between the two replies") }),
]);

/** A fault rule with its counters (`fault.added`, and the API's rules). */
export const faultRuleSchema = z.object({
  id: z.string().describe("Rule id (`f1`)"),
  name: z.string().optional().describe("Label, if given"),
  match: z.union([z.literal("any"), z.record(z.string(), z.union([z.string(), z.number()]))])
    .describe("What it matches (`command` as `netfn/command`, `dataPrefix` hex), or `any`"),
  action: faultActionSchema,
  limits: z.object({
    skip: int(),
    count: int().nullable(),
    probability: z.number(),
    seed: int(),
    until: isoTime.optional(),
    durationMs: ms("Lifetime").optional(),
  }),
  hits: int().describe("Firings so far"),
  matched: int().describe("Matches so far"),
  createdAt: isoTime,
  expiresAt: isoTime.nullable(),
});

/** A sensor's present state (`sensor.changed`, and the API's state). */
export const sensorSummarySchema = z.discriminatedUnion("kind", [
  z.object({
    name: z.string().describe("Sensor name (`Inlet Temp`)"),
    number: int(),
    origin: z.string().optional().describe("What changed it (`api`, `ipmi`, `dynamics`, …)"),
    kind: z.literal("threshold"),
    value: z.number().describe("Reading in the sensor's unit"),
    raw: int().describe("Raw byte"),
    asserted: list(int()).describe("Asserted threshold offsets"),
  }),
  z.object({
    name: z.string(),
    number: int(),
    origin: z.string().optional(),
    kind: z.literal("discrete"),
    state: list(int()).describe("Asserted state offsets"),
  }),
]);

/** The statuses of a scenario step. */
export const STEP_STATUSES = ["done", "passed", "failed", "skipped"] as const;

/** One scenario step's outcome (`scenario.step`, and the API's report). */
export const scenarioStepSchema = z.object({
  index: int().describe("Position in the scenario"),
  kind: z.string().describe("Step kind (`wait`, `assert`, `reset`, …)"),
  name: z.string().optional(),
  bmc: z.string().describe("BMC it acted on"),
  status: z.enum(STEP_STATUSES).describe(
    "`done` for actions, `passed`/`failed` for waits and assertions, `skipped` after an abort",
  ),
  detail: z.string().describe("What happened"),
  atMs: ms("Start, after the scenario started"),
  durationMs: ms("How long it took"),
  event: z.object({ id: int(), type: z.string(), time: isoTime }).optional()
    .describe("The event that decided it, if any"),
});

/** `ipmi.response`: a reply on the VM link (or, with `channel`, another interface). */
const ipmiResponse = z.object({
  seq: int().describe("Seq the reply carries"),
  command,
  cc: int().describe("Completion code"),
  ccName: z.string(),
  data: hex("Response data"),
  delayMs: ms("How long the reply was held back (delay fault)"),
  latencyMs: z.number().describe("Request arrival to reply write, ms (to the microsecond)"),
  wire: z.string().optional().describe(
    "What the wire did to it: `corrupt-…`, `duplicate`, `wedge` (wrong seq), `released`",
  ),
  heldSeq: int().optional().describe("For `wedge`: the seq of the request whose reply is held"),
  channel: z.string().optional().describe("Interface other than the VM link's (`lan`)"),
});

/** The watchdog's settings, the action and the interrupt by name. */
const watchdog = z.object({
  use: int().describe("Timer use (1 BIOS FRB2 … 4 SMS/OS)"),
  action: z.string().describe("Expiry action (`none`, `hard-reset`, `power-down`, `power-cycle`)"),
  pretimeoutInterrupt: z.string().describe("`none`, `smi`, `nmi`, `messaging`"),
  pretimeoutSeconds: int(),
  initialCountdown: int().describe("In the 100 ms units Set Watchdog Timer carries"),
  initialCountdownMs: ms("Initial countdown"),
  dontLog: z.boolean().describe("Don't log the expiry in the SEL"),
});

/** A host action sent to QEMU, by the VM link (with its peer) or QMP (with the operation). */
const hostAction = z.discriminatedUnion("backend", [
  z.object({ backend: z.literal("vm"), peer }),
  z.object({ backend: z.literal("qmp"), op: powerOp }),
]);

const firedBase = {
  ruleId: z.string(),
  action: z.string().describe("The action's type (`error`, `delay`, `drop`, …)"),
  fired: int().describe("Firings of the rule so far, this one included"),
};

/** `fault.fired`: a rule fired, for an IPMI request or a Redfish one. */
const faultFired = z.union([
  z.object({
    ...firedBase,
    channel: z.enum(REQUEST_CHANNELS).describe("Interface the request arrived on"),
    name: z.string().optional().describe("The rule's label, if given"),
    command,
    data: hex("Request data"),
  }),
  z.object({
    ...firedBase,
    channel: z.literal("redfish"),
    method: z.string(),
    path: z.string(),
  }),
]);

/** Payload schema of each event type. */
export const EVENT_SCHEMAS = {
  "vm.connected": z.object({ peer }),
  "vm.disconnected": z.object({ peer, reason: z.string(), requests: int() }),
  "vm.refused": z.object({ peer, reason: z.string() }),
  "vm.capabilities": z.object({ peer, raw: int(), capabilities: list(z.string()) }),
  "vm.frame-dropped": z.object({
    peer,
    reason: z.string().describe("Why (`checksum`, `too-short`, `oversize`, …)"),
    frame: hex("The frame"),
    bytes: int(),
    total: int().describe("Frames dropped for this reason so far"),
  }),
  "vm.reply-suppressed": z.object({ seq: int(), command }),
  "ipmi.request": z.object({
    seq: int(),
    netfn: int(),
    cmd: int(),
    command,
    data: hex("Request data"),
    channel: z.string().optional().describe("Interface (`system`, `lan`)"),
    session: int().optional().describe("LAN session"),
    user: z.string().nullable().optional().describe("LAN user"),
  }),
  "ipmi.response": ipmiResponse,
  "host.attention": z.object({ state: z.enum(ATTENTION_STATES) }),
  "host.irq": z.object({ enabled: z.boolean() }),
  "host.nmi": hostAction,
  "host.reset": hostAction,
  "host.power-off": hostAction,
  "host.graceful-shutdown": hostAction,
  "host.unsupported": z.object({
    action: z.union([z.enum(HOST_ACTIONS), powerOp]),
    reason: z.string(),
  }).describe("A host action or watchdog power operation that could not be carried out"),
  "watchdog.set": watchdog.extend({
    dontStop: z.boolean(),
    clearFlags: int(),
    running: z.boolean(),
  }),
  "watchdog.reset": z.object({
    initialCountdown: int(),
    initialCountdownMs: ms("Initial countdown"),
    expiresInMs: ms("Time to expiry"),
  }),
  "watchdog.pretimeout": watchdog.extend({ delivered: z.boolean().optional() }),
  "watchdog.expired": watchdog,
  "watchdog.stopped": z.object({ reason: z.string() }),
  "sel.added": z.object({
    source: z.string().describe("Who logged it (`ipmi`, `api`, `sensor`, `watchdog`, …)"),
    record: selRecordSchema,
  }),
  "sel.deleted": z.object({ recordId: int(), reason: z.enum(["deleted", "overwritten"]) }),
  "sel.cleared": z.object({ removed: int() }),
  "sel.full": z.object({ capacity: int(), source: z.string() }),
  "power.changed": z.object({
    from: z.enum(POWER_STATES),
    to: z.enum(POWER_STATES),
    cause: z.string(),
  }),
  "chassis.control": z.object({
    op: powerOp.describe("The backend operation"),
    origin: z.enum(POWER_ORIGINS),
    backend: z.string().describe("`vm`, `qmp`, `none`, …"),
  }),
  "bmc.reset": z.object({
    origin: z.string(),
    mode: z.enum(OUTAGE_MODES),
    durationMs: ms("Outage"),
    busyCc: int().describe("Code answered in `busy` mode"),
    watchdog: z.enum(["forget", "keep"]),
    resetWatchdogCc: int().nullable().describe(
      "After the outage Reset Watchdog Timer answers this code (broken firmware), or null",
    ),
  }),
  "bmc.ready": z.object({ origin: z.string(), firmware: z.string() }),
  "bmc.added": z.object({ profile: z.string(), vm: z.string() }),
  "bmc.removed": z.object({ stateFile: z.string().nullable() }),
  "fault.added": z.object({ rule: faultRuleSchema }),
  "fault.removed": z.object({
    ruleId: z.string(),
    reason: z.string().describe("`removed`, `cleared`, `expired`, `count reached`"),
    matched: int(),
    fired: int(),
  }),
  "fault.fired": faultFired,
  "hang.started": z.object({
    mode: z.enum(HANG_MODES),
    origin: z.string(),
    durationMs: ms("Automatic release").nullable(),
    message: z.string().optional(),
    channel: z.string().optional(),
  }),
  "hang.released": z.object({
    mode: z.enum(HANG_MODES),
    reason: z.string(),
    durationMs: ms("How long it lasted"),
    heldReply: z.boolean(),
    fetches: int().optional(),
    cc: int().optional(),
  }),
  "sensor.changed": sensorSummarySchema,
  "sensor.event": z.object({
    name: z.string(),
    number: int(),
    offset: int(),
    assertion: z.boolean(),
    data: hex("Event data 1–3"),
    recordId: int().nullable().describe("SEL record, null when not logged"),
  }),
  "event-buffer.full": z.object({}).strict(),
  "scenario.step": scenarioStepSchema.extend({ scenario: z.string() }),
  "guest.report": z.object({
    kind: z.string().describe("`dmesg`, `watchdog-write`, `d-state`, `counters`, …"),
  }).catchall(z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .describe("A fact about the guest kernel: a kind and flat fields"),
} satisfies Record<BmcEventType, z.ZodType>;

/** Payload of each event type. */
export type BmcEvents = { [K in BmcEventType]: z.infer<typeof EVENT_SCHEMAS[K]> };

/** The payload of an event type. */
export type EventPayload<K extends BmcEventType> = BmcEvents[K];

/** `ipmi.response`'s payload. */
export type IpmiResponseEvent = z.infer<typeof ipmiResponse>;

/** The watchdog's settings in `watchdog.set`, `watchdog.pretimeout` and `watchdog.expired`. */
export type WatchdogEvent = z.infer<typeof watchdog>;

/** The event types of host actions. */
export type HostActionEventType =
  | "host.nmi"
  | "host.reset"
  | "host.power-off"
  | "host.graceful-shutdown";

/** `scenario.step` without the scenario's name: one step's outcome. */
export type ScenarioStepEvent = z.infer<typeof scenarioStepSchema>;
