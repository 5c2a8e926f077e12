/**
 * Sensor definitions for test profiles.
 *
 * @module
 */

/**
 * A temperature sensor, 0 to 127.5 °C, with UNC 80 and UCR 90.
 *
 * @param name Sensor name.
 * @param number Sensor number.
 * @param reading Initial reading.
 * @returns Profile JSON of the sensor.
 */
export function temperatureSensor(
  name: string,
  number: string,
  reading: number,
): Record<string, unknown> {
  return {
    kind: "threshold",
    name,
    number,
    type: "temperature",
    unit: "degrees-c",
    range: [0, 127.5],
    reading,
    thresholds: { unc: 80, ucr: 90 },
    hysteresis: 2,
  };
}
