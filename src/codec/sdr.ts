/**
 * Encoders for IPMI v2.0 Sensor Data Records (ch. 43): the Full Sensor
 * Record (type 01h, table 43-1), the Compact Sensor Record (02h, table 43-2),
 * the FRU Device Locator (11h, table 43-7) and the Management Controller
 * Device Locator (12h, table 43-8).
 *
 * Every record is a 5-byte header (record ID, little endian; SDR version 51h;
 * record type; number of bytes that follow) then the key and body bytes,
 * ending in a device/sensor ID string of at most 16 8-bit ASCII + Latin-1
 * characters behind its type/length byte `C0h | length`. Multi-byte fields are
 * little endian. Byte numbers in the comments are the spec's, counting from 1.
 *
 * @example A BMC's own Management Controller Device Locator
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeMcDeviceLocator } from "./sdr.ts";
 * const bytes = encodeMcDeviceLocator(1, {
 *   slaveAddress: 0x20, channel: 0, capabilities: 0x9f,
 *   entityId: 0x06, entityInstance: 0x01, idString: "BMC",
 * });
 * assert.equal(bytes.length, 19);
 * assert.equal(bytes[4], 19 - 5);
 * ```
 *
 * @module
 */

import { FACTOR_EXP_MAX, FACTOR_EXP_MIN, FACTOR_MB_MAX, FACTOR_MB_MIN } from "./sensor_factors.ts";
import type { SensorFactors } from "./sensor_factors.ts";

/** SDR version byte: IPMI v2.0 records are version 1.5, BCD 51h. */
export const SDR_VERSION = 0x51;

/** Record type codes (IPMI v2.0 §43). */
export const SdrType = {
  FullSensor: 0x01,
  CompactSensor: 0x02,
  FruDeviceLocator: 0x11,
  McDeviceLocator: 0x12,
} as const;

/** Bytes of the record header: record ID (2), SDR version, record type, record length. */
export const SDR_HEADER_LENGTH = 5;
/** Longest ID string an SDR may carry. */
export const SDR_ID_STRING_MAX = 16;
/** Type/length byte type bits 7:6 = 11b: 8-bit ASCII + Latin-1. */
export const ID_STRING_TYPE_8BIT_ASCII = 0xc0;

/** Bytes of a Full Sensor Record before its ID string (spec bytes 1–48). */
export const FULL_SENSOR_FIXED_LENGTH = 48;
/** Bytes of a Compact Sensor Record before its ID string (spec bytes 1–32). */
export const COMPACT_SENSOR_FIXED_LENGTH = 32;
/** Bytes of a FRU Device Locator before its ID string (spec bytes 1–16). */
export const FRU_LOCATOR_FIXED_LENGTH = 16;
/** Bytes of an MC Device Locator before its ID string (spec bytes 1–16). */
export const MC_LOCATOR_FIXED_LENGTH = 16;

/** Analog (numeric) data format, Sensor Units 1 bits 7:6. */
export const AnalogFormat = {
  unsigned: 0,
  "ones-complement": 1,
  "twos-complement": 2,
  none: 3,
} as const;

/** Linearization byte value for y = f(x) with f the identity. */
export const LINEARIZATION_LINEAR = 0x00;
/** Highest linearization code (bit 7 is reserved): 70h–7Fh are non-linear / OEM. */
const LINEARIZATION_MAX = 0x7f;

/** Analog characteristic flags, Full Sensor Record byte 31. */
export const AnalogFlag = {
  NominalSpecified: 0x01,
  NormalMaxSpecified: 0x02,
  NormalMinSpecified: 0x04,
} as const;

/** Raw full-range defaults for sensor maximum/minimum reading bytes. */
const RAW_RANGE = {
  unsigned: { max: 0xff, min: 0x00 },
  signed: { max: 0x7f, min: 0x80 },
} as const;

/** The 16-bit event/reading masks, spec bytes 15–20. */
const MASK_MAX = 0xffff;
const RECORD_ID_MAX = 0xffff;

/** An SDR field does not fit; the message starts with the field's name. */
export class SdrEncodeError extends Error {
  /**
   * @param message Starts with the offending field, e.g.
   *   `"idString: 20 characters, at most 16"`.
   */
  constructor(message: string) {
    super(message);
    this.name = "SdrEncodeError";
  }
}

/** Sensor Units 1–3 (spec bytes 21–23). */
export interface SensorUnits {
  /** Bits 7:6. Full records default to the format implied by `factors.signed`; compact records to "unsigned". */
  analogFormat?: keyof typeof AnalogFormat;
  /** Rate unit, bits 5:3 (0 = none … 6 = per day). */
  rate?: number;
  /** Modifier unit relation, bits 2:1 (0 none, 1 base/modifier, 2 base×modifier). */
  modifierUnitType?: number;
  /** Percentage, bit 0. */
  percentage?: boolean;
  /** Base unit type code (byte 22, table 43-15). */
  base: number;
  /** Modifier unit type code (byte 23), default 0. */
  modifier?: number;
}

/** Fields shared by Full and Compact Sensor Records (spec bytes 6–23 and the tail). */
export interface SensorRecordCommon {
  /** Sensor owner ID byte: 7-bit IPMB slave address in 7:1 (0x20 for the BMC), bit 0 = software ID. */
  ownerId: number;
  /** Sensor owner LUN, 0..3 (byte 7 bits 1:0). */
  ownerLun: number;
  /** Channel number of the owner, 0..15 (byte 7 bits 7:4), default 0. */
  channel?: number;
  /** Sensor number. */
  sensorNumber: number;
  /** Entity ID (table 43-13). */
  entityId: number;
  /** Entity instance byte; bit 7 = logical container entity. */
  entityInstance: number;
  /** Byte 11: sensor initialization flags. */
  initialization: number;
  /** Byte 12: sensor capabilities. */
  capabilities: number;
  /** Sensor type code (table 42-3). */
  sensorType: number;
  /** Event/reading type code (table 42-1); 01h = threshold. */
  eventReadingType: number;
  /** 16 bits: assertion event mask; for threshold sensors bits 14:12 are the lower threshold reading mask. */
  assertionMask: number;
  /** 16 bits: deassertion event mask; for threshold sensors bits 14:12 are the upper threshold reading mask. */
  deassertionMask: number;
  /** 16 bits: discrete reading mask, or settable (15:8) / readable (7:0) threshold mask. */
  readingMask: number;
  /** Sensor units. */
  units: SensorUnits;
  /** Positive-going threshold hysteresis, raw counts. */
  positiveHysteresis: number;
  /** Negative-going threshold hysteresis, raw counts. */
  negativeHysteresis: number;
  /** OEM byte, default 0. */
  oem?: number;
  /** Sensor ID string, at most 16 8-bit ASCII + Latin-1 characters. */
  idString: string;
}

/** Raw threshold bytes of a Full Sensor Record; absent thresholds are written as 0. */
export interface SensorThresholds {
  /** Upper non-recoverable. */
  unr?: number;
  /** Upper critical. */
  ucr?: number;
  /** Upper non-critical. */
  unc?: number;
  /** Lower non-recoverable. */
  lnr?: number;
  /** Lower critical. */
  lcr?: number;
  /** Lower non-critical. */
  lnc?: number;
}

/** A Full Sensor Record (type 01h). Reading-valued fields are raw bytes. */
export interface FullSensorRecord extends SensorRecordCommon {
  /** Linearization code 00h..7Fh, default 00h (linear). */
  linearization?: number;
  /** M, B, Bexp, Rexp and the raw format. */
  factors: SensorFactors;
  /** Tolerance in ±½ raw counts, 0..63. */
  tolerance?: number;
  /** Accuracy in 1/100 percent units (scaled by `accuracyExp`), 0..1023. */
  accuracy?: number;
  /** Accuracy exponent, 0..3. */
  accuracyExp?: number;
  /** Sensor direction: 0 unspecified, 1 input, 2 output. */
  direction?: number;
  /** Byte 31; default: the bits of whichever of `nominal`, `normalMax`, `normalMin` are given. */
  analogFlags?: number;
  /** Nominal reading, raw; default 0. */
  nominal?: number;
  /** Normal maximum, raw; default 0. */
  normalMax?: number;
  /** Normal minimum, raw; default 0. */
  normalMin?: number;
  /** Sensor maximum reading, raw; default the top of the raw range (FFh, or 7Fh when signed). */
  sensorMax?: number;
  /** Sensor minimum reading, raw; default the bottom of the raw range (00h, or 80h when signed). */
  sensorMin?: number;
  /** Threshold raw bytes. */
  thresholds: SensorThresholds;
}

/** A Compact Sensor Record (type 02h). */
export interface CompactSensorRecord extends SensorRecordCommon {
  /** Share count, 0..15 (byte 24 bits 3:0); 0 or 1 = one sensor. Default 0. */
  shareCount?: number;
  /** ID string instance modifier type, 0 numeric / 1 alpha (byte 24 bits 5:4). Default 0. */
  idInstanceModifierType?: number;
  /** Sensor direction, 0..3 (byte 24 bits 7:6). Default 0. */
  direction?: number;
  /** ID string instance modifier offset, 0..127 (byte 25 bits 6:0). Default 0. */
  idInstanceModifierOffset?: number;
  /** Entity instance increments for each shared sensor (byte 25 bit 7). Default false. */
  entityInstanceSharing?: boolean;
}

/** A FRU Device Locator Record (type 11h). */
export interface FruDeviceLocatorRecord {
  /** Device access address byte: 7-bit address in 7:1 (spec byte 6). */
  deviceAddress: number;
  /** FRU device ID (logical) or 7-bit slave address in 7:1 (physical). */
  fruDeviceId: number;
  /** Logical FRU device (accessed by FRU commands), byte 8 bit 7. */
  logical: boolean;
  /** Access LUN, 0..3 (byte 8 bits 4:3), default 0. */
  accessLun?: number;
  /** Private bus ID, 0..7 (byte 8 bits 2:0), default 0. */
  privateBusId?: number;
  /** Channel number, 0..15 (byte 9 bits 7:4), default 0. */
  channel?: number;
  /** Device type (table 43-12). */
  deviceType: number;
  /** Device type modifier. */
  deviceTypeModifier: number;
  /** FRU entity ID. */
  entityId: number;
  /** FRU entity instance. */
  entityInstance: number;
  /** OEM byte, default 0. */
  oem?: number;
  /** Device ID string, at most 16 characters. */
  idString: string;
}

/** A Management Controller Device Locator Record (type 12h). */
export interface McDeviceLocatorRecord {
  /** Device slave address byte, 7-bit address in 7:1 (e.g. 0x20). */
  slaveAddress: number;
  /** Channel number, 0..15 (byte 7 bits 3:0). */
  channel: number;
  /** Power state notification, 0..7 (byte 8 bits 7:5: ACPI system, ACPI device, static controller). */
  powerStateNotification?: number;
  /** Global initialization, 0..15 (byte 8 bits 3:0). */
  globalInit?: number;
  /** Device capabilities byte (chassis, bridge, event generator/receiver, FRU, SEL, SDR, sensor). */
  capabilities: number;
  /** Entity ID. */
  entityId: number;
  /** Entity instance. */
  entityInstance: number;
  /** OEM byte, default 0. */
  oem?: number;
  /** Device ID string, at most 16 characters. */
  idString: string;
}

function int(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SdrEncodeError(`${name}: ${value} is not an integer in ${min}..${max}`);
  }
  return value;
}

function byte(name: string, value: number): number {
  return int(name, value, 0, 0xff);
}

function bits(name: string, value: number, width: number): number {
  return int(name, value, 0, (1 << width) - 1);
}

/** A value in `width`-bit two's complement, as an unsigned field. */
function twos(name: string, value: number, width: number, min: number, max: number): number {
  return int(name, value, min, max) & ((1 << width) - 1);
}

function le16(name: string, value: number): number[] {
  int(name, value, 0, MASK_MAX);
  return [value & 0xff, value >> 8];
}

/** Type/length byte then the ID string bytes. */
function idStringBytes(text: string): number[] {
  const field = "idString";
  const length = text.length;
  if (length > SDR_ID_STRING_MAX) {
    throw new SdrEncodeError(`${field}: ${length} characters, at most ${SDR_ID_STRING_MAX}`);
  }
  const out = [ID_STRING_TYPE_8BIT_ASCII | length];
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code > 0xff) {
      const hex = code.toString(16).padStart(4, "0");
      throw new SdrEncodeError(
        `${field}: character ${i} (U+${hex}) is not printable 8-bit ASCII/Latin-1`,
      );
    }
    out.push(code);
  }
  return out;
}

/** Header in front of `body`, with the record length byte = body length. */
function withHeader(recordId: number, type: number, body: number[]): Uint8Array {
  int("recordId", recordId, 0, RECORD_ID_MAX);
  return Uint8Array.from([
    recordId & 0xff,
    recordId >> 8,
    SDR_VERSION,
    type,
    body.length,
    ...body,
  ]);
}

/** Spec bytes 6–20: keys, entity, init, capabilities, types and masks. */
function commonHead(r: SensorRecordCommon): number[] {
  return [
    byte("ownerId", r.ownerId), // 6
    (bits("channel", r.channel ?? 0, 4) << 4) | bits("ownerLun", r.ownerLun, 2), // 7
    byte("sensorNumber", r.sensorNumber), // 8
    byte("entityId", r.entityId), // 9
    byte("entityInstance", r.entityInstance), // 10
    byte("initialization", r.initialization), // 11
    byte("capabilities", r.capabilities), // 12
    byte("sensorType", r.sensorType), // 13
    byte("eventReadingType", r.eventReadingType), // 14
    ...le16("assertionMask", r.assertionMask), // 15–16
    ...le16("deassertionMask", r.deassertionMask), // 17–18
    ...le16("readingMask", r.readingMask), // 19–20
  ];
}

/** Spec bytes 21–23: Sensor Units 1, base unit, modifier unit. */
function unitBytes(units: SensorUnits, format: keyof typeof AnalogFormat): number[] {
  const code = AnalogFormat[format];
  if (code === undefined) {
    throw new SdrEncodeError(`units.analogFormat: ${String(format)} is not a known format`);
  }
  return [
    (code << 6) |
    (bits("units.rate", units.rate ?? 0, 3) << 3) |
    (bits("units.modifierUnitType", units.modifierUnitType ?? 0, 2) << 1) |
    (units.percentage === true ? 1 : 0),
    byte("units.base", units.base),
    byte("units.modifier", units.modifier ?? 0),
  ];
}

/** The analog format of a full record, checked against its factors. */
function fullAnalogFormat(r: FullSensorRecord): keyof typeof AnalogFormat {
  const implied = r.factors.signed ? "twos-complement" : "unsigned";
  const given = r.units.analogFormat;
  if (given === undefined) return implied;
  const givenSigned = given === "twos-complement" || given === "ones-complement";
  if (given !== "none" && givenSigned !== r.factors.signed) {
    throw new SdrEncodeError(
      `units.analogFormat: "${given}" contradicts factors.signed = ${r.factors.signed}`,
    );
  }
  return given;
}

/**
 * Encode a Full Sensor Record (type 01h, IPMI v2.0 table 43-1).
 *
 * Layout (spec bytes): 6–20 as in every sensor record; 21–23 units;
 * 24 linearization; 25 M 7:0; 26 M 9:8 in 7:6, tolerance 5:0; 27 B 7:0;
 * 28 B 9:8 in 7:6, accuracy 5:0; 29 accuracy 9:6 in 7:4, accuracy exp 3:2,
 * direction 1:0; 30 Rexp 7:4, Bexp 3:0; 31 analog flags; 32 nominal;
 * 33 normal max; 34 normal min; 35 sensor max; 36 sensor min; 37–42 UNR,
 * UCR, UNC, LNR, LCR, LNC; 43 positive, 44 negative hysteresis;
 * 45–46 reserved; 47 OEM; 48 ID type/length; 49– ID string.
 *
 * @param recordId Record ID, 0..65535 (little endian in bytes 1–2).
 * @param r The record.
 * @returns The record bytes, 48 + ID string length long.
 * @throws {SdrEncodeError} Naming the first field that does not fit.
 */
export function encodeFullSensor(recordId: number, r: FullSensorRecord): Uint8Array {
  const f = r.factors;
  const [m0, m1, b0, b1, , exps] = factorBytes(f);
  const accuracy = bits("accuracy", r.accuracy ?? 0, 10);
  const range = f.signed ? RAW_RANGE.signed : RAW_RANGE.unsigned;
  const analogFlags = r.analogFlags ?? (
    (r.nominal !== undefined ? AnalogFlag.NominalSpecified : 0) |
    (r.normalMax !== undefined ? AnalogFlag.NormalMaxSpecified : 0) |
    (r.normalMin !== undefined ? AnalogFlag.NormalMinSpecified : 0)
  );
  const t = r.thresholds;
  const body = [
    ...commonHead(r), // 6–20
    ...unitBytes(r.units, fullAnalogFormat(r)), // 21–23
    int("linearization", r.linearization ?? LINEARIZATION_LINEAR, 0, LINEARIZATION_MAX), // 24
    m0!, // 25
    m1! | bits("tolerance", r.tolerance ?? 0, 6), // 26
    b0!, // 27
    b1! | (accuracy & 0x3f), // 28
    ((accuracy >> 6) << 4) | (bits("accuracyExp", r.accuracyExp ?? 0, 2) << 2) |
    bits("direction", r.direction ?? 0, 2), // 29
    exps!, // 30
    byte("analogFlags", analogFlags), // 31
    byte("nominal", r.nominal ?? 0), // 32
    byte("normalMax", r.normalMax ?? 0), // 33
    byte("normalMin", r.normalMin ?? 0), // 34
    byte("sensorMax", r.sensorMax ?? range.max), // 35
    byte("sensorMin", r.sensorMin ?? range.min), // 36
    byte("thresholds.unr", t.unr ?? 0), // 37
    byte("thresholds.ucr", t.ucr ?? 0), // 38
    byte("thresholds.unc", t.unc ?? 0), // 39
    byte("thresholds.lnr", t.lnr ?? 0), // 40
    byte("thresholds.lcr", t.lcr ?? 0), // 41
    byte("thresholds.lnc", t.lnc ?? 0), // 42
    byte("positiveHysteresis", r.positiveHysteresis), // 43
    byte("negativeHysteresis", r.negativeHysteresis), // 44
    0x00, // 45 reserved
    0x00, // 46 reserved
    byte("oem", r.oem ?? 0), // 47
    ...idStringBytes(r.idString), // 48, 49–
  ];
  return withHeader(recordId, SdrType.FullSensor, body);
}

/**
 * Encode a Compact Sensor Record (type 02h, IPMI v2.0 table 43-2).
 *
 * Layout (spec bytes): 6–23 as in the full record; 24 direction 7:6, ID
 * string instance modifier type 5:4, share count 3:0; 25 entity instance
 * sharing 7, ID string instance modifier offset 6:0; 26 positive, 27 negative
 * hysteresis; 28–30 reserved; 31 OEM; 32 ID type/length; 33– ID string.
 *
 * @param recordId Record ID, 0..65535.
 * @param r The record; `units.analogFormat` defaults to "unsigned" (00b).
 * @returns The record bytes, 32 + ID string length long.
 * @throws {SdrEncodeError} Naming the first field that does not fit.
 */
export function encodeCompactSensor(recordId: number, r: CompactSensorRecord): Uint8Array {
  const body = [
    ...commonHead(r), // 6–20
    ...unitBytes(r.units, r.units.analogFormat ?? "unsigned"), // 21–23
    (bits("direction", r.direction ?? 0, 2) << 6) |
    (bits("idInstanceModifierType", r.idInstanceModifierType ?? 0, 2) << 4) |
    bits("shareCount", r.shareCount ?? 0, 4), // 24
    (r.entityInstanceSharing === true ? 0x80 : 0) |
    bits("idInstanceModifierOffset", r.idInstanceModifierOffset ?? 0, 7), // 25
    byte("positiveHysteresis", r.positiveHysteresis), // 26
    byte("negativeHysteresis", r.negativeHysteresis), // 27
    0x00, // 28 reserved
    0x00, // 29 reserved
    0x00, // 30 reserved
    byte("oem", r.oem ?? 0), // 31
    ...idStringBytes(r.idString), // 32, 33–
  ];
  return withHeader(recordId, SdrType.CompactSensor, body);
}

/**
 * Encode a FRU Device Locator Record (type 11h, IPMI v2.0 table 43-7).
 *
 * Layout (spec bytes): 6 device access address; 7 FRU device ID / slave
 * address; 8 logical 7, reserved 6:5, access LUN 4:3, private bus 2:0;
 * 9 channel 7:4; 10 reserved; 11 device type; 12 device type modifier;
 * 13 entity ID; 14 entity instance; 15 OEM; 16 ID type/length; 17– ID string.
 *
 * @param recordId Record ID, 0..65535.
 * @param r The record.
 * @returns The record bytes, 16 + ID string length long.
 * @throws {SdrEncodeError} Naming the first field that does not fit.
 */
export function encodeFruDeviceLocator(recordId: number, r: FruDeviceLocatorRecord): Uint8Array {
  const body = [
    byte("deviceAddress", r.deviceAddress), // 6
    byte("fruDeviceId", r.fruDeviceId), // 7
    (r.logical ? 0x80 : 0) | (bits("accessLun", r.accessLun ?? 0, 2) << 3) |
    bits("privateBusId", r.privateBusId ?? 0, 3), // 8
    bits("channel", r.channel ?? 0, 4) << 4, // 9
    0x00, // 10 reserved
    byte("deviceType", r.deviceType), // 11
    byte("deviceTypeModifier", r.deviceTypeModifier), // 12
    byte("entityId", r.entityId), // 13
    byte("entityInstance", r.entityInstance), // 14
    byte("oem", r.oem ?? 0), // 15
    ...idStringBytes(r.idString), // 16, 17–
  ];
  return withHeader(recordId, SdrType.FruDeviceLocator, body);
}

/**
 * Encode a Management Controller Device Locator Record (type 12h, IPMI v2.0
 * table 43-8).
 *
 * Layout (spec bytes): 6 slave address; 7 channel 3:0; 8 power state
 * notification 7:5, reserved 4, global initialization 3:0; 9 device
 * capabilities; 10–12 reserved; 13 entity ID; 14 entity instance; 15 OEM;
 * 16 ID type/length; 17– ID string.
 *
 * @param recordId Record ID, 0..65535.
 * @param r The record.
 * @returns The record bytes, 16 + ID string length long.
 * @throws {SdrEncodeError} Naming the first field that does not fit.
 */
export function encodeMcDeviceLocator(recordId: number, r: McDeviceLocatorRecord): Uint8Array {
  const body = [
    byte("slaveAddress", r.slaveAddress), // 6
    bits("channel", r.channel, 4), // 7
    (bits("powerStateNotification", r.powerStateNotification ?? 0, 3) << 5) |
    bits("globalInit", r.globalInit ?? 0, 4), // 8
    byte("capabilities", r.capabilities), // 9
    0x00, // 10 reserved
    0x00, // 11 reserved
    0x00, // 12 reserved
    byte("entityId", r.entityId), // 13
    byte("entityInstance", r.entityInstance), // 14
    byte("oem", r.oem ?? 0), // 15
    ...idStringBytes(r.idString), // 16, 17–
  ];
  return withHeader(recordId, SdrType.McDeviceLocator, body);
}

/**
 * The six conversion-factor bytes of a Full Sensor Record (spec bytes
 * 25–30), which Get Sensor Reading Factors also returns: M, M/tolerance,
 * B, B/accuracy, accuracy/exp/direction, Rexp/Bexp.
 *
 * @param f Conversion factors (tolerance, accuracy and direction 0).
 * @returns Six bytes.
 * @throws {SdrEncodeError} When a factor is out of range.
 */
export function factorBytes(f: SensorFactors): number[] {
  const m = twos("factors.m", f.m, 10, FACTOR_MB_MIN, FACTOR_MB_MAX);
  const b = twos("factors.b", f.b, 10, FACTOR_MB_MIN, FACTOR_MB_MAX);
  const rExp = twos("factors.rExp", f.rExp, 4, FACTOR_EXP_MIN, FACTOR_EXP_MAX);
  const bExp = twos("factors.bExp", f.bExp, 4, FACTOR_EXP_MIN, FACTOR_EXP_MAX);
  return [m & 0xff, (m >> 8) << 6, b & 0xff, (b >> 8) << 6, 0x00, (rExp << 4) | bExp];
}
