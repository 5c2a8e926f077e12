/**
 * Names for the numbers of the sensor model (IPMI v2.0 ch. 36 and 43):
 * sensor types (table 42-3), event/reading types (table 42-1), base units
 * (table 43-15), entity ids (table 43-13), thresholds and their event
 * offsets (table 42-2). Profiles and the API use the names; the wire uses
 * the numbers.
 *
 * @module
 */

/** Sensor types by name (IPMI v2.0 table 42-3). */
export const SENSOR_TYPES = {
  "temperature": 0x01,
  "voltage": 0x02,
  "current": 0x03,
  "fan": 0x04,
  "physical-security": 0x05,
  "platform-security": 0x06,
  "processor": 0x07,
  "power-supply": 0x08,
  "power-unit": 0x09,
  "cooling-device": 0x0a,
  "other-units": 0x0b,
  "memory": 0x0c,
  "drive-slot": 0x0d,
  "system-firmware-progress": 0x0f,
  "event-logging-disabled": 0x10,
  "system-event": 0x12,
  "critical-interrupt": 0x13,
  "button": 0x14,
  "module-board": 0x15,
  "microcontroller": 0x16,
  "add-in-card": 0x17,
  "chassis": 0x18,
  "chip-set": 0x19,
  "other-fru": 0x1a,
  "cable": 0x1b,
  "system-boot": 0x1d,
  "boot-error": 0x1e,
  "os-boot": 0x1f,
  "os-critical-stop": 0x20,
  "slot-connector": 0x21,
  "system-acpi-power-state": 0x22,
  "watchdog-2": 0x23,
  "platform-alert": 0x24,
  "entity-presence": 0x25,
  "lan": 0x27,
  "management-subsystem-health": 0x28,
  "battery": 0x29,
  "session-audit": 0x2a,
  "version-change": 0x2b,
  "fru-state": 0x2c,
} as const;

/** Event/reading type codes (IPMI v2.0 table 42-1). */
export const EventReadingType = {
  /** Threshold-based sensor. */
  Threshold: 0x01,
  /** Generic discrete: usage state (transition to idle/active/busy). */
  DiscreteUsage: 0x02,
  /** Generic discrete: state deasserted / asserted. */
  DiscreteState: 0x03,
  /** Generic discrete: predictive failure. */
  DiscretePredictiveFailure: 0x04,
  /** Generic discrete: limit not exceeded / exceeded. */
  DiscreteLimit: 0x05,
  /** Generic discrete: performance met / lags. */
  DiscretePerformance: 0x06,
  /** Generic discrete: severity (OK, non-critical, critical, …). */
  DiscreteSeverity: 0x07,
  /** Generic discrete: device removed / present. */
  DiscretePresence: 0x08,
  /** Generic discrete: device disabled / enabled. */
  DiscreteEnabled: 0x09,
  /** Generic discrete: redundancy. */
  DiscreteRedundancy: 0x0b,
  /** Generic discrete: ACPI device power state. */
  DiscreteAcpiPower: 0x0c,
  /** Sensor-specific offsets (table 42-3 under the sensor type). */
  SensorSpecific: 0x6f,
} as const;

/** Event/reading types by name, for profiles. */
export const EVENT_READING_TYPES = {
  "usage": EventReadingType.DiscreteUsage,
  "state": EventReadingType.DiscreteState,
  "predictive-failure": EventReadingType.DiscretePredictiveFailure,
  "limit": EventReadingType.DiscreteLimit,
  "performance": EventReadingType.DiscretePerformance,
  "severity": EventReadingType.DiscreteSeverity,
  "presence": EventReadingType.DiscretePresence,
  "enabled": EventReadingType.DiscreteEnabled,
  "redundancy": EventReadingType.DiscreteRedundancy,
  "acpi-power": EventReadingType.DiscreteAcpiPower,
  "sensor-specific": EventReadingType.SensorSpecific,
} as const;

/** Sensor base units by name (IPMI v2.0 table 43-15). */
export const SENSOR_UNITS = {
  "unspecified": 0,
  "degrees-c": 1,
  "degrees-f": 2,
  "degrees-k": 3,
  "volts": 4,
  "amps": 5,
  "watts": 6,
  "joules": 7,
  "va": 9,
  "lux": 12,
  "kpa": 14,
  "cfm": 17,
  "rpm": 18,
  "hz": 19,
  "seconds": 22,
  "minutes": 23,
  "hours": 24,
  "ohms": 54,
  "errors": 88,
  "correctable-errors": 89,
} as const;

/** Entity ids by name (IPMI v2.0 table 43-13). */
export const ENTITY_IDS = {
  "unspecified": 0x00,
  "other": 0x01,
  "processor": 0x03,
  "disk-bay": 0x04,
  "system-management-module": 0x06,
  "system-board": 0x07,
  "memory-module": 0x08,
  "power-supply": 0x0a,
  "add-in-card": 0x0b,
  "front-panel-board": 0x0c,
  "drive-backplane": 0x0f,
  "power-unit": 0x13,
  "system-chassis": 0x17,
  "fan": 0x1d,
  "cooling-unit": 0x1e,
  "memory-device": 0x20,
  "system-management-software": 0x21,
  "bios": 0x22,
  "battery": 0x28,
  "management-controller-firmware": 0x2e,
  "air-inlet": 0x37,
  "dcmi-air-inlet": 0x40,
  "dcmi-processor": 0x41,
  "dcmi-baseboard": 0x42,
} as const;

/** The six thresholds, in the bit order of the threshold masks (LNC first). */
export const THRESHOLDS = ["lnc", "lcr", "lnr", "unc", "ucr", "unr"] as const;

/** The six thresholds from the lowest to the highest. */
export const THRESHOLDS_ASCENDING = ["lnr", "lcr", "lnc", "unc", "ucr", "unr"] as const;

/** A threshold name. */
export type ThresholdName = typeof THRESHOLDS[number];

/** Whether a threshold is an upper one. */
export function isUpperThreshold(t: ThresholdName): boolean {
  return t === "unc" || t === "ucr" || t === "unr";
}

/**
 * The event offset a threshold crossing asserts (IPMI v2.0 table 42-2):
 * lower thresholds going low (0, 2, 4), upper thresholds going high
 * (7, 9, 11).
 *
 * @param t Threshold.
 * @returns Offset 0–11.
 */
export function thresholdOffset(t: ThresholdName): number {
  const i = THRESHOLDS.indexOf(t);
  return isUpperThreshold(t) ? 2 * i + 1 : 2 * i;
}
