/**
 * The privilege each command needs on a session (IPMI v2.0 appendix G).
 * Unlisted OEM commands (netfn 0x2E–0x3F) need Administrator, so a lower
 * session never reaches an OEM handler; other unlisted commands (group
 * extensions, commands the board does not implement) need User, so they get
 * the board's own answer (usually 0xC1) rather than 0xD4.
 *
 * @module
 */

import { Privilege } from "./constants.ts";

const U = Privilege.User;
const O = Privilege.Operator;
const A = Privilege.Administrator;
/** Allowed before and outside any privilege (session-less and session setup). */
const NONE = 0;

/** First OEM network function. */
const OEM_NETFN = 0x2e;

/** `[netfn, [cmd, privilege]...]` rows. */
const TABLE: readonly [number, readonly (readonly [number, number])[]][] = [
  [0x00, [ // chassis
    [0x00, U],
    [0x01, U],
    [0x02, O],
    [0x03, O],
    [0x04, O],
    [0x05, A],
    [0x06, O],
    [0x07, U],
    [0x08, O],
    [0x09, O],
    [0x0a, A],
    [0x0b, A],
    [0x0f, U],
  ]],
  [0x04, [ // sensor/event
    [0x00, A],
    [0x01, U],
    [0x02, O],
    [0x10, U],
    [0x11, A],
    [0x12, A],
    [0x13, O],
    [0x14, A],
    [0x15, O],
    [0x16, A],
    [0x17, U],
    [0x20, U],
    [0x21, U],
    [0x22, U],
    [0x23, U],
    [0x24, O],
    [0x25, U],
    [0x26, O],
    [0x27, U],
    [0x28, O],
    [0x29, U],
    [0x2a, O],
    [0x2b, U],
    [0x2d, U],
    [0x2e, O],
    [0x2f, U],
    [0x30, O],
  ]],
  [0x06, [ // app
    [0x01, U],
    [0x02, A],
    [0x03, A],
    [0x04, U],
    [0x05, A],
    [0x06, A],
    [0x07, U],
    [0x08, U],
    [0x22, O],
    [0x24, O],
    [0x25, U],
    [0x2e, A],
    [0x2f, U],
    [0x30, A],
    [0x31, A],
    [0x32, A],
    [0x33, A],
    [0x34, U],
    [0x35, A],
    [0x37, NONE],
    [0x38, NONE],
    [0x39, NONE],
    [0x3a, NONE],
    [0x3b, U],
    [0x3c, Privilege.Callback],
    [0x3d, U],
    [0x3f, O],
    [0x40, A],
    [0x41, U],
    [0x42, U],
    [0x43, A],
    [0x44, O],
    [0x45, A],
    [0x46, O],
    [0x47, A],
    [0x48, U],
    [0x49, U],
    [0x4a, U],
    [0x4b, U],
    [0x4c, A],
    [0x4d, O],
    [0x4e, U],
    [0x4f, U],
    [0x50, U],
    [0x52, O],
    [0x54, NONE],
    [0x55, U],
    [0x56, A],
    [0x57, U],
    [0x58, A],
    [0x59, U],
  ]],
  [0x0a, [ // storage
    [0x10, U],
    [0x11, U],
    [0x12, O],
    [0x20, U],
    [0x21, U],
    [0x22, U],
    [0x23, U],
    [0x24, O],
    [0x25, O],
    [0x26, O],
    [0x27, O],
    [0x28, U],
    [0x29, O],
    [0x2a, O],
    [0x2b, O],
    [0x2c, O],
    [0x40, U],
    [0x41, U],
    [0x42, U],
    [0x43, U],
    [0x44, O],
    [0x45, O],
    [0x46, O],
    [0x47, O],
    [0x48, U],
    [0x49, O],
    [0x5a, U],
    [0x5b, A],
    [0x5c, U],
    [0x5d, O],
  ]],
  [0x0c, [ // transport
    [0x01, A],
    [0x02, O],
    [0x03, A],
    [0x04, U],
    [0x21, A],
    [0x22, U],
  ]],
];

const BY_KEY: ReadonlyMap<number, number> = new Map(
  TABLE.flatMap(([netfn, rows]) => rows.map(([cmd, p]) => [(netfn << 8) | cmd, p] as const)),
);

/**
 * The privilege a command needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requiredPrivilege } from "./privileges.ts";
 * assert.equal(requiredPrivilege(0x00, 0x02), 3); // Chassis Control: Operator
 * ```
 *
 * @param netfn Request netfn.
 * @param cmd Command.
 * @returns Privilege level (0: none needed).
 */
export function requiredPrivilege(netfn: number, cmd: number): number {
  return BY_KEY.get((netfn << 8) | cmd) ?? (netfn >= OEM_NETFN ? A : U);
}
