/**
 * Schemas of the API's responses: the OpenAPI document's 2xx schemas, and
 * what `test/api/openapi_test.ts` checks real responses against.
 *
 * @module
 */

import { z } from "zod";
import {
  EVENT_SCHEMAS,
  faultRuleSchema,
  scenarioStepSchema,
  selRecordSchema,
  sensorSummarySchema,
} from "../core/event_catalogue.ts";
import { type BmcEventType, EVENT_TYPES } from "../core/events.ts";

const isoTime = z.string().describe("ISO 8601 time");
const hexText = z.string().describe("Hex, e.g. 0x0c");
const lastEventId = z.number().int().describe("Id of the newest event so far (for `after`)");

/** Every error: a message and, for validation errors, the field. */
export const errorResponse = z.object({
  error: z.string(),
  field: z.string().optional().describe("Offending field: body.action, query.timeout, …"),
  allow: z.array(z.string()).optional().describe("405: the methods the path has"),
}).describe("Error");

/** `GET /healthz`. */
export const healthResponse = z.object({
  status: z.literal("ok"),
  version: z.string(),
  bmcs: z.number().int(),
  connected: z.number().int(),
});

/** One entry of `GET /bmcs`. */
export const bmcSummaryResponse = z.object({
  id: z.string(),
  profile: z.string(),
  vm: z.string().describe("listen|connect and the endpoint"),
  connected: z.boolean(),
  power: z.string(),
  watchdogRunning: z.boolean(),
  selEntries: z.number().int(),
});

/** `GET /bmcs`. */
export const bmcListResponse = z.object({ bmcs: z.array(bmcSummaryResponse), lastEventId });

/** `DELETE /bmcs/{id}`. */
export const bmcRemovedResponse = z.object({
  removed: z.string().describe("The BMC id"),
  stateFile: z.string().nullable().describe("The state file it kept (null: it was in memory)"),
  lastEventId,
});

/** The watchdog, every field decoded. */
export const watchdogResponse = z.object({
  initialized: z.boolean(),
  running: z.boolean(),
  timerUse: z.union([z.string(), z.number()]),
  dontLog: z.boolean(),
  action: z.string(),
  pretimeoutInterrupt: z.string(),
  pretimeoutSeconds: z.number(),
  initialCountdownMs: z.number(),
  presentCountdownMs: z.number(),
  remainingMs: z.number().nullable(),
  pretimeoutFired: z.boolean(),
  expirationFlags: hexText,
});

/** A fault rule with its counters (the shape `fault.added` carries). */
export const faultRuleResponse = faultRuleSchema;

const connection = z.object({
  connected: z.boolean(),
  mode: z.enum(["listen", "connect"]),
  endpoint: z.record(z.string(), z.unknown()),
  peer: z.string().optional(),
  capabilities: z.array(z.string()).optional(),
  connectedSince: isoTime.optional(),
  requestsServed: z.number().int().optional(),
  droppedFrames: z.record(z.string(), z.number()).optional(),
  lastSeq: z.number().int().nullable().optional(),
});

/** `GET /bmcs/{id}`: everything about a BMC. */
export const bmcStateResponse = z.object({
  id: z.string(),
  profile: z.string(),
  connection,
  requestsServed: z.number().int(),
  power: z.object({
    state: z.string(),
    backend: z.string(),
    restartCause: z.object({ code: z.number().int(), name: z.string() }),
    restorePolicy: z.string(),
  }),
  watchdog: watchdogResponse,
  messageFlags: hexText,
  globalEnables: hexText,
  interface: z.object({
    attention: z.string(),
    irqEnabled: z.boolean(),
    eventBufferFull: z.boolean(),
    receiveQueue: z.number().int(),
    sticky: z.string().nullable(),
  }),
  sel: z.object({
    entries: z.number().int(),
    capacity: z.number().int(),
    overflow: z.boolean(),
    time: isoTime,
    store: z.string(),
  }),
  sensors: z.array(sensorSummarySchema),
  fru: z.array(z.number().int()),
  faults: z.array(faultRuleResponse),
  reset: z.object({
    origin: z.string(),
    mode: z.string(),
    durationMs: z.number(),
    elapsedMs: z.number(),
    remainingMs: z.number(),
  }).catchall(z.unknown()).nullable(),
  hang: z.object({
    mode: z.string(),
    origin: z.string(),
    elapsedMs: z.number(),
    remainingMs: z.number().nullable(),
    message: z.string().optional(),
    fetches: z.number().int().optional(),
  }).nullable(),
  firmware: z.object({ resetWatchdogCc: hexText.nullable() }),
  lastEventId,
});

/** A SEL record, decoded (the shape `sel.added` carries). */
export const selRecordResponse = selRecordSchema;

/** `GET /bmcs/{id}/sel`. */
export const selResponse = z.object({
  entries: z.number().int(),
  capacity: z.number().int(),
  overflow: z.boolean(),
  lastAdd: isoTime.nullable(),
  lastErase: isoTime.nullable(),
  records: z.array(selRecordResponse),
});

/** `DELETE /bmcs/{id}/sel`. */
export const selClearedResponse = z.object({
  cleared: z.literal(true),
  removed: z.number().int(),
});

/** `DELETE /bmcs/{id}/sel/{recordId}`. */
export const selDeletedResponse = z.object({ deleted: z.number().int() });

/** `POST /bmcs/{id}/chassis`. */
export const chassisResponse = z.object({
  action: z.string(),
  done: z.literal(true),
  power: z.string(),
  backend: z.string(),
  lastEventId,
});

/** `POST /bmcs/{id}/events`. */
export const eventInjectedResponse = z.object({
  recordId: z.number().int().nullable().describe("SEL record id, null when not logged"),
  eventBuffer: z.boolean().describe("Whether the event message buffer is full now"),
  lastEventId,
});

/** One event of a type as the streams and the long-poll deliver it. */
function eventOf<K extends BmcEventType>(type: K) {
  const name = type.split(/[.-]/).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
  return z.object({
    id: z.number().int(),
    time: isoTime,
    bmc: z.string(),
    type: z.literal(type),
    data: EVENT_SCHEMAS[type],
  }).meta({ id: `${name}Event` });
}

/**
 * One event as the streams and the long-poll deliver it: a `oneOf` keyed by
 * `type`, each with its payload's schema from the event catalogue.
 */
export const eventResponse = z.discriminatedUnion(
  "type",
  EVENT_TYPES.map(eventOf) as unknown as [
    ReturnType<typeof eventOf>,
    ...ReturnType<typeof eventOf>[],
  ],
).meta({ id: "BmcEvent" });

/** `POST /bmcs/{id}/guest-reports`. */
export const guestReportResponse = z.object({ id: z.number().int().describe("Event id") });

/** `GET /bmcs/{id}/faults`. */
export const faultListResponse = z.object({ rules: z.array(faultRuleResponse) });

/** `DELETE /bmcs/{id}/faults/{ruleId}`. */
export const faultRemovedResponse = z.object({ removed: z.string() });

/** `DELETE /bmcs/{id}/faults`. */
export const faultsClearedResponse = z.object({
  removed: z.number().int().describe("How many rules"),
});

/** `POST /bmcs/{id}/reset`. */
export const resetResponse = EVENT_SCHEMAS["bmc.reset"].omit({ origin: true }).extend({
  endsAt: isoTime,
  lastEventId,
});

/** `POST /bmcs/{id}/hang`. */
export const hangStartedResponse = z.object({
  mode: z.string(),
  message: z.string().optional(),
  channel: z.string().optional().describe("The only interface that hangs (absent: both)"),
  durationMs: z.number().int().nullable(),
  lastEventId,
});

/** `DELETE /bmcs/{id}/hang`. */
export const hangReleasedResponse = z.object({
  released: z.string(),
  durationMs: z.number().int(),
  lastEventId,
});

/** A sensor with its reading, thresholds and asserted events. */
export const sensorResponse = z.object({
  name: z.string(),
  number: z.number().int(),
  type: z.string(),
  entity: z.object({ id: z.number().int(), instance: z.number().int() }),
  eventsEnabled: z.boolean(),
  scanningEnabled: z.boolean(),
  kind: z.enum(["threshold", "discrete"]),
  value: z.number().optional(),
  raw: z.number().int().optional(),
  unit: z.string().optional(),
  thresholds: z.record(z.string(), z.number()).optional(),
  hysteresis: z.object({ positive: z.number(), negative: z.number() }).optional(),
  assertedOffsets: z.array(z.number().int()).optional(),
  state: z.array(z.number().int()).optional(),
});

/** `GET /bmcs/{id}/sensors`. */
export const sensorListResponse = z.object({ sensors: z.array(sensorResponse) });

/** `PUT /bmcs/{id}/sensors/{sensor}`. */
export const sensorUpdatedResponse = z.object({
  sensor: sensorResponse,
  events: z.number().int().describe("Events logged by the change"),
});

/** `GET /bmcs/{id}/sdr`. */
export const sdrResponse = z.object({
  records: z.array(z.object({
    id: z.number().int(),
    type: z.number().int(),
    hex: z.string(),
  })),
});

/** `GET /bmcs/{id}/fru`. */
export const fruResponse = z.object({
  devices: z.array(z.object({
    id: z.number().int(),
    name: z.string(),
    size: z.number().int(),
    hex: z.string(),
  })),
});

/** One step of a scenario report (the shape `scenario.step` carries). */
const scenarioStep = scenarioStepSchema;

/** `POST /scenarios`: the report. */
export const scenarioReportResponse = z.object({
  scenario: z.string(),
  description: z.string(),
  passed: z.boolean(),
  startedAt: isoTime,
  durationMs: z.number().int(),
  assertions: z.object({ passed: z.number().int(), failed: z.number().int() }),
  steps: z.array(scenarioStep),
});

/**
 * `POST /scenarios` with `Accept: application/x-ndjson`: a start line, one
 * line per step as it completes, then the report.
 */
export const scenarioLineResponse = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    scenario: z.string(),
    description: z.string(),
    steps: z.number().int().describe("How many steps the run has"),
  }),
  scenarioStep.extend({ type: z.literal("step") }),
  scenarioReportResponse.extend({ type: z.literal("report") }),
]);

/** `GET /api/v1/openapi.json`. */
export const openApiResponse = z.object({
  openapi: z.string(),
  info: z.object({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
