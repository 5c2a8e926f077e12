/**
 * `/redfish/v1/Chassis`: power state, the profile's sensors (the watchdog
 * sensor too) as `Sensors`, and the views clients read them through: the
 * legacy `Thermal`/`Power` resources and `ThermalSubsystem`/`PowerSubsystem`.
 *
 * @module
 */

import type { ThresholdName } from "../codec/sensor_constants.ts";
import type { SensorView } from "./bmc_ops.ts";
import { redfishError } from "./messages.ts";
import { collection, defined, type Json, ref, resource, ROOT, STATUS_OK } from "./odata.ts";
import type { RedfishRouter } from "./router.ts";
import { pathsOf, type ServiceContext } from "./service_context.ts";

/** Redfish reading type and unit by IPMI unit name. */
const READING_BY_UNIT: Readonly<Record<string, readonly [string, string]>> = {
  "degrees-c": ["Temperature", "Cel"],
  "volts": ["Voltage", "V"],
  "amps": ["Current", "A"],
  "watts": ["Power", "W"],
  "rpm": ["Rotational", "RPM"],
};

/** Redfish threshold name by IPMI threshold. */
const THRESHOLD_NAMES: Readonly<Record<ThresholdName, string>> = {
  lnc: "LowerCaution",
  lcr: "LowerCritical",
  lnr: "LowerFatal",
  unc: "UpperCaution",
  ucr: "UpperCritical",
  unr: "UpperFatal",
};

/** Threshold event offsets that are non-critical (IPMI v2.0 table 42-2). */
const CAUTION_OFFSETS = 0b0000_1100_0011;

/**
 * The resource id of a sensor: its name without spaces and punctuation.
 *
 * @param s The sensor.
 * @returns Id.
 */
export function sensorId(s: SensorView): string {
  const id = s.name.replace(/[^A-Za-z0-9_.-]+/g, "");
  return id === "" ? `Sensor${s.number}` : id;
}

function healthOf(s: SensorView): "OK" | "Warning" | "Critical" {
  if (s.reading === null || s.asserted === 0) return "OK";
  return (s.asserted & ~CAUTION_OFFSETS) !== 0 ? "Critical" : "Warning";
}

function sensorJson(ctx: ServiceContext, s: SensorView): Json {
  const path = `${pathsOf(ctx.ids).chassis}/Sensors/${sensorId(s)}`;
  const kind = s.unit === null ? undefined : READING_BY_UNIT[s.unit];
  const thresholds = Object.fromEntries(
    Object.entries(s.thresholds).map(([t, v]) => [THRESHOLD_NAMES[t as ThresholdName], {
      Reading: v,
    }]),
  );
  const watchdog = s.type === "watchdog-2" ? ctx.ops.watchdog() : null;
  return resource("Sensor", path, {
    Id: sensorId(s),
    Name: s.name,
    Description: watchdog === null
      ? `IPMI sensor 0x${s.number.toString(16)} (${s.type})`
      : `IPMI Watchdog 2 sensor: timer ${watchdog.running ? "running" : "stopped"}${
        watchdog.remainingMs === null ? "" : `, ${Math.ceil(watchdog.remainingMs / 1000)} s left`
      }`,
    ...(s.reading === null ? {} : { Reading: s.reading }),
    ...(kind === undefined ? {} : { ReadingType: kind[0], ReadingUnits: kind[1] }),
    ...(Object.keys(thresholds).length === 0 ? {} : { Thresholds: thresholds }),
    Status: { State: "Enabled", Health: healthOf(s) },
  });
}

/**
 * The members of a legacy Thermal/Power array: the sensors of one unit with
 * their reading under `readingKey` and the given thresholds.
 */
function legacyMembers(
  path: string,
  array: string,
  sensors: readonly SensorView[],
  readingKey: string,
  thresholds: Readonly<Partial<Record<ThresholdName, string>>>,
  extra: Json = {},
): Json[] {
  return sensors.map((s, i) => ({
    "@odata.id": `${path}#/${array}/${i}`,
    MemberId: String(i),
    Name: s.name,
    [readingKey]: s.reading,
    ...extra,
    ...defined(
      Object.fromEntries(
        Object.entries(thresholds).map(([t, key]) => [key, s.thresholds[t as ThresholdName]]),
      ),
    ),
    Status: { State: "Enabled", Health: healthOf(s) },
  }));
}

function thermalJson(ctx: ServiceContext): Json {
  const path = `${pathsOf(ctx.ids).chassis}/Thermal`;
  const sensors = ctx.ops.sensors();
  return resource("Thermal", path, {
    Id: "Thermal",
    Name: "Thermal",
    Temperatures: legacyMembers(
      path,
      "Temperatures",
      sensors.filter((s) => s.unit === "degrees-c"),
      "ReadingCelsius",
      {
        unc: "UpperThresholdNonCritical",
        ucr: "UpperThresholdCritical",
        unr: "UpperThresholdFatal",
      },
    ),
    Fans: legacyMembers(
      path,
      "Fans",
      sensors.filter((s) => s.unit === "rpm"),
      "Reading",
      { lcr: "LowerThresholdCritical" },
      { ReadingUnits: "RPM" },
    ),
  });
}

function powerJson(ctx: ServiceContext): Json {
  const path = `${pathsOf(ctx.ids).chassis}/Power`;
  const sensors = ctx.ops.sensors();
  return resource("Power", path, {
    Id: "Power",
    Name: "Power",
    Voltages: legacyMembers(
      path,
      "Voltages",
      sensors.filter((s) => s.unit === "volts"),
      "ReadingVolts",
      { lcr: "LowerThresholdCritical", ucr: "UpperThresholdCritical" },
    ),
    PowerControl: legacyMembers(
      path,
      "PowerControl",
      sensors.filter((s) => s.unit === "watts"),
      "PowerConsumedWatts",
      {},
    ),
  });
}

function chassisJson(ctx: ServiceContext): Json {
  const p = pathsOf(ctx.ids);
  const fru = ctx.ops.fruIdentity();
  return resource("Chassis", p.chassis, {
    Id: ctx.ids.chassis,
    Name: "Chassis",
    ChassisType: "RackMount",
    ...defined({
      Manufacturer: fru.manufacturer,
      Model: fru.model,
      SerialNumber: fru.chassisSerialNumber,
      PartNumber: fru.chassisPartNumber,
    }),
    PowerState: ctx.ops.powerState(),
    Status: STATUS_OK,
    Sensors: ref(`${p.chassis}/Sensors`),
    Thermal: ref(`${p.chassis}/Thermal`),
    Power: ref(`${p.chassis}/Power`),
    ThermalSubsystem: ref(`${p.chassis}/ThermalSubsystem`),
    PowerSubsystem: ref(`${p.chassis}/PowerSubsystem`),
    Links: { ComputerSystems: [ref(p.system)], ManagedBy: [ref(p.manager)] },
  });
}

/**
 * Register the routes.
 *
 * @param router Router.
 * @param ctx Service state.
 */
export function chassisRoutes(router: RedfishRouter, ctx: ServiceContext): void {
  const p = pathsOf(ctx.ids);
  router.resource(`${ROOT}/Chassis`, {
    get: {
      privilege: "Login",
      handle: () => collection("ChassisCollection", `${ROOT}/Chassis`, "Chassis", [p.chassis]),
    },
  });
  router.resource(p.chassis, { get: { privilege: "Login", handle: () => chassisJson(ctx) } });
  router.resource(`${p.chassis}/Sensors`, {
    get: {
      privilege: "Login",
      handle: () =>
        collection(
          "SensorCollection",
          `${p.chassis}/Sensors`,
          "Sensors",
          ctx.ops.sensors().map((s) => `${p.chassis}/Sensors/${sensorId(s)}`),
        ),
    },
  });
  router.resource(`${p.chassis}/Sensors/:sensor`, {
    get: {
      privilege: "Login",
      handle: (req) => {
        const s = ctx.ops.sensors().find((x) => sensorId(x) === req.param("sensor"));
        if (s === undefined) throw redfishError(404, "ResourceMissingAtURI", [req.c.req.path]);
        return sensorJson(ctx, s);
      },
    },
  });
  router.resource(`${p.chassis}/Thermal`, {
    get: { privilege: "Login", handle: () => thermalJson(ctx) },
  });
  router.resource(`${p.chassis}/Power`, {
    get: { privilege: "Login", handle: () => powerJson(ctx) },
  });
  router.resource(`${p.chassis}/ThermalSubsystem`, {
    get: {
      privilege: "Login",
      handle: () =>
        resource("ThermalSubsystem", `${p.chassis}/ThermalSubsystem`, {
          Id: "ThermalSubsystem",
          Name: "Thermal Subsystem",
          Status: STATUS_OK,
        }),
    },
  });
  router.resource(`${p.chassis}/PowerSubsystem`, {
    get: {
      privilege: "Login",
      handle: () =>
        resource("PowerSubsystem", `${p.chassis}/PowerSubsystem`, {
          Id: "PowerSubsystem",
          Name: "Power Subsystem",
          Status: STATUS_OK,
        }),
    },
  });
}
