/**
 * The resolved configuration of sensors and FRU devices: what a profile's
 * declarations become once names are numbers and values are raw readings.
 *
 * @module
 */

import type { ThresholdName } from "../codec/sensor_constants.ts";
import type { SensorFactors } from "../codec/sensor_factors.ts";

/** How a reading changes by itself. */
export type SensorDynamics =
  | { readonly kind: "constant" }
  | { readonly kind: "noise"; readonly amplitude: number }
  | {
    readonly kind: "ramp";
    readonly perSecond: number;
    readonly min: number;
    readonly max: number;
  };

/** What every sensor has. */
interface SensorConfigBase {
  /** ID string. */
  readonly name: string;
  /** Sensor number. */
  readonly number: number;
  /** Sensor type code. */
  readonly sensorType: number;
  /** Entity id. */
  readonly entityId: number;
  /** Entity instance. */
  readonly entityInstance: number;
}

/** A threshold sensor with linear conversion (full SDR). */
export interface ThresholdSensorConfig extends SensorConfigBase {
  /** Discriminator. */
  readonly kind: "threshold";
  /** Base unit code. */
  readonly unit: number;
  /** Conversion factors. */
  readonly factors: SensorFactors;
  /** Initial reading, in the unit. */
  readonly initial: number;
  /** Nominal reading, in the unit, or `null`. */
  readonly nominal: number | null;
  /** Raw threshold values; absent thresholds are unsupported. */
  readonly thresholds: Readonly<Partial<Record<ThresholdName, number>>>;
  /** Raw hysteresis (positive-going applies to lower, negative-going to upper thresholds). */
  readonly hysteresis: { readonly positive: number; readonly negative: number };
  /** Whether thresholds and hysteresis may be set. */
  readonly settable: boolean;
  /** Dynamics. */
  readonly dynamics: SensorDynamics;
}

/** A discrete sensor (compact SDR). */
export interface DiscreteSensorConfig extends SensorConfigBase {
  /** Discriminator. */
  readonly kind: "discrete";
  /** Event/reading type code (0x6f sensor-specific, 0x02–0x0c generic). */
  readonly readingType: number;
  /** Mask of the offsets the sensor can assert. */
  readonly offsets: number;
  /** Mask asserted at start. */
  readonly initialState: number;
}

/** A sensor. */
export type SensorConfig = ThresholdSensorConfig | DiscreteSensorConfig;

/** A FRU inventory device. */
export interface FruConfig {
  /** FRU device id. */
  readonly id: number;
  /** Name for the FRU locator record. */
  readonly name: string;
  /** The inventory image the profile declares (padded to the device size). */
  readonly image: Uint8Array;
}

/** A fixed answer to an OEM command. */
export interface OemCommand {
  /** Request network function. */
  readonly netfn: number;
  /** Command. */
  readonly cmd: number;
  /** Response data after the completion code. */
  readonly response: Uint8Array;
}
