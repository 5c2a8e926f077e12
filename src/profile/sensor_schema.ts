/**
 * The sensors and FRU devices a profile declares: the JSON form, from which
 * the BMC builds its SDR repository, sensor model and FRU images.
 *
 * @module
 */

import { z } from "zod";
import {
  ENTITY_IDS,
  EVENT_READING_TYPES,
  SENSOR_TYPES,
  SENSOR_UNITS,
  THRESHOLDS,
} from "../codec/sensor_constants.ts";
import { byteValue } from "./byte_value.ts";

/**
 * The keys of a name → number table, as a zod enum's values.
 *
 * @param table The table.
 * @returns Its keys.
 */
export function keys<T extends Record<string, unknown>>(
  table: T,
): [keyof T & string, ...(keyof T & string)[]] {
  return Object.keys(table) as [keyof T & string, ...(keyof T & string)[]];
}

/** A name from a table, or the number itself. */
function named<T extends Record<string, number>>(table: T, what: string) {
  return z.union([byteValue, z.enum(keys(table))]).describe(
    `${what}: a name (${Object.keys(table).slice(0, 6).join(", ")}, …) or a number`,
  );
}

const entitySchema = z.union([
  z.enum(keys(ENTITY_IDS)),
  z.object({
    id: named(ENTITY_IDS, "Entity id"),
    instance: z.number().int().min(0).max(127).default(1),
  }).strict(),
]).default("system-board").describe(
  'Entity the sensor belongs to: a name ("system-board") or {"id", "instance"}',
);

/** Linear conversion factors given explicitly (IPMI v2.0 §36.3). */
const factorsSchema = z.object({
  m: z.number().int().min(-512).max(511),
  b: z.number().int().min(-512).max(511).default(0),
  bExp: z.number().int().min(-8).max(7).default(0),
  rExp: z.number().int().min(-8).max(7).default(0),
}).strict();

/** Slow change of a reading over time. */
const dynamicsSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("constant") }).strict(),
  z.object({
    kind: z.literal("noise"),
    amplitude: z.number().positive().describe("Readings vary by up to ± this much"),
  }).strict(),
  z.object({
    kind: z.literal("ramp"),
    perSecond: z.number().describe("Change per second"),
    min: z.number(),
    max: z.number(),
  }).strict().describe("Moves between min and max and back"),
]).describe("How the reading changes by itself (default constant)");

const thresholdValuesSchema = z.object(
  Object.fromEntries(THRESHOLDS.map((t) => [t, z.number().optional()])) as Record<
    typeof THRESHOLDS[number],
    z.ZodOptional<z.ZodNumber>
  >,
).strict().describe("Threshold values in the sensor's unit; omitted thresholds are unsupported");

/** What every sensor declares. */
const sensorBase = {
  name: z.string().min(1).max(16).describe("ID string (at most 16 characters)"),
  number: byteValue.describe("Sensor number"),
  type: named(SENSOR_TYPES, "Sensor type"),
  entity: entitySchema,
};

const thresholdSensorSchema = z.object({
  kind: z.literal("threshold"),
  ...sensorBase,
  unit: named(SENSOR_UNITS, "Base unit"),
  range: z.tuple([z.number(), z.number()]).optional().describe(
    "[min, max] the 8-bit reading covers; conversion factors are chosen from it",
  ),
  factors: factorsSchema.optional().describe("Explicit M, B, exponents (instead of range)"),
  reading: z.number().describe("Initial reading in the sensor's unit"),
  nominal: z.number().optional(),
  thresholds: thresholdValuesSchema,
  hysteresis: z.union([
    z.number().min(0),
    z.object({ positive: z.number().min(0), negative: z.number().min(0) }).strict(),
  ]).default(0).describe(
    "Hysteresis in the sensor's unit: one value for both directions, or positive/negative",
  ),
  settable: z.boolean().default(true).describe("Set Sensor Thresholds / Hysteresis allowed"),
  dynamics: dynamicsSchema.default({ kind: "constant" }),
}).strict().refine((s) => (s.range === undefined) !== (s.factors === undefined), {
  message: "needs exactly one of range or factors",
  path: ["range"],
}).refine((s) => s.range === undefined || s.range[0] < s.range[1], {
  message: "range must be [min, max] with min < max",
  path: ["range"],
});

const offsetList = z.array(z.number().int().min(0).max(14)).describe("Event offsets 0–14");

const discreteSensorSchema = z.object({
  kind: z.literal("discrete"),
  ...sensorBase,
  readingType: named(EVENT_READING_TYPES, "Event/reading type").default("sensor-specific"),
  offsets: offsetList.min(1).describe("The state offsets this sensor can assert"),
  state: offsetList.default([]).describe("Offsets asserted at start"),
}).strict().refine((s) => s.state.every((o) => s.offsets.includes(o)), {
  message: "state may only assert offsets listed in offsets",
  path: ["state"],
});

/** A sensor declared by a profile. */
export const sensorSchema = z.discriminatedUnion("kind", [
  thresholdSensorSchema,
  discreteSensorSchema,
]);

/** FRU text fields are 2–63 Latin-1 characters, or empty. */
const fruText = z.string().max(63).refine((s) => s.length !== 1, {
  message: "must be empty or 2–63 characters (a 1-byte field is reserved by the FRU spec)",
}).refine((s) => [...s].every((c) => c.charCodeAt(0) <= 0xff), {
  message: "must be Latin-1 text",
});

const fruSchema = z.object({
  id: z.number().int().min(0).max(254).describe("FRU device id (0: the BMC's own)"),
  name: z.string().min(1).max(16).describe("Name in the FRU locator record"),
  size: z.number().int().min(64).max(4096).default(1024).describe("Inventory area size, bytes"),
  chassis: z.object({
    type: byteValue.describe("SMBIOS chassis type (0x17 rack mount)"),
    partNumber: fruText,
    serialNumber: fruText,
    custom: z.array(fruText).default([]),
  }).strict().optional(),
  board: z.object({
    manufactureDate: z.iso.datetime().optional().describe("ISO 8601, e.g. 2024-03-01T12:00:00Z"),
    manufacturer: fruText,
    productName: fruText,
    serialNumber: fruText,
    partNumber: fruText,
    fruFileId: fruText.default(""),
    custom: z.array(fruText).default([]),
  }).strict().optional(),
  product: z.object({
    manufacturer: fruText,
    name: fruText,
    partNumber: fruText,
    version: fruText,
    serialNumber: fruText,
    assetTag: fruText,
    fruFileId: fruText.default(""),
    custom: z.array(fruText).default([]),
  }).strict().optional(),
}).strict();

/** The FRU devices of a profile. */
export const frusSchema = z.array(fruSchema).default([]).refine(
  (frus) => new Set(frus.map((f) => f.id)).size === frus.length,
  { message: "FRU ids must be unique" },
);

/** The sensors of a profile. */
export const sensorsSchema = z.array(sensorSchema).default([]).describe(
  "Sensors in SDR order (the Watchdog 2 sensor is always added)",
);

/** A validated sensor declaration. */
export type SensorDecl = z.output<typeof sensorSchema>;
/** A validated FRU declaration. */
export type FruDecl = z.output<typeof fruSchema>;
/** Explicit conversion factors. */
export type FactorsDecl = z.output<typeof factorsSchema>;
/** Dynamics declaration. */
export type DynamicsDecl = z.output<typeof dynamicsSchema>;
