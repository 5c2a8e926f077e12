/**
 * The request mix of the load generator: the requests a host's IPMI stack
 * sends most (Linux's watchdog heartbeat and flag polls, ipmitool's
 * Get Device ID, SEL writes), by name.
 *
 * @module
 */

import { AppCmd, NetFn, StorageCmd } from "../../src/codec/constants.ts";

/** A request the generator sends. */
export interface MixRequest {
  /** Network function. */
  readonly netfn: number;
  /** Command. */
  readonly cmd: number;
  /** Request data. */
  readonly data: Uint8Array;
  /** Response data bytes after a completion code of 0 (IPMI 2.0). */
  readonly replyBytes: { readonly min: number; readonly max: number };
}

/** A system event record for Add SEL Entry (the SEL assigns id and time). */
const SEL_RECORD = Uint8Array.of(
  0x00,
  0x00,
  0x02,
  0,
  0,
  0,
  0,
  0x41,
  0x00,
  0x04,
  0x12,
  0x01,
  0x6f,
  0x02,
  0xff,
  0xff,
);

/** The requests by name. */
export const MIX_REQUESTS: Readonly<Record<string, MixRequest>> = {
  // Device ID … auxiliary firmware revision: 11 bytes, 15 with the auxiliary.
  "get-device-id": {
    netfn: NetFn.App,
    cmd: AppCmd.GetDeviceId,
    data: new Uint8Array(),
    replyBytes: { min: 11, max: 15 },
  },
  "reset-watchdog": {
    netfn: NetFn.App,
    cmd: AppCmd.ResetWatchdogTimer,
    data: new Uint8Array(),
    replyBytes: { min: 0, max: 0 },
  },
  // Use, actions, pre-timeout, expiration flags, initial and present countdown.
  "get-watchdog": {
    netfn: NetFn.App,
    cmd: AppCmd.GetWatchdogTimer,
    data: new Uint8Array(),
    replyBytes: { min: 8, max: 8 },
  },
  // The record id.
  "add-sel": {
    netfn: NetFn.Storage,
    cmd: StorageCmd.AddSelEntry,
    data: SEL_RECORD,
    replyBytes: { min: 2, max: 2 },
  },
  "get-message-flags": {
    netfn: NetFn.App,
    cmd: AppCmd.GetMessageFlags,
    data: new Uint8Array(),
    replyBytes: { min: 1, max: 1 },
  },
};

/**
 * Whether an answer is a well-formed reply to `request`: its own netfn and
 * command, and with completion code 0 the response length IPMI 2.0 gives
 * (an error completion code may come with or without data).
 *
 * @param request What was sent.
 * @param answer What came back.
 * @returns `true` when well formed.
 */
export function wellFormed(
  request: MixRequest,
  answer: { readonly matches: boolean; readonly cc: number; readonly data: Uint8Array },
): boolean {
  if (!answer.matches) return false;
  if (answer.cc !== 0) return true;
  return answer.data.length >= request.replyBytes.min &&
    answer.data.length <= request.replyBytes.max;
}

/**
 * Set Watchdog Timer data: SMS/OS use, don't stop, the given action, no
 * pre-timeout, countdown in 100 ms units.
 *
 * @param seconds Timeout.
 * @param action 0 none, 1 hard reset, 2 power down, 3 power cycle.
 * @returns Request data.
 */
export function setWatchdogData(seconds: number, action: number): Uint8Array {
  const count = Math.round(seconds * 10);
  return Uint8Array.of(0x44, action & 0x07, 0, 0, count & 0xff, count >> 8);
}

/** A weighted mix. */
export interface Mix {
  /** Names, each repeated by its weight (requests are drawn round robin). */
  readonly sequence: readonly string[];
}

/**
 * Parse `get-device-id=2,add-sel=1` (weights default to 1; `all` = every request).
 *
 * @param text Mix text.
 * @returns The mix.
 * @throws {Error} On unknown names or bad weights.
 */
export function parseMix(text: string): Mix {
  const parts = text === "all" ? Object.keys(MIX_REQUESTS) : text.split(",");
  const sequence: string[] = [];
  for (const part of parts) {
    const [name, weightText] = part.trim().split("=");
    if (!(name! in MIX_REQUESTS)) {
      throw new Error(
        `unknown request "${name}" (known: ${Object.keys(MIX_REQUESTS).join(", ")})`,
      );
    }
    const weight = weightText === undefined ? 1 : Number(weightText);
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new Error(`weight of ${name} must be an integer 1–100, got "${weightText}"`);
    }
    for (let i = 0; i < weight; i++) sequence.push(name!);
  }
  return { sequence };
}
