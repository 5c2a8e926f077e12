/**
 * A SEL record as a Redfish `LogEntry` (`EntryType: SEL`): the IPMI sensor
 * type and event decoded into LogEntry's `SensorType` and `EntryCode`
 * enumerations (which follow IPMI v2.0 tables 42-2 and 42-3), `Created` in
 * ISO 8601.
 *
 * @module
 */

import { EventReadingType } from "../codec/sensor_constants.ts";
import type { DecodedSelRecord } from "../core/sel_record.ts";
import { type Json, resource } from "./odata.ts";

/** LogEntry `SensorType` by IPMI sensor type code (IPMI v2.0 table 42-3). */
const SENSOR_TYPE_NAMES: Readonly<Record<number, string>> = {
  0x01: "Temperature",
  0x02: "Voltage",
  0x03: "Current",
  0x04: "Fan",
  0x05: "Physical Chassis Security",
  0x06: "Platform Security Violation Attempt",
  0x07: "Processor",
  0x08: "Power Supply / Converter",
  0x09: "PowerUnit",
  0x0a: "CoolingDevice",
  0x0b: "Other Units-based Sensor",
  0x0c: "Memory",
  0x0d: "Drive Slot/Bay",
  0x0e: "POST Memory Resize",
  0x0f: "System Firmware Progress",
  0x10: "Event Logging Disabled",
  0x12: "System Event",
  0x13: "Critical Interrupt",
  0x14: "Button/Switch",
  0x15: "Module/Board",
  0x16: "Microcontroller/Coprocessor",
  0x17: "Add-in Card",
  0x18: "Chassis",
  0x19: "ChipSet",
  0x1a: "Other FRU",
  0x1b: "Cable/Interconnect",
  0x1c: "Terminator",
  0x1d: "SystemBoot/Restart",
  0x1e: "Boot Error",
  0x1f: "BaseOSBoot/InstallationStatus",
  0x20: "OS Stop/Shutdown",
  0x21: "Slot/Connector",
  0x22: "System ACPI PowerState",
  0x23: "Watchdog",
  0x24: "Platform Alert",
  0x25: "Entity Presence",
  0x26: "Monitor ASIC/IC",
  0x27: "LAN",
  0x28: "Management Subsystem Health",
  0x29: "Battery",
  0x2a: "Session Audit",
  0x2b: "Version Change",
  0x2c: "FRUState",
};

/** LogEntry `EntryCode` of threshold offsets 0–11 (IPMI v2.0 table 42-2). */
const THRESHOLD_CODES = [
  "Lower Non-critical - going low",
  "Lower Non-critical - going high",
  "Lower Critical - going low",
  "Lower Critical - going high",
  "Lower Non-recoverable - going low",
  "Lower Non-recoverable - going high",
  "Upper Non-critical - going low",
  "Upper Non-critical - going high",
  "Upper Critical - going low",
  "Upper Critical - going high",
  "Upper Non-recoverable - going low",
  "Upper Non-recoverable - going high",
];

const SENSOR_WATCHDOG_2 = 0x23;
const SENSOR_OS_STOP = 0x20;

function severityOf(r: DecodedSelRecord): "OK" | "Warning" | "Critical" {
  if (r.direction === "deassertion") return "OK";
  if (r.eventType === EventReadingType.Threshold) {
    const offset = r.offset ?? 0;
    return offset === 0 || offset === 1 || offset === 6 || offset === 7 ? "Warning" : "Critical";
  }
  if (r.sensorType === SENSOR_OS_STOP && (r.offset === 0 || r.offset === 1)) return "Critical";
  if (r.sensorType === SENSOR_WATCHDOG_2 && r.offset !== 8) return "Critical";
  return "OK";
}

function entryCodeOf(r: DecodedSelRecord): string {
  if (r.eventType === EventReadingType.Threshold) {
    return THRESHOLD_CODES[r.offset ?? 0] ?? "OEM";
  }
  return r.direction === "deassertion" ? "Deassert" : "Assert";
}

/**
 * One SEL record as a LogEntry.
 *
 * @param r The decoded record.
 * @param entries Path of the Entries collection.
 * @returns The LogEntry.
 */
export function selLogEntry(r: DecodedSelRecord, entries: string): Json {
  const id = String(r.id);
  const base = {
    Id: id,
    Name: `SEL entry ${id}`,
    EntryType: "SEL",
    ...(r.timestamp === undefined ? {} : { Created: r.timestamp }),
  };
  if (r.kind !== "system-event") {
    return resource("LogEntry", `${entries}/${id}`, {
      ...base,
      Severity: "OK",
      Message: `OEM record type 0x${r.recordType.toString(16)}: ${r.raw}`,
      OemRecordFormat: r.kind,
      EntryCode: "OEM",
    });
  }
  const sensorType = SENSOR_TYPE_NAMES[r.sensorType ?? 0];
  const describe = r.description ?? `event offset ${r.offset}`;
  return resource("LogEntry", `${entries}/${id}`, {
    ...base,
    Severity: severityOf(r),
    Message: `${describe} (${r.direction}; sensor 0x${(r.sensorNumber ?? 0).toString(16)})`,
    SensorType: sensorType ?? "OEM",
    ...(sensorType === undefined
      ? { OemSensorType: `0x${(r.sensorType ?? 0).toString(16).padStart(2, "0")}` }
      : {}),
    SensorNumber: r.sensorNumber,
    EntryCode: entryCodeOf(r),
    GeneratorId: `0x${(r.generatorId ?? 0).toString(16).padStart(4, "0")}`,
    EventId: r.raw.replaceAll(" ", ""),
  });
}
