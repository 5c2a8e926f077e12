/**
 * Small pieces of BMC state with no behaviour of their own: ACPI power
 * state (IPMI v2.0 20.6) and the event receiver (29.1).
 *
 * @module
 */

import { BMC_SLAVE_ADDRESS } from "../codec/constants.ts";

/** ACPI power state "no change" / "unknown" value. */
export const ACPI_UNKNOWN = 0x2a;

/** Device-level state that resets to defaults on a BMC reset. */
export class DeviceState {
  /** ACPI system power state (0x00 S0/G0 working … 0x2A unknown). */
  acpiSystem = ACPI_UNKNOWN;
  /** ACPI device power state (0x00 D0 … 0x2A unknown). */
  acpiDevice = ACPI_UNKNOWN;
  /** Event receiver slave address (0xFF = event generation disabled). */
  eventReceiverAddress: number = BMC_SLAVE_ADDRESS;
  /** Event receiver LUN. */
  eventReceiverLun = 0;

  /** Restore defaults (BMC reset). */
  reset(): void {
    this.acpiSystem = ACPI_UNKNOWN;
    this.acpiDevice = ACPI_UNKNOWN;
    this.eventReceiverAddress = BMC_SLAVE_ADDRESS;
    this.eventReceiverLun = 0;
  }
}
