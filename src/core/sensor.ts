/**
 * One sensor's live state and the events its changes generate (IPMI v2.0
 * ch. 35–36): threshold sensors compare their reading with up to six
 * thresholds with hysteresis; discrete sensors assert and deassert state
 * offsets. Pure: a change returns the events, the caller logs them.
 *
 * @module
 */

import {
  EventReadingType,
  isUpperThreshold,
  type ThresholdName,
  thresholdOffset,
  THRESHOLDS,
} from "../codec/sensor_constants.ts";
import { toRaw, toReading } from "../codec/sensor_factors.ts";
import type { DiscreteSensorConfig, SensorConfig, ThresholdSensorConfig } from "./sensor_config.ts";

/** An event a sensor change generates. */
export interface SensorEvent {
  /** Event offset (0–14). */
  readonly offset: number;
  /** Assertion (`true`) or deassertion. */
  readonly assertion: boolean;
  /** Event data 1–3 as logged (data 1 carries the offset). */
  readonly data: readonly [number, number, number];
}

/** Event data 1 bits 7:6 = 01b: data 2 holds the trigger reading. */
const DATA1_TRIGGER_READING = 0x40;
/** Event data 1 bits 5:4 = 01b: data 3 holds the trigger threshold. */
const DATA1_TRIGGER_THRESHOLD = 0x10;
/** Event data 2/3 "unspecified". */
const UNSPECIFIED = 0xff;
/** Get Sensor Reading byte 2: all event messages enabled. */
const READING_EVENTS_ENABLED = 0x80;
/** Get Sensor Reading byte 2: sensor scanning enabled. */
const READING_SCANNING_ENABLED = 0x40;
/** Discrete sensors can assert offsets 0–14. */
const DISCRETE_MASK = 0x7fff;

/** Event enables and status, common to both kinds. */
abstract class SensorBase<C extends SensorConfig> {
  /** The sensor's configuration. */
  readonly config: C;
  /** All event messages enabled (Set Sensor Event Enable byte 2 bit 7). */
  eventsEnabled = true;
  /** Scanning enabled (bit 6). */
  scanningEnabled = true;
  /** Offsets whose assertion generates an event. */
  assertionEnables: number;
  /** Offsets whose deassertion generates an event. */
  deassertionEnables: number;
  /** Offsets deasserted since the last re-arm (Get Sensor Event Status). */
  deassertedSinceRearm = 0;

  /**
   * Create the state.
   *
   * @param config Configuration.
   * @param supported Offsets the sensor can generate.
   */
  constructor(config: C, supported: number) {
    this.config = config;
    this.assertionEnables = supported;
    this.deassertionEnables = supported;
  }

  /** Offsets the sensor can generate events for. */
  abstract get supported(): number;

  /** Offsets currently asserted. */
  abstract get asserted(): number;

  /** Get Sensor Reading byte 2 (also Get Sensor Event Enable byte 1): events and scanning. */
  readingFlags(): number {
    return (this.eventsEnabled ? READING_EVENTS_ENABLED : 0) |
      (this.scanningEnabled ? READING_SCANNING_ENABLED : 0);
  }

  /** Get Sensor Reading response data. */
  abstract readingResponse(): number[];

  /**
   * Keep only the events that are enabled.
   *
   * @param events Candidate events.
   * @returns Events to log.
   */
  protected enabled(events: SensorEvent[]): SensorEvent[] {
    for (const e of events) if (!e.assertion) this.deassertedSinceRearm |= 1 << e.offset;
    if (!this.eventsEnabled || !this.scanningEnabled) return [];
    return events.filter((e) =>
      ((e.assertion ? this.assertionEnables : this.deassertionEnables) >> e.offset) & 1
    );
  }

  /** Restore power-on enables (BMC reset). */
  resetEnables(): void {
    this.eventsEnabled = true;
    this.scanningEnabled = true;
    this.assertionEnables = this.supported;
    this.deassertionEnables = this.supported;
    this.deassertedSinceRearm = 0;
  }
}

/** A threshold-based sensor. */
export class ThresholdSensor extends SensorBase<ThresholdSensorConfig> {
  /** Raw reading. */
  raw: number;
  /** Raw thresholds (settable). */
  readonly thresholds: Partial<Record<ThresholdName, number>>;
  /** Raw hysteresis (settable). */
  hysteresis: { positive: number; negative: number };
  #asserted = 0;

  /**
   * Create a threshold sensor at its initial reading (nothing logged).
   *
   * @param config Configuration.
   */
  constructor(config: ThresholdSensorConfig) {
    super(config, supportedThresholdOffsets(config.thresholds));
    this.thresholds = { ...config.thresholds };
    this.hysteresis = { ...config.hysteresis };
    this.raw = toRaw(config.initial, config.factors);
    this.#evaluate();
  }

  /** Offsets: lower thresholds going low, upper going high, for thresholds present. */
  get supported(): number {
    return supportedThresholdOffsets(this.thresholds);
  }

  /** Offsets currently asserted. */
  get asserted(): number {
    return this.#asserted;
  }

  /** Reading in the sensor's unit. */
  get value(): number {
    return toReading(this.raw, this.config.factors);
  }

  /** Mask of the thresholds present (bit 0 LNC … bit 5 UNR). */
  get thresholdMask(): number {
    return THRESHOLDS.reduce((m, t, i) => (this.thresholds[t] === undefined ? m : m | (1 << i)), 0);
  }

  /**
   * Set the reading.
   *
   * @param value Reading in the sensor's unit.
   * @returns Events to log.
   */
  setValue(value: number): SensorEvent[] {
    return this.setRaw(toRaw(value, this.config.factors));
  }

  /**
   * Set the raw reading.
   *
   * @param raw Raw byte.
   * @returns Events to log.
   */
  setRaw(raw: number): SensorEvent[] {
    this.raw = raw & 0xff;
    return this.enabled(this.#evaluate());
  }

  /**
   * Change thresholds (Set Sensor Thresholds); re-evaluates.
   *
   * @param values Raw values by threshold.
   * @returns Events to log.
   */
  setThresholds(values: Partial<Record<ThresholdName, number>>): SensorEvent[] {
    Object.assign(this.thresholds, values);
    return this.enabled(this.#evaluate());
  }

  /**
   * Re-arm: forget asserted state so present conditions assert again.
   *
   * @returns Events to log.
   */
  rearm(): SensorEvent[] {
    this.#asserted = 0;
    this.deassertedSinceRearm = 0;
    return this.enabled(this.#evaluate());
  }

  /**
   * Get Sensor Reading: reading, flags, threshold status (bit per asserted threshold).
   *
   * @returns Response data.
   */
  readingResponse(): number[] {
    let status = 0;
    THRESHOLDS.forEach((t, i) => {
      if ((this.#asserted >> thresholdOffset(t)) & 1) status |= 1 << i;
    });
    return [this.raw, this.readingFlags(), status | 0xc0];
  }

  /** Compare in reading order: larger means a higher reading. */
  #order(raw: number): number {
    const f = this.config.factors;
    const signed = f.signed && raw > 0x7f ? raw - 0x100 : raw;
    return f.m < 0 ? -signed : signed;
  }

  #evaluate(): SensorEvent[] {
    const x = this.#order(this.raw);
    const events: SensorEvent[] = [];
    // Assert from the least to the most severe, deassert the other way.
    const ordered = ["unc", "ucr", "unr", "lnc", "lcr", "lnr"] as const;
    const changes: { t: ThresholdName; on: boolean }[] = [];
    for (const t of ordered) {
      const raw = this.thresholds[t];
      const offset = thresholdOffset(t);
      const was = ((this.#asserted >> offset) & 1) === 1;
      if (raw === undefined) {
        if (was) this.#asserted &= ~(1 << offset);
        continue;
      }
      const th = this.#order(raw);
      const upper = isUpperThreshold(t);
      const now = upper
        ? (was ? x >= th - this.hysteresis.negative : x >= th)
        : (was ? x <= th + this.hysteresis.positive : x <= th);
      if (now !== was) changes.push({ t, on: now });
    }
    const severity = (t: ThresholdName) => ["nc", "cr", "nr"].indexOf(t.slice(1));
    changes.sort((a, b) =>
      a.on === b.on ? (a.on ? 1 : -1) * (severity(a.t) - severity(b.t)) : a.on ? 1 : -1
    );
    for (const { t, on } of changes) {
      const offset = thresholdOffset(t);
      this.#asserted = on ? this.#asserted | (1 << offset) : this.#asserted & ~(1 << offset);
      events.push({
        offset,
        assertion: on,
        data: [
          DATA1_TRIGGER_READING | DATA1_TRIGGER_THRESHOLD | offset,
          this.raw,
          this.thresholds[t]!,
        ],
      });
    }
    return events;
  }
}

function supportedThresholdOffsets(t: Partial<Record<ThresholdName, number>>): number {
  return THRESHOLDS.reduce(
    (m, name) => (t[name] === undefined ? m : m | (1 << thresholdOffset(name))),
    0,
  );
}

/** A discrete sensor. */
export class DiscreteSensor extends SensorBase<DiscreteSensorConfig> {
  #state: number;

  /**
   * Create a discrete sensor in its initial state (nothing logged).
   *
   * @param config Configuration.
   */
  constructor(config: DiscreteSensorConfig) {
    super(config, config.offsets);
    this.#state = config.initialState & config.offsets;
  }

  /** Offsets the sensor can assert. */
  get supported(): number {
    return this.config.offsets;
  }

  /** Offsets currently asserted. */
  get asserted(): number {
    return this.#state;
  }

  /**
   * Set the asserted offsets.
   *
   * @param state Mask of asserted offsets.
   * @returns Events to log, or a reason the state is invalid.
   */
  setState(state: number): SensorEvent[] {
    const next = state & DISCRETE_MASK;
    const changed = next ^ this.#state;
    const events: SensorEvent[] = [];
    for (let o = 0; o < 15; o++) {
      if (!((changed >> o) & 1)) continue;
      events.push({
        offset: o,
        assertion: ((next >> o) & 1) === 1,
        data: [o, UNSPECIFIED, UNSPECIFIED],
      });
    }
    // Deassertions first, then assertions, each in offset order.
    events.sort((
      a,
      b,
    ) => (a.assertion === b.assertion ? a.offset - b.offset : a.assertion ? 1 : -1));
    this.#state = next;
    return this.enabled(events);
  }

  /**
   * Re-arm: present states assert again.
   *
   * @returns Events to log.
   */
  rearm(): SensorEvent[] {
    const state = this.#state;
    this.#state = 0;
    this.deassertedSinceRearm = 0;
    return this.setState(state);
  }

  /**
   * Get Sensor Reading: no reading byte, flags, state bits 7:0 and 14:8.
   *
   * @returns Response data.
   */
  readingResponse(): number[] {
    return [0x00, this.readingFlags(), this.#state & 0xff, (this.#state >> 8) & 0x7f];
  }
}

/** A sensor of either kind. */
export type Sensor = ThresholdSensor | DiscreteSensor;

/**
 * Create the live sensor for a configuration.
 *
 * @param config Configuration.
 * @returns The sensor.
 */
export function createSensor(config: SensorConfig): Sensor {
  return config.kind === "threshold" ? new ThresholdSensor(config) : new DiscreteSensor(config);
}

/**
 * The event/reading type a sensor's events carry.
 *
 * @param sensor Sensor.
 * @returns Type code (0x01 for threshold sensors).
 */
export function eventReadingTypeOf(sensor: Sensor): number {
  return sensor instanceof ThresholdSensor ? EventReadingType.Threshold : sensor.config.readingType;
}
