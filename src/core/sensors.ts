/**
 * The BMC's sensors: lookup by number and name, readings changed by the
 * API or by the profile's dynamics, and the events they generate logged
 * the way a BMC logs them (SEL, event message buffer, bus events).
 *
 * @module
 */

import { ENTITY_IDS, EventReadingType, SENSOR_TYPES } from "../codec/sensor_constants.ts";
import { Prng } from "../util/prng.ts";
import type { SensorConfig, SensorDynamics } from "./sensor_config.ts";
import {
  createSensor,
  eventReadingTypeOf,
  type Sensor,
  type SensorEvent,
  ThresholdSensor,
} from "./sensor.ts";
import { parseByteText } from "../codec/names.ts";
import { readingRange } from "../codec/sensor_factors.ts";

/** Watchdog 2 offsets the watchdog sensor reports (timer expired … power cycle, interrupt). */
const WATCHDOG_OFFSETS = 0x010f;

/** Name of the built-in Watchdog 2 sensor. */
export const WATCHDOG_SENSOR_NAME = "Watchdog";

/**
 * The Watchdog 2 sensor every BMC has (its events are logged by the watchdog).
 *
 * @param number Sensor number.
 * @returns Its configuration.
 */
export function watchdogSensorConfig(number: number): SensorConfig {
  return {
    kind: "discrete",
    name: WATCHDOG_SENSOR_NAME,
    number,
    sensorType: SENSOR_TYPES["watchdog-2"],
    entityId: ENTITY_IDS["system-board"],
    entityInstance: 1,
    readingType: EventReadingType.SensorSpecific,
    offsets: WATCHDOG_OFFSETS,
    initialState: 0,
  };
}

/** Where sensor changes go. */
export interface SensorSink {
  /**
   * A sensor generated an event.
   *
   * @param sensor The sensor.
   * @param event The event.
   * @param eventReadingType Event/reading type for the event message.
   */
  event(sensor: Sensor, event: SensorEvent, eventReadingType: number): void;
  /**
   * A reading or state changed.
   *
   * @param sensor The sensor.
   * @param origin Who changed it.
   */
  changed(sensor: Sensor, origin: string): void;
}

/** A reading to set from outside (API). */
export type SensorUpdate =
  | { readonly value: number }
  | { readonly raw: number }
  | { readonly state: number };

/** Why an update was refused. */
export type SensorUpdateResult = { ok: true; events: number } | { ok: false; reason: string };

/** All sensors of one BMC. */
export class Sensors {
  readonly #byNumber = new Map<number, Sensor>();
  readonly #byName = new Map<string, Sensor>();
  readonly #sink: SensorSink;
  readonly #dynamic: { sensor: ThresholdSensor; dynamics: SensorDynamics; next: () => number }[] =
    [];
  readonly #pinned = new Set<number>();

  /**
   * Create the sensors (in SDR order; the watchdog sensor is appended).
   *
   * @param configs Profile sensors.
   * @param watchdogNumber Number of the Watchdog 2 sensor.
   * @param sink Where events and changes go.
   */
  constructor(configs: readonly SensorConfig[], watchdogNumber: number, sink: SensorSink) {
    this.#sink = sink;
    for (const config of [...configs, watchdogSensorConfig(watchdogNumber)]) {
      const sensor = createSensor(config);
      this.#byNumber.set(config.number, sensor);
      this.#byName.set(config.name.toLowerCase(), sensor);
      if (sensor instanceof ThresholdSensor && config.kind === "threshold") {
        const d = config.dynamics;
        if (d.kind !== "constant") {
          const prng = new Prng(config.number * 7919 + 1);
          this.#dynamic.push({ sensor, dynamics: d, next: () => prng.next() });
        }
      }
    }
  }

  /** Every sensor in SDR order. */
  all(): Sensor[] {
    return [...this.#byNumber.values()];
  }

  /**
   * Find a sensor by number.
   *
   * @param number Sensor number.
   * @returns The sensor, or `undefined`.
   */
  byNumber(number: number): Sensor | undefined {
    return this.#byNumber.get(number);
  }

  /**
   * Find a sensor by name (case-insensitive) or by number (`"0x04"`, `"4"`).
   *
   * @param key Name or number.
   * @returns The sensor, or `undefined`.
   */
  find(key: string): Sensor | undefined {
    const named = this.#byName.get(key.toLowerCase());
    if (named !== undefined) return named;
    const n = parseByteText(key);
    return n === null ? undefined : this.#byNumber.get(n);
  }

  /** Whether any sensor changes by itself. */
  get hasDynamics(): boolean {
    return this.#dynamic.length > 0;
  }

  /**
   * Log a sensor's events and announce the change.
   *
   * @param sensor The sensor.
   * @param events Its events.
   * @param origin Who changed it.
   */
  publish(sensor: Sensor, events: readonly SensorEvent[], origin: string): void {
    const type = eventReadingTypeOf(sensor);
    for (const e of events) this.#sink.event(sensor, e, type);
    this.#sink.changed(sensor, origin);
  }

  /**
   * Set a reading or state from outside; the sensor stops following its
   * dynamics (it is pinned to what was set).
   *
   * @param sensor The sensor.
   * @param update New value, raw reading or state mask.
   * @param origin Who asked.
   * @returns How many events were generated, or why not.
   */
  update(sensor: Sensor, update: SensorUpdate, origin: string): SensorUpdateResult {
    let events: SensorEvent[];
    if (sensor instanceof ThresholdSensor) {
      if ("state" in update) return { ok: false, reason: "a threshold sensor takes a value" };
      if ("value" in update) {
        const refused = outOfRange(sensor, update.value);
        if (refused !== null) return { ok: false, reason: refused };
      }
      events = "value" in update ? sensor.setValue(update.value) : sensor.setRaw(update.raw);
    } else {
      if (!("state" in update)) return { ok: false, reason: "a discrete sensor takes a state" };
      const unsupported = update.state & ~sensor.supported;
      if (unsupported !== 0) {
        return {
          ok: false,
          reason: `offsets ${
            offsetsOf(unsupported).join(", ")
          } are not supported by ${sensor.config.name} (supported: ${
            offsetsOf(sensor.supported).join(", ")
          })`,
        };
      }
      events = sensor.setState(update.state);
    }
    this.#pinned.add(sensor.config.number);
    this.publish(sensor, events, origin);
    return { ok: true, events: events.length };
  }

  /**
   * Resume following the profile's dynamics after an update pinned a sensor.
   *
   * @param sensor The sensor.
   */
  unpin(sensor: Sensor): void {
    this.#pinned.delete(sensor.config.number);
  }

  /**
   * Advance the dynamics to a point in time.
   *
   * @param elapsed Time since the sensors started, s.
   */
  tick(elapsed: number): void {
    for (const d of this.#dynamic) {
      if (this.#pinned.has(d.sensor.config.number)) continue;
      const base = d.sensor.config.initial;
      const dyn = d.dynamics;
      let value: number;
      if (dyn.kind === "noise") {
        value = base + dyn.amplitude * (2 * d.next() - 1);
      } else if (dyn.kind === "ramp") {
        value = triangle(base, dyn.min, dyn.max, dyn.perSecond, elapsed);
      } else {
        continue;
      }
      const before = d.sensor.raw;
      const events = d.sensor.setValue(value);
      if (d.sensor.raw !== before || events.length > 0) this.publish(d.sensor, events, "dynamics");
    }
  }

  /** Restore power-on event enables (BMC reset). */
  resetEnables(): void {
    for (const s of this.#byNumber.values()) s.resetEnables();
  }
}

/** Offsets set in a mask. */
export function offsetsOf(mask: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < 15; o++) if ((mask >> o) & 1) out.push(o);
  return out;
}

/**
 * The bit mask of discrete offsets (the inverse of {@link offsetsOf}).
 *
 * @param offsets Offsets 0–14.
 * @returns Mask.
 */
export function maskOf(offsets: readonly number[]): number {
  return offsets.reduce((m, o) => m | (1 << o), 0);
}

/**
 * Why a reading cannot be set, or `null` when it lies in the sensor's range
 * (a value within half a step of an end rounds into it).
 */
function outOfRange(sensor: ThresholdSensor, value: number): string | null {
  const { min, max, step } = readingRange(sensor.config.factors);
  if (value >= min - step / 2 && value <= max + step / 2) return null;
  return `value ${value} is outside the range of ${sensor.config.name} (${min} to ${max})`;
}

/** A value moving from `start` between `min` and `max` at `rate` per second, bouncing. */
function triangle(start: number, min: number, max: number, rate: number, t: number): number {
  const span = max - min;
  if (span <= 0 || rate === 0) return start;
  const period = 2 * span;
  const phase = (((start - min) + Math.abs(rate) * t * Math.sign(rate)) % period + period) % period;
  return phase <= span ? min + phase : max - (phase - span);
}

/** A sensor's reading as the state and `sensor.changed` show it. */
export type SensorSummary =
  & {
    /** Sensor name (`Inlet Temp`). */
    readonly name: string;
    /** Sensor number. */
    readonly number: number;
    /** What changed it (`api`, `ipmi`, `dynamics`, …); absent in the state. */
    readonly origin?: string;
  }
  & (
    | {
      readonly kind: "threshold";
      /** Reading in the sensor's unit. */
      readonly value: number;
      /** Raw byte. */
      readonly raw: number;
      /** Asserted threshold offsets. */
      readonly asserted: readonly number[];
    }
    | {
      readonly kind: "discrete";
      /** Asserted state offsets. */
      readonly state: readonly number[];
    }
  );

/**
 * A sensor's present state, for events and the API.
 *
 * @param sensor The sensor.
 * @param origin Who changed it (omitted when empty).
 * @returns Plain data.
 */
export function sensorSummary(sensor: Sensor, origin = ""): SensorSummary {
  const c = sensor.config;
  const base = {
    name: c.name,
    number: c.number,
    ...(origin === "" ? {} : { origin }),
  };
  if (sensor instanceof ThresholdSensor) {
    return {
      ...base,
      kind: "threshold",
      value: sensor.value,
      raw: sensor.raw,
      asserted: offsetsOf(sensor.asserted),
    };
  }
  return { ...base, kind: "discrete", state: offsetsOf(sensor.asserted) };
}
