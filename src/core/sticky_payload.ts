/**
 * What a sticky flag hands the host on every fetch: data that changes each
 * time, so a driver that loops until the flag clears never sees the end.
 *
 * @module
 */

import { ipmbChecksum } from "../codec/checksum.ts";
import { AppCmd, NetFn } from "../codec/constants.ts";
import { EventReadingType, SENSOR_TYPES } from "../codec/sensor_constants.ts";
import { bmcEvent, systemEventRecord } from "./sel_record.ts";

/** What a sticky receive queue delivers. */
export const STICKY_MESSAGES = ["response", "request"] as const;

/**
 * - `response`: an IPMB response nobody is waiting for (Linux counts it as
 *   unhandled and drops it);
 * - `request`: an IPMB request to system software (Linux answers each one
 *   with Send Message "invalid command", queued behind the flag loop).
 */
export type StickyMessage = typeof STICKY_MESSAGES[number];

/** System software's IPMB address, the implicit rsSA of received messages. */
const SMS_ADDRESS = 0x81;
/** A satellite controller on the IPMB, the sender of sticky messages. */
const SATELLITE_ADDRESS = 0x2c;
/** LUN of the SMS message queue. */
const SMS_LUN = 0x02;

/**
 * The event for Read Event Message Buffer: a system event record whose
 * event data 3 changes on every read, like the OpenBMC intel-ipmi-oem buffer
 * that never empties (linux-ipmi.md §4.2).
 *
 * @param n Fetch counter.
 * @returns 16 bytes.
 */
export function stickyEvent(n: number): Uint8Array {
  return systemEventRecord(bmcEvent({
    sensorType: SENSOR_TYPES["system-event"],
    sensorNumber: 1,
    eventDirType: EventReadingType.SensorSpecific,
    data: [0x00, 0xff, n & 0xff],
  }));
}

/**
 * The data for Get Message: channel 0 (IPMB), then the IPMB message without
 * its leading rsSA (IPMI 2.0 §22.6), as Linux parses it: netFn/LUN,
 * checksum, sender, seq/LUN, command, [completion code,] data, checksum.
 *
 * @param n Fetch counter (becomes the sequence number and a data byte).
 * @param kind Response or request.
 * @returns Get Message response data after the completion code.
 */
export function stickyMessage(n: number, kind: StickyMessage): Uint8Array {
  const seq = (n & 0x3f) << 2;
  const head = kind === "response"
    ? [((NetFn.App | 1) << 2) | SMS_LUN, SATELLITE_ADDRESS, seq, AppCmd.GetDeviceId]
    : [(NetFn.App << 2) | SMS_LUN, SATELLITE_ADDRESS, seq, AppCmd.GetDeviceId];
  const body = kind === "response" ? [0x00, 0x20, 0x01, n & 0xff] : [];
  const [netfnLun, ...rest] = head;
  const message = [netfnLun!, ipmbChecksum([SMS_ADDRESS, netfnLun!]), ...rest, ...body];
  message.push(ipmbChecksum(message, 2));
  return Uint8Array.of(0x00, ...message);
}
