/**
 * From a profile's sensor, FRU and OEM declarations to the core's
 * configuration: names become codes, values become raw readings through
 * the conversion factors, FRU areas become images. Also the checks zod
 * cannot express (unique numbers, ordered thresholds, images that fit).
 *
 * @module
 */

import { encodeFru, FruEncodeError, type FruInventory } from "../codec/fru.ts";
import {
  ENTITY_IDS,
  EVENT_READING_TYPES,
  isUpperThreshold,
  SENSOR_TYPES,
  SENSOR_UNITS,
  type ThresholdName,
  THRESHOLDS,
  THRESHOLDS_ASCENDING,
} from "../codec/sensor_constants.ts";
import { chooseFactors, type SensorFactors, stepOf, toRaw } from "../codec/sensor_factors.ts";
import type {
  FruConfig,
  OemCommand,
  SensorConfig,
  ThresholdSensorConfig,
} from "../core/sensor_config.ts";
import type { Profile } from "./schema.ts";
import type { FruDecl, SensorDecl } from "./sensor_schema.ts";
import { parseHexBytes } from "../codec/names.ts";
import { maskOf } from "../core/sensors.ts";

/** A problem found in a profile: the field path and what is wrong. */
export interface ProfileProblem {
  /** Dotted path (`sensors[2].thresholds.ucr`). */
  readonly field: string;
  /** What is wrong, sentence case without period. */
  readonly problem: string;
}

function code<T extends Record<string, number>>(table: T, value: number | keyof T): number {
  return typeof value === "number" ? value : table[value]!;
}

function entityOf(decl: SensorDecl): { id: number; instance: number } {
  const e = decl.entity;
  if (typeof e === "string") return { id: ENTITY_IDS[e], instance: 1 };
  return { id: code(ENTITY_IDS, e.id), instance: e.instance };
}

/**
 * The conversion factors of a threshold sensor: given, or chosen from its range.
 *
 * @param decl Threshold sensor declaration.
 * @returns Factors (unsigned raw readings).
 */
export function factorsOf(decl: Extract<SensorDecl, { kind: "threshold" }>): SensorFactors {
  if (decl.factors !== undefined) return { ...decl.factors, signed: false };
  return chooseFactors(decl.range![0], decl.range![1]);
}

function hysteresisOf(decl: Extract<SensorDecl, { kind: "threshold" }>) {
  const h = decl.hysteresis;
  return typeof h === "number" ? { positive: h, negative: h } : h;
}

/**
 * Semantic checks of sensors, FRUs and OEM commands.
 *
 * @param profile Validated profile.
 * @returns Problems (empty when all is well).
 */
export function checkSensorsAndFrus(profile: Profile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const numbers = new Map<number, string>([[profile.watchdogSensorNumber, "watchdogSensorNumber"]]);
  const names = new Set<string>();
  profile.sensors.forEach((s, i) => {
    const at = `sensors[${i}]`;
    const other = numbers.get(s.number);
    if (other !== undefined) {
      problems.push({ field: `${at}.number`, problem: `${s.number} is already used by ${other}` });
    }
    numbers.set(s.number, at);
    if (names.has(s.name)) {
      problems.push({ field: `${at}.name`, problem: `"${s.name}" is already used` });
    }
    names.add(s.name);
    if (s.kind !== "threshold") return;
    const f = factorsOf(s);
    const step = stepOf(f);
    const lo = Math.min(toValueAt(f, 0), toValueAt(f, 255));
    const hi = Math.max(toValueAt(f, 0), toValueAt(f, 255));
    const check = (field: string, v: number | undefined): void => {
      if (v !== undefined && (v < lo - step / 2 || v > hi + step / 2)) {
        problems.push({
          field: `${at}.${field}`,
          problem: `${v} is outside the sensor's range ${lo}..${hi}`,
        });
      }
    };
    check("reading", s.reading);
    check("nominal", s.nominal);
    for (const t of THRESHOLDS) check(`thresholds.${t}`, s.thresholds[t]);
    const order = THRESHOLDS_ASCENDING.filter((t) => s.thresholds[t] !== undefined);
    for (let k = 1; k < order.length; k++) {
      const a = s.thresholds[order[k - 1]!]!;
      const b = s.thresholds[order[k]!]!;
      const strict = !isUpperThreshold(order[k - 1]!) && isUpperThreshold(order[k]!);
      if (strict ? a >= b : a > b) {
        problems.push({
          field: `${at}.thresholds`,
          problem: `must be ordered lnr ≤ lcr ≤ lnc < unc ≤ ucr ≤ unr (got ${
            order.map((t) => `${t} ${s.thresholds[t]}`).join(", ")
          })`,
        });
        break;
      }
    }
    const h = hysteresisOf(s);
    for (const [dir, v] of Object.entries(h)) {
      if (Math.round(v / step) > 255) {
        problems.push({ field: `${at}.hysteresis`, problem: `${dir} ${v} is over 255 steps` });
      }
    }
  });
  profile.frus.forEach((f, i) => {
    try {
      encodeFru(fruInventory(f), f.size);
    } catch (error) {
      if (!(error instanceof FruEncodeError)) throw error;
      problems.push({
        field: `frus[${i}].${error.field}`,
        problem: error.message.slice(error.field.length + 2),
      });
    }
  });
  return problems;
}

function toValueAt(f: SensorFactors, raw: number): number {
  return (f.m * raw + f.b * 10 ** f.bExp) * 10 ** f.rExp;
}

function fruInventory(f: FruDecl): FruInventory {
  const inv: { -readonly [K in keyof FruInventory]: FruInventory[K] } = {};
  if (f.chassis !== undefined) inv.chassis = f.chassis;
  if (f.board !== undefined) {
    const { manufactureDate, ...rest } = f.board;
    inv.board = {
      ...rest,
      manufactureDate: manufactureDate === undefined ? null : new Date(manufactureDate),
    };
  }
  if (f.product !== undefined) inv.product = f.product;
  return inv;
}

/**
 * Resolve the sensors.
 *
 * @param profile Validated, checked profile.
 * @returns Sensor configurations in declaration order.
 */
export function resolveSensors(profile: Profile): SensorConfig[] {
  return profile.sensors.map((s): SensorConfig => {
    const entity = entityOf(s);
    const base = {
      name: s.name,
      number: s.number,
      sensorType: code(SENSOR_TYPES, s.type),
      entityId: entity.id,
      entityInstance: entity.instance,
    };
    if (s.kind === "discrete") {
      return {
        ...base,
        kind: "discrete",
        readingType: code(EVENT_READING_TYPES, s.readingType),
        offsets: maskOf(s.offsets),
        initialState: maskOf(s.state),
      };
    }
    const factors = factorsOf(s);
    const step = stepOf(factors);
    const thresholds: { -readonly [K in ThresholdName]?: number } = {};
    for (const t of THRESHOLDS) {
      const v = s.thresholds[t];
      if (v !== undefined) thresholds[t] = toRaw(v, factors);
    }
    const h = hysteresisOf(s);
    const config: ThresholdSensorConfig = {
      ...base,
      kind: "threshold",
      unit: code(SENSOR_UNITS, s.unit),
      factors,
      initial: s.reading,
      nominal: s.nominal ?? null,
      thresholds,
      hysteresis: {
        positive: Math.round(h.positive / step),
        negative: Math.round(h.negative / step),
      },
      settable: s.settable,
      dynamics: s.dynamics,
    };
    return config;
  });
}

/**
 * Resolve the FRU devices into images.
 *
 * @param profile Validated, checked profile.
 * @returns FRU configurations.
 */
export function resolveFrus(profile: Profile): FruConfig[] {
  return profile.frus.map((f) => ({
    id: f.id,
    name: f.name,
    image: encodeFru(fruInventory(f), f.size),
  }));
}

/**
 * Resolve the OEM commands.
 *
 * @param profile Validated profile.
 * @returns OEM commands.
 */
export function resolveOemCommands(profile: Profile): OemCommand[] {
  return profile.oemCommands.map((c) => ({
    netfn: c.netfn,
    cmd: c.cmd,
    response: Uint8Array.from(parseHexBytes(c.response) ?? []),
  }));
}
