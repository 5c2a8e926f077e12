/**
 * The SDR repository (IPMI v2.0 ch. 33): records built from the profile's
 * sensors and FRU devices, read with reservations and partial reads. It is
 * read-only for the host (the BMC owns its SDRs), so Add/Delete/Clear SDR
 * are not supported.
 *
 * @module
 */

import { BMC_SLAVE_ADDRESS, CompletionCode } from "../codec/constants.ts";
import {
  type CompactSensorRecord,
  encodeCompactSensor,
  encodeFruDeviceLocator,
  encodeFullSensor,
  encodeMcDeviceLocator,
} from "../codec/sdr.ts";
import { ENTITY_IDS, EventReadingType } from "../codec/sensor_constants.ts";
import { toRaw } from "../codec/sensor_factors.ts";
import { createHash } from "node:crypto";
import type { BmcConfig } from "./config.ts";
import type { StateStore } from "./ports.ts";
import type { Sensor } from "./sensor.ts";
import { ThresholdSensor } from "./sensor.ts";
import { READ_WHOLE_RECORD, RECORD_FIRST, RECORD_LAST, Reservation } from "./command.ts";

/** FRU locator device type: FRU inventory device behind a management controller. */
const FRU_DEVICE_TYPE_BEHIND_MC = 0x10;
/** Sensor owner LUN of BMC sensors. */
const OWNER_LUN = 0;
/** Initialisation: scanning, events, thresholds, hysteresis, type; events and scanning on. */
const INIT_THRESHOLD = 0x7f;
/** Initialisation for discrete sensors: scanning, events, type; events and scanning on. */
const INIT_DISCRETE = 0x67;
/** Capabilities: auto re-arm, per-threshold event enables. */
const CAP_AUTO_REARM = 0x40;
/** Hysteresis and thresholds readable and settable. */
const CAP_SETTABLE = 0x20 | 0x08;
/** Hysteresis and thresholds readable only. */
const CAP_READABLE = 0x10 | 0x04;
/** Offsets of the threshold reading masks in the event masks (bits 14:12). */
const READING_MASK_SHIFT = 12;

/** A Get SDR result. */
export type SdrRead =
  | { readonly ok: true; readonly next: number; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly cc: number };

/**
 * Build the records: the BMC's MC locator, a FRU locator per FRU device,
 * then the sensors in order (full records for threshold sensors, compact
 * for discrete ones).
 *
 * @param config BMC configuration.
 * @param sensors Live sensors in SDR order.
 * @returns Encoded records with ids 1, 2, …
 */
export function buildSdrRecords(config: BmcConfig, sensors: readonly Sensor[]): Uint8Array[] {
  const records: Uint8Array[] = [];
  const id = () => records.length + 1;
  records.push(encodeMcDeviceLocator(id(), {
    slaveAddress: BMC_SLAVE_ADDRESS,
    channel: 0,
    capabilities: config.identity.additionalSupport,
    entityId: ENTITY_IDS["system-management-module"],
    entityInstance: 1,
    idString: "BMC",
  }));
  for (const fru of config.frus) {
    records.push(encodeFruDeviceLocator(id(), {
      deviceAddress: BMC_SLAVE_ADDRESS,
      fruDeviceId: fru.id,
      logical: true,
      deviceType: FRU_DEVICE_TYPE_BEHIND_MC,
      deviceTypeModifier: 0,
      entityId: ENTITY_IDS["system-board"],
      entityInstance: 1,
      idString: fru.name,
    }));
  }
  for (const sensor of sensors) records.push(sensorRecord(id(), sensor));
  return records;
}

function sensorRecord(recordId: number, sensor: Sensor): Uint8Array {
  const c = sensor.config;
  const common = {
    ownerId: BMC_SLAVE_ADDRESS,
    ownerLun: OWNER_LUN,
    sensorNumber: c.number,
    entityId: c.entityId,
    entityInstance: c.entityInstance,
    sensorType: c.sensorType,
    idString: c.name,
  };
  if (sensor instanceof ThresholdSensor && c.kind === "threshold") {
    const present = sensor.thresholdMask;
    const lower = present & 0x07;
    const upper = (present >> 3) & 0x07;
    const settable = c.settable ? present << 8 : 0;
    return encodeFullSensor(recordId, {
      ...common,
      initialization: INIT_THRESHOLD,
      capabilities: CAP_AUTO_REARM | (c.settable ? CAP_SETTABLE : CAP_READABLE),
      eventReadingType: EventReadingType.Threshold,
      assertionMask: sensor.supported | (lower << READING_MASK_SHIFT),
      deassertionMask: sensor.supported | (upper << READING_MASK_SHIFT),
      readingMask: settable | present,
      units: { base: c.unit },
      factors: c.factors,
      ...(c.nominal === null ? {} : { nominal: toRaw(c.nominal, c.factors) }),
      thresholds: c.thresholds,
      positiveHysteresis: c.hysteresis.positive,
      negativeHysteresis: c.hysteresis.negative,
    });
  }
  if (c.kind !== "discrete") throw new Error(`sensor ${c.name}: kind mismatch`);
  const record: CompactSensorRecord = {
    ...common,
    initialization: INIT_DISCRETE,
    capabilities: CAP_AUTO_REARM,
    eventReadingType: c.readingType,
    assertionMask: c.offsets,
    deassertionMask: c.offsets,
    readingMask: c.offsets,
    units: { base: 0, analogFormat: "none" },
    positiveHysteresis: 0,
    negativeHysteresis: 0,
  };
  return encodeCompactSensor(recordId, record);
}

/** State-store key of the records' digest and their addition time. */
const ADDED_KEY = "sdr.added";

/**
 * The "most recent addition" time of these records: kept from the state
 * store while the records are the same, so a restarted BMC reports the
 * timestamp it reported before (as hardware does, and as SDR caches such as
 * FreeIPMI's check: a new time at every start made ipmi-sensors and ipmi-sel
 * refuse their cache with "out of date"); `now` when they changed.
 *
 * @param records Encoded records.
 * @param store State store.
 * @param now SEL-time seconds now.
 * @returns SEL-time seconds of the most recent addition.
 */
export function sdrAddedAt(records: readonly Uint8Array[], store: StateStore, now: number): number {
  const hash = createHash("sha256");
  for (const r of records) hash.update(r);
  const digest = hash.digest("hex");
  try {
    const saved = JSON.parse(store.getValue(ADDED_KEY) ?? "null") as {
      digest?: unknown;
      at?: unknown;
    } | null;
    if (saved?.digest === digest && typeof saved.at === "number") return saved.at;
  } catch {
    // Damaged: a new time.
  }
  store.setValue(ADDED_KEY, JSON.stringify({ digest, at: now }));
  return now;
}

/** The repository: records, reservation, timestamps. */
export class SdrRepository {
  readonly #records: readonly Uint8Array[];
  readonly #addedAt: number;
  readonly #reservation = new Reservation();

  /**
   * Create the repository.
   *
   * @param records Encoded records, ids 1…n.
   * @param addedAt SEL-time seconds of the most recent addition (start-up).
   */
  constructor(records: readonly Uint8Array[], addedAt: number) {
    this.#records = records;
    this.#addedAt = addedAt;
  }

  /** Number of records. */
  get count(): number {
    return this.#records.length;
  }

  /** SEL-time seconds of the most recent addition. */
  get addedAt(): number {
    return this.#addedAt;
  }

  /** Every record, for the API. */
  records(): readonly Uint8Array[] {
    return this.#records;
  }

  /**
   * Start a reservation (cancels the previous one).
   *
   * @returns Reservation id (never 0).
   */
  reserve(): number {
    return this.#reservation.reserve();
  }

  /** Cancel the reservation (BMC reset). */
  cancelReservation(): void {
    this.#reservation.cancel();
  }

  /**
   * Get SDR: a record or part of it. A partial read (offset > 0) needs the
   * current reservation (0xC5 otherwise); reading past the end returns what
   * is there.
   *
   * @param req Reservation, record id (0 first, 0xFFFF last), offset, count (0xFF: all).
   * @returns Next record id and bytes, or a completion code.
   */
  get(req: { reservation: number; recordId: number; offset: number; count: number }): SdrRead {
    if (req.offset > 0 && !this.#reservation.valid(req.reservation)) {
      return { ok: false, cc: CompletionCode.ReservationCancelled };
    }
    const n = this.#records.length;
    const index = req.recordId === RECORD_FIRST
      ? 0
      : req.recordId === RECORD_LAST
      ? n - 1
      : req.recordId - 1;
    const record = this.#records[index];
    if (record === undefined || n === 0) {
      return { ok: false, cc: CompletionCode.NotPresent };
    }
    if (req.offset > record.length) return { ok: false, cc: CompletionCode.ParameterOutOfRange };
    const end = req.count === READ_WHOLE_RECORD
      ? record.length
      : Math.min(record.length, req.offset + req.count);
    const next = index + 1 < n ? index + 2 : RECORD_LAST;
    return { ok: true, next, bytes: record.subarray(req.offset, end) };
  }
}
