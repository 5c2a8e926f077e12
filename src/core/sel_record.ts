/**
 * SEL record layouts (IPMI v2.0 ch. 32): building system event records and
 * decoding any record for people and the API.
 *
 * @module
 */

import { BMC_SLAVE_ADDRESS } from "../codec/constants.ts";
import { hexBytes } from "../codec/names.ts";
import { EventReadingType, SENSOR_TYPES } from "../codec/sensor_constants.ts";
import { u16, u32 } from "./command.ts";

/** Every SEL record is 16 bytes. */
export const SEL_RECORD_BYTES = 16;

/** SEL record types. */
export const SelRecordType = {
  SystemEvent: 0x02,
  /** First OEM timestamped type (0xC0–0xDF). */
  OemTimestampedFirst: 0xc0,
  /** First OEM non-timestamped type (0xE0–0xFF). */
  OemNonTimestampedFirst: 0xe0,
} as const;

/** Event message revision for IPMI 1.5/2.0 events. */
export const EVM_REV_IPMI2 = 0x04;

/** Whether the BMC stamps a record of this type with the SEL time. */
export function isTimestamped(recordType: number): boolean {
  return recordType < SelRecordType.OemNonTimestampedFirst;
}

/** The fields of a system event (what a Platform Event Message carries). */
export interface SystemEvent {
  /** Generator ID byte 1 (bit 0: 1 = software ID, 0 = IPMB address). */
  readonly generatorId: number;
  /** Generator ID byte 2: channel [7:4] and LUN [1:0]. */
  readonly generatorChannelLun?: number;
  /** Event message format revision (0x04; Linux's panic event uses 0x03). */
  readonly evmRev: number;
  /** Sensor type. */
  readonly sensorType: number;
  /** Sensor number. */
  readonly sensorNumber: number;
  /** Event direction [7] (1 = deassertion) and event/reading type [6:0]. */
  readonly eventDirType: number;
  /** Event data 1–3 (absent bytes are 0xFF). */
  readonly data: readonly [number, (number | undefined)?, (number | undefined)?];
}

/**
 * Build a 16-byte system event record (type 0x02); the SEL fills record id
 * and timestamp when it stores it.
 *
 * @param event Event fields.
 * @returns Record bytes.
 */
export function systemEventRecord(event: SystemEvent): Uint8Array {
  const r = new Uint8Array(SEL_RECORD_BYTES);
  r[2] = SelRecordType.SystemEvent;
  r[7] = event.generatorId;
  r[8] = event.generatorChannelLun ?? 0x00;
  r[9] = event.evmRev;
  r[10] = event.sensorType;
  r[11] = event.sensorNumber;
  r[12] = event.eventDirType;
  r[13] = event.data[0];
  r[14] = event.data[1] ?? 0xff;
  r[15] = event.data[2] ?? 0xff;
  return r;
}

/** An event as the API and scenarios describe it. */
export interface EventDescription {
  readonly sensorType: number;
  readonly sensorNumber: number;
  /** Event/reading type (bit 7 is the direction, given apart). */
  readonly eventType: number;
  readonly direction: "assertion" | "deassertion";
  /** Event data 1–3 (at least one byte). */
  readonly eventData: readonly number[];
  readonly generatorId: number;
  /** @default 0x04 (IPMI 1.5/2.0) */
  readonly evmRev?: number;
}

/**
 * The system event an event description stands for.
 *
 * @param e The description.
 * @returns Event fields for the SEL and the event message buffer.
 */
export function systemEventOf(e: EventDescription): SystemEvent {
  return {
    generatorId: e.generatorId,
    evmRev: e.evmRev ?? EVM_REV_IPMI2,
    sensorType: e.sensorType,
    sensorNumber: e.sensorNumber,
    eventDirType: (e.direction === "deassertion" ? 0x80 : 0) | (e.eventType & 0x7f),
    data: [e.eventData[0]!, e.eventData[1], e.eventData[2]],
  };
}

/**
 * The event fields of a BMC-generated event (generator = the BMC itself).
 *
 * @param fields Sensor and event data.
 * @returns A system event from generator 0x20.
 */
export function bmcEvent(
  fields: Omit<SystemEvent, "generatorId" | "evmRev">,
): SystemEvent {
  return { generatorId: BMC_SLAVE_ADDRESS, evmRev: EVM_REV_IPMI2, ...fields };
}

/** A record decoded for people and the API. */
export interface DecodedSelRecord {
  /** Record id. */
  readonly id: number;
  /** Record type byte. */
  readonly recordType: number;
  /** `system-event`, `oem-timestamped` or `oem-non-timestamped`. */
  readonly kind: string;
  /** Timestamp as ISO 8601 (timestamped types). */
  readonly timestamp?: string;
  /** Raw timestamp seconds (timestamped types). */
  readonly timestampSeconds?: number;
  /** Generator ID (system events). */
  readonly generatorId?: number;
  /** Sensor type (system events). */
  readonly sensorType?: number;
  /** Sensor number (system events). */
  readonly sensorNumber?: number;
  /** `assertion` or `deassertion` (system events). */
  readonly direction?: "assertion" | "deassertion";
  /** Event/reading type (system events). */
  readonly eventType?: number;
  /** Event data 1–3 (system events). */
  readonly eventData?: readonly number[];
  /** Offset from event data 1 [3:0] (system events). */
  readonly offset?: number;
  /** What the event means, where known. */
  readonly description?: string;
  /** The 16 bytes in hex. */
  readonly raw: string;
}

const WATCHDOG2_OFFSETS = [
  "timer expired",
  "hard reset",
  "power down",
  "power cycle",
  "reserved",
  "reserved",
  "reserved",
  "reserved",
  "timer interrupt",
];
const OS_CRITICAL_STOP_OFFSETS = [
  "critical stop during OS load",
  "run-time critical stop",
  "OS graceful stop",
  "OS graceful shutdown",
  "soft shutdown initiated by PEF",
  "agent not responding",
];

/** Threshold event offsets (IPMI v2.0 table 42-2), in ipmitool's words. */
const THRESHOLD_OFFSETS = [
  "Lower Non-critical going low",
  "Lower Non-critical going high",
  "Lower Critical going low",
  "Lower Critical going high",
  "Lower Non-recoverable going low",
  "Lower Non-recoverable going high",
  "Upper Non-critical going low",
  "Upper Non-critical going high",
  "Upper Critical going low",
  "Upper Critical going high",
  "Upper Non-recoverable going low",
  "Upper Non-recoverable going high",
];

function describe(sensorType: number, eventType: number, offset: number): string | undefined {
  if (eventType === EventReadingType.Threshold) return THRESHOLD_OFFSETS[offset];
  if (sensorType === SENSOR_TYPES["watchdog-2"]) {
    return `Watchdog 2: ${WATCHDOG2_OFFSETS[offset] ?? "reserved"}`;
  }
  if (sensorType === SENSOR_TYPES["os-critical-stop"]) {
    return `OS Critical Stop: ${OS_CRITICAL_STOP_OFFSETS[offset] ?? "reserved"}`;
  }
  return undefined;
}

/**
 * Decode a stored record.
 *
 * @param bytes 16 record bytes.
 * @returns Decoded fields.
 */
export function decodeSelRecord(bytes: Uint8Array): DecodedSelRecord {
  const id = u16(bytes, 0);
  const recordType = bytes[2]!;
  const raw = hexBytes(bytes);
  if (!isTimestamped(recordType)) {
    return { id, recordType, kind: "oem-non-timestamped", raw };
  }
  const seconds = u32(bytes, 3);
  const timestamp = new Date(seconds * 1000).toISOString();
  if (recordType !== SelRecordType.SystemEvent) {
    return { id, recordType, kind: "oem-timestamped", timestamp, timestampSeconds: seconds, raw };
  }
  const sensorType = bytes[10]!;
  const offset = bytes[13]! & 0x0f;
  const description = describe(sensorType, bytes[12]! & 0x7f, offset);
  return {
    id,
    recordType,
    kind: "system-event",
    timestamp,
    timestampSeconds: seconds,
    generatorId: bytes[7]!,
    sensorType,
    sensorNumber: bytes[11]!,
    direction: bytes[12]! & 0x80 ? "deassertion" : "assertion",
    eventType: bytes[12]! & 0x7f,
    eventData: [bytes[13]!, bytes[14]!, bytes[15]!],
    offset,
    ...(description === undefined ? {} : { description }),
    raw,
  };
}
