/**
 * The BMC's sensor scan: dynamics stepped once a second, and each event a
 * sensor generates logged the way a BMC logs it (SEL, event message
 * buffer, bus event).
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import { PeriodWheel } from "../clock/period_wheel.ts";
import { hexBytes } from "../codec/names.ts";
import type { EventSink } from "./events.ts";
import type { Sensor, SensorEvent } from "./sensor.ts";
import type { Sensors } from "./sensors.ts";
import { bmcEvent, type SystemEvent } from "./sel_record.ts";

/** Period of the sensor scan that advances reading dynamics. */
export const SENSOR_SCAN_MS = 1000;

/**
 * Grid step of a process's shared sensor scan ({@link sharedSensorScan}):
 * its BMCs' scans are spread over 100 slots of 10 ms, one timer between them.
 */
export const SENSOR_SCAN_SLOT_MS = 10;

/**
 * The wheel on which a process's BMCs scan their sensors, one timer for all.
 *
 * @param clock The process's clock.
 * @returns A wheel to pass to every BMC of the process.
 */
export function sharedSensorScan(clock: Clock): PeriodWheel {
  return new PeriodWheel(clock, SENSOR_SCAN_MS, SENSOR_SCAN_SLOT_MS);
}

/**
 * Step sensor dynamics once a second, like a BMC's sensor scan.
 *
 * @param clock Time source.
 * @param sensors The sensors.
 * @param wheel Where the scan runs: a process's shared wheel, or by default
 *   the BMC's own (one slot: one timer a second).
 * @returns Stops the scan.
 */
export function scanSensors(
  clock: Clock,
  sensors: Sensors,
  wheel = new PeriodWheel(clock, SENSOR_SCAN_MS, SENSOR_SCAN_MS),
): CancelTimer {
  const started = clock.now();
  return wheel.add(() => sensors.tick((clock.now() - started) / 1000));
}

/** Where a sensor event is logged. */
export interface SensorEventTarget {
  /** Logs into the SEL and the event message buffer. */
  logEvent(event: SystemEvent, source: string): number | null;
  /** Bus events (the log renders them). */
  readonly events: EventSink;
}

/**
 * Log a sensor event: SEL and event message buffer, and a bus event.
 *
 * @param bmc Where to log.
 * @param sensor The sensor.
 * @param e The event.
 * @param eventReadingType Event/reading type for the event message.
 */
export function logSensorEvent(
  bmc: SensorEventTarget,
  sensor: Sensor,
  e: SensorEvent,
  eventReadingType: number,
): void {
  const recordId = bmc.logEvent(
    bmcEvent({
      sensorType: sensor.config.sensorType,
      sensorNumber: sensor.config.number,
      eventDirType: (e.assertion ? 0x00 : 0x80) | eventReadingType,
      data: e.data,
    }),
    "sensor",
  );
  const name = sensor.config.name;
  bmc.events.emit("sensor.event", {
    name,
    number: sensor.config.number,
    offset: e.offset,
    assertion: e.assertion,
    data: hexBytes(e.data),
    recordId,
  });
}
