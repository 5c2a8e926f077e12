/**
 * Sensors, the SDR repository and FRU devices over HTTP: read every
 * sensor, set a reading or a discrete state (the BMC logs the threshold or
 * state events a real BMC would), and read the SDR and FRU images.
 *
 * @module
 */

import type { Context } from "hono";
import { z } from "zod";
import { SENSOR_TYPES, SENSOR_UNITS, THRESHOLDS_ASCENDING } from "../../codec/sensor_constants.ts";
import { toReading } from "../../codec/sensor_factors.ts";
import { type Sensor, ThresholdSensor } from "../../core/sensor.ts";
import { maskOf, offsetsOf, type Sensors, type SensorUpdate } from "../../core/sensors.ts";
import { byteValue } from "../../profile/byte_value.ts";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { parseBody } from "../validate.ts";
import { hexBytes } from "../../codec/names.ts";

/** PUT body: a reading, a raw byte, a discrete state, or back to the profile's dynamics. */
export const sensorUpdateBody = z.union([
  z.object({ value: z.number().finite().describe("Reading in the sensor's unit") }).strict(),
  z.object({ raw: byteValue.describe("Raw reading byte") }).strict(),
  z.object({
    state: z.array(z.number().int().min(0).max(14)).max(15).describe("Asserted offsets"),
  }).strict(),
  z.object({ dynamics: z.literal("resume") }).strict(),
]);

function nameOf(table: Record<string, number>, code: number): string {
  return Object.entries(table).find(([, v]) => v === code)?.[0] ?? `0x${code.toString(16)}`;
}

/**
 * A sensor as JSON.
 *
 * @param sensor The sensor.
 * @returns Plain data.
 */
export function sensorJson(sensor: Sensor): Record<string, unknown> {
  const c = sensor.config;
  const base = {
    name: c.name,
    number: c.number,
    type: nameOf(SENSOR_TYPES, c.sensorType),
    entity: { id: c.entityId, instance: c.entityInstance },
    eventsEnabled: sensor.eventsEnabled,
    scanningEnabled: sensor.scanningEnabled,
  };
  if (sensor instanceof ThresholdSensor && c.kind === "threshold") {
    const f = c.factors;
    return {
      ...base,
      kind: "threshold",
      value: sensor.value,
      raw: sensor.raw,
      unit: nameOf(SENSOR_UNITS, c.unit),
      thresholds: Object.fromEntries(
        THRESHOLDS_ASCENDING.filter((t) => sensor.thresholds[t] !== undefined).map((
          t,
        ) => [t, toReading(sensor.thresholds[t]!, f)]),
      ),
      hysteresis: sensor.hysteresis,
      assertedOffsets: offsetsOf(sensor.asserted),
    };
  }
  return { ...base, kind: "discrete", state: offsetsOf(sensor.asserted) };
}

function sensorOr404(deps: ApiDeps, c: Context): { sensor: Sensor; sensors: Sensors } {
  const runtime = bmcOr404(deps, c.req.param("id")!);
  const key = c.req.param("sensor")!; // the router has decoded it, once
  const sensor = runtime.bmc.sensors.find(key);
  if (sensor === undefined) {
    throw new ApiError(404, `No sensor "${key}" on ${runtime.id} (by name or number)`);
  }
  return { sensor, sensors: runtime.bmc.sensors };
}

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function sensorRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("get", "/api/v1/bmcs/:id/sensors", {
    tag: "sensors",
    summary: "Every sensor with its reading, thresholds and asserted events",
    responses: { 200: "Sensors", 404: "Unknown BMC" },
  }, (c: Context) => {
    const bmc = bmcOr404(deps, c.req.param("id")!).bmc;
    return c.json({ sensors: bmc.sensors.all().map(sensorJson) });
  });

  table.add("get", "/api/v1/bmcs/:id/sensors/:sensor", {
    tag: "sensors",
    summary: "One sensor, by name (URL-encoded) or number",
    responses: { 200: "Sensor", 404: "Unknown BMC or sensor" },
  }, (c: Context) => c.json(sensorJson(sensorOr404(deps, c).sensor)));

  table.add("put", "/api/v1/bmcs/:id/sensors/:sensor", {
    tag: "sensors",
    summary: "Set a reading or a discrete state; threshold and state events are logged",
    description:
      'Threshold sensors take {"value": 52.5} (in the sensor\'s unit) or {"raw": 210}; discrete sensors take {"state": [0, 1]} (asserted offsets). The sensor then stays at that value; {"dynamics": "resume"} hands it back to the profile\'s dynamics. Crossing a threshold logs the assertion or deassertion (with hysteresis) into the SEL and the event message buffer, as a real BMC does.',
    body: sensorUpdateBody,
    responses: {
      200: "The sensor after the change, and how many events were logged",
      400: "Invalid body, or a value for a discrete sensor (or a state for a threshold one)",
      404: "Unknown BMC or sensor",
    },
  }, async (c: Context) => {
    const { sensor, sensors } = sensorOr404(deps, c);
    const body = await parseBody(c, sensorUpdateBody);
    if ("dynamics" in body) {
      sensors.unpin(sensor);
      return c.json({ sensor: sensorJson(sensor), events: 0 });
    }
    const update: SensorUpdate = "state" in body ? { state: maskOf(body.state) } : body;
    const result = sensors.update(sensor, update, "api");
    if (!result.ok) throw new ApiError(400, result.reason);
    return c.json({ sensor: sensorJson(sensor), events: result.events });
  });

  table.add("get", "/api/v1/bmcs/:id/sdr", {
    tag: "sensors",
    summary: "The SDR repository's records (hex)",
    responses: { 200: "Records", 404: "Unknown BMC" },
  }, (c: Context) => {
    const sdr = bmcOr404(deps, c.req.param("id")!).bmc.sdr;
    return c.json({
      records: sdr.records().map((r) => ({
        id: r[0]! | (r[1]! << 8),
        type: r[3]!,
        hex: hexBytes(r),
      })),
    });
  });

  table.add("get", "/api/v1/bmcs/:id/fru", {
    tag: "sensors",
    summary: "FRU inventory devices and their current images (hex, including host writes)",
    responses: { 200: "FRU devices", 404: "Unknown BMC" },
  }, (c: Context) => {
    const bmc = bmcOr404(deps, c.req.param("id")!).bmc;
    return c.json({
      devices: bmc.config.frus.map((f) => {
        const image = bmc.fru.image(f.id)!;
        return {
          id: f.id,
          name: f.name,
          size: image.length,
          hex: hexBytes(image, ""),
        };
      }),
    });
  });
}
