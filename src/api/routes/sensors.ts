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
import { maskOf, offsetsOf, type SensorUpdate } from "../../core/sensors.ts";
import { byteValue } from "../../profile/byte_value.ts";
import { findSensor, setSensor } from "../../runtime/operations.ts";
import { type ApiDeps, type BmcApp, type BmcEnv, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import {
  fruResponse,
  sdrResponse,
  sensorListResponse,
  sensorResponse,
  sensorUpdatedResponse,
} from "../response_schemas.ts";
import { valid } from "../valid.ts";
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

const sensorParams = bmcIdParam.extend({
  sensor: z.string().min(1).describe("Sensor name (URL-encoded) or number (decimal or 0x..)"),
});

function sensorOf(c: Context<BmcEnv>): Sensor {
  return findSensor(c.var.runtime, c.req.param("sensor") ?? ""); // decoded once, by the router
}

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param _deps API services.
 */
export function sensorRoutes(app: BmcApp, _deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/sensors",
      operationId: "listSensors",
      tag: "sensors",
      summary: "Every sensor with its reading, thresholds and asserted events",
      params: bmcIdParam,
      ok: { status: 200, description: "Sensors", schema: sensorListResponse },
      errors: [404],
    }),
    (c) => c.json({ sensors: c.var.runtime.bmc.sensors.all().map(sensorJson) }),
  );

  app.openapi(
    route({
      method: "get",
      path: "/sensors/{sensor}",
      operationId: "getSensor",
      tag: "sensors",
      summary: "One sensor, by name (URL-encoded) or number",
      params: sensorParams,
      ok: { status: 200, description: "Sensor", schema: sensorResponse },
      errors: [404],
    }),
    (c) => c.json(sensorJson(sensorOf(c))),
  );

  app.openapi(
    route({
      method: "put",
      path: "/sensors/{sensor}",
      operationId: "setSensor",
      tag: "sensors",
      summary: "Set a reading or a discrete state; threshold and state events are logged",
      description:
        'Threshold sensors take {"value": 52.5} (in the sensor\'s unit, within its range) or {"raw": 210}; discrete sensors take {"state": [0, 1]} (asserted offsets). The sensor then stays at that value; {"dynamics": "resume"} hands it back to the profile\'s dynamics. Crossing a threshold logs the assertion or deassertion (with hysteresis) into the SEL and the event message buffer, as a real BMC does.',
      params: sensorParams,
      body: sensorUpdateBody,
      ok: {
        status: 200,
        description: "The sensor after the change, and how many events were logged",
        schema: sensorUpdatedResponse,
      },
      errors: [404],
    }),
    (c) => {
      const sensor = sensorOf(c);
      const body = valid(c, "json", sensorUpdateBody);
      const update: SensorUpdate | null = "dynamics" in body
        ? null
        : "state" in body
        ? { state: maskOf(body.state) }
        : body;
      const events = setSensor(c.var.runtime, sensor, update, "api");
      return c.json({ sensor: sensorJson(sensor), events });
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/sdr",
      operationId: "getSdr",
      tag: "sensors",
      summary: "The SDR repository's records (hex)",
      params: bmcIdParam,
      ok: { status: 200, description: "Records", schema: sdrResponse },
      errors: [404],
    }),
    (c) =>
      c.json({
        records: c.var.runtime.bmc.sdr.records().map((r) => ({
          id: r[0]! | (r[1]! << 8),
          type: r[3]!,
          hex: hexBytes(r),
        })),
      }),
  );

  app.openapi(
    route({
      method: "get",
      path: "/fru",
      operationId: "getFru",
      tag: "sensors",
      summary: "FRU inventory devices and their current images (hex, including host writes)",
      params: bmcIdParam,
      ok: { status: 200, description: "FRU devices", schema: fruResponse },
      errors: [404],
    }),
    (c) => {
      const bmc = c.var.runtime.bmc;
      return c.json({
        devices: bmc.config.frus.map((f) => {
          const image = bmc.fru.image(f.id)!;
          return { id: f.id, name: f.name, size: image.length, hex: hexBytes(image, "") };
        }),
      });
    },
  );
}
