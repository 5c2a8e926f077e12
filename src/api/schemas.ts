/**
 * Schemas of request bodies and queries; the same objects validate requests
 * and generate the OpenAPI document. Numbers may be given as hex strings.
 *
 * @module
 */

import { z } from "zod";
import { parseHexBytes } from "../codec/names.ts";
import { POWER_ACTION_NAMES } from "../core/power_actions.ts";
import { byteValue } from "../profile/byte_value.ts";
import { DURATION_ANY, parseDuration } from "../util/duration.ts";

/** Body of `POST /bmcs/{id}/chassis`. */
export const chassisBody = z.object({
  action: z.enum(POWER_ACTION_NAMES).describe(
    "The same paths as Chassis Control",
  ),
}).strict();

/** A system event (Platform Event Message fields). */
export const eventBody = z.object({
  sensorType: byteValue.describe("Sensor type (0x23 Watchdog 2, 0x20 OS Critical Stop, ...)"),
  sensorNumber: byteValue.default(0),
  eventType: byteValue.default(0x6f).describe(
    "Event/reading type; 0x6F sensor-specific, 0x01 threshold",
  ),
  direction: z.enum(["assertion", "deassertion"]).default("assertion"),
  eventData: z.array(byteValue).min(1).max(3).describe("Event data 1-3; data 1 carries the offset"),
  generatorId: byteValue.default(0x20).describe("Generator ID byte 1 (0x20 the BMC, 0x41 Linux)"),
  evmRev: byteValue.default(0x04),
}).strict();

const hexRecord = z.string().transform((s, ctx) => {
  const bytes = parseHexBytes(s);
  if (bytes === null || bytes.length !== 16) {
    ctx.addIssue({ code: "custom", message: "must be 16 bytes of hex" });
    return z.NEVER;
  }
  return Uint8Array.from(bytes);
});

/** Body of `POST /bmcs/{id}/sel`: raw bytes or an event. */
export const selAddBody = z.union([
  z.object({ raw: hexRecord.describe("16 record bytes; id and timestamp are assigned by the SEL") })
    .strict(),
  eventBody,
]);

/** A duration such as `60s`, `500ms`, `2m` or `30` (seconds). */
export const duration = z.string()
  .regex(DURATION_ANY, "must be a duration such as 60s, 500ms or 2m")
  .transform((s) => parseDuration(s, "s")!)
  .refine((ms) => ms <= 3_600_000, "must be at most 1 hour");

/** Query of the long-poll. */
export const waitQuery = z.object({
  type: z.string().min(1).describe("Event type(s) to wait for, comma-separated; group.* allowed"),
  timeout: duration.prefault("30s").describe("How long to wait (default 30s)"),
  after: z.string().regex(/^\d+$/, "must be an event id").transform(Number).optional().describe(
    "Also consider retained events after this id",
  ),
});

/** Query of the event streams. */
export const streamQuery = z.object({
  types: z.string().optional().describe("Event types to deliver, comma-separated; group.* allowed"),
  lastEventId: z.string().regex(/^\d+$/, "must be an event id").optional().describe(
    "Replay after this id (like the Last-Event-ID header)",
  ),
});

/** Path parameter: a SEL record id (decimal or hex). */
export const recordIdParam = z.string().regex(
  /^(0x[0-9a-fA-F]{1,4}|\d{1,5})$/,
  "must be a record id such as 12 or 0x000c",
)
  .transform((s) => parseInt(s, s.startsWith("0x") || s.startsWith("0X") ? 16 : 10))
  .refine((n) => n >= 1 && n <= 0xfffe, "must be between 1 and 65534");
