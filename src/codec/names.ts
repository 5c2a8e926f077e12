/**
 * Human names for network functions, commands and completion codes, derived
 * from the constant tables so each number is named exactly once. Names are
 * kebab-case (`app/get-device-id`), the form logs, events and fault rules use.
 *
 * @module
 */

import {
  AppCmd,
  ChassisCmd,
  CompletionCode,
  NetFn,
  SensorEventCmd,
  StorageCmd,
  VmCmd,
} from "./constants.ts";

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([a-z])([0-9])/g, "$1-$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

function invert(table: Record<string, number>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, value] of Object.entries(table)) {
    if (!out.has(value)) out.set(value, kebab(name));
  }
  return out;
}

const NETFN_NAMES = invert(NetFn);
const COMMAND_TABLES = new Map<number, Record<string, number>>([
  [NetFn.App, AppCmd],
  [NetFn.Chassis, ChassisCmd],
  [NetFn.SensorEvent, SensorEventCmd],
  [NetFn.Storage, StorageCmd],
]);
const COMMAND_NAMES = new Map<number, Map<number, string>>(
  [...COMMAND_TABLES].map(([netfn, table]) => [netfn, invert(table)]),
);
const CC_NAMES = invert(CompletionCode);
const VM_CMD_NAMES = invert(VmCmd);

/**
 * A byte as `0x` hex (`0x0a`).
 *
 * @param value Byte.
 * @returns The text.
 */
export function hex(value: number): string {
  return `0x${value.toString(16).padStart(2, "0")}`;
}

/**
 * Name of a request network function (`app`, `storage`, …), or its hex value.
 *
 * @param netfn Request network function (an odd response netfn is mapped down).
 * @returns The kebab-case name, or `0x2e` style hex for unknown values.
 */
export function netFnName(netfn: number): string {
  return NETFN_NAMES.get(netfn & ~1) ?? hex(netfn);
}

/**
 * Qualified command name such as `app/get-device-id`.
 *
 * @param netfn Request network function.
 * @param cmd Command number.
 * @returns `netfn/command`, with hex for unknown parts.
 */
export function commandName(netfn: number, cmd: number): string {
  const key = ((netfn & 0x3f) << 8) | (cmd & 0xff);
  let qualified = QUALIFIED_NAMES[key];
  if (qualified === undefined) {
    const name = COMMAND_NAMES.get(netfn & ~1)?.get(cmd) ?? hex(cmd);
    qualified = QUALIFIED_NAMES[key] = `${netFnName(netfn)}/${name}`;
  }
  return qualified;
}

/** `netfn/command` names by `(netfn << 8) | cmd`, filled on first use (hot path). */
const QUALIFIED_NAMES: (string | undefined)[] = new Array(64 * 256);

/**
 * Name of a completion code (`ok`, `invalid-data-field`, …).
 *
 * @param cc Completion code.
 * @returns The kebab-case name, or its hex value.
 */
export function completionCodeName(cc: number): string {
  return CC_NAMES.get(cc) ?? hex(cc);
}

/**
 * Name of a VM protocol control command (`attn-irq`, `send-nmi`, …).
 *
 * @param op Control command byte.
 * @returns The kebab-case name, or its hex value.
 */
export function vmCommandName(op: number): string {
  return VM_CMD_NAMES.get(op) ?? hex(op);
}

/**
 * Resolve a network function given by name (`app`) or number.
 *
 * @param value Name or number.
 * @returns The netfn number, or `undefined` if the name is unknown.
 */
export function parseNetFn(value: string | number): number | undefined {
  if (typeof value === "number") return value;
  for (const [num, name] of NETFN_NAMES) if (name === value) return num;
  return undefined;
}

/**
 * Resolve a command given by name (`get-device-id`) or number within a netfn.
 *
 * @param netfn Request network function.
 * @param value Name or number.
 * @returns The command number, or `undefined` if the name is unknown.
 */
export function parseCommand(
  netfn: number,
  value: string | number,
): number | undefined {
  if (typeof value === "number") return value;
  const names = COMMAND_NAMES.get(netfn);
  if (names === undefined) return undefined;
  for (const [num, name] of names) if (name === value) return num;
  return undefined;
}

/**
 * Every known command name, for help texts and error messages.
 *
 * @returns Qualified names such as `app/get-device-id`.
 */
export function knownCommandNames(): string[] {
  const out: string[] = [];
  for (const [netfn, names] of COMMAND_NAMES) {
    for (const name of names.values()) out.push(`${netFnName(netfn)}/${name}`);
  }
  return out;
}

/**
 * Format bytes as lowercase hex separated by spaces (`18 01`), or by
 * `separator` (`""` for `1801`).
 *
 * @param bytes Bytes to format.
 * @param separator Between bytes. @default " "
 * @returns The hex string.
 */
export function hexBytes(bytes: ArrayLike<number>, separator = " "): string {
  if (bytes.length === 0) return "";
  let out = HEX[bytes[0]! & 0xff]!;
  for (let i = 1; i < bytes.length; i++) out += separator + HEX[bytes[i]! & 0xff]!;
  return out;
}

/**
 * A byte written as decimal (`31`) or `0x` hex (`0x1f`).
 *
 * @param text The text.
 * @returns The byte, or `null` when it is not one.
 */
export function parseByteText(text: string): number | null {
  const n = /^0x[0-9a-f]{1,2}$/i.test(text)
    ? parseInt(text, 16)
    : /^\d{1,3}$/.test(text)
    ? Number(text)
    : NaN;
  return n >= 0 && n <= 255 ? n : null;
}

/**
 * Parse hex bytes as people write them: `"01 02"`, `"0x01,0x02"`, `"01:02"`,
 * `"0102"` (spaces, colons, commas, dashes and `0x` prefixes are ignored).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHexBytes } from "./names.ts";
 * assert.deepEqual(parseHexBytes("0x01, 0xA0"), [0x01, 0xa0]);
 * assert.equal(parseHexBytes("1 2 3"), null);
 * ```
 *
 * @param text The text.
 * @returns The bytes, or `null` when it is not whole hex bytes.
 */
export function parseHexBytes(text: string): number[] | null {
  const digits = text.replace(/0x/gi, "").replace(/[\s:,-]/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) return null;
  return (digits.match(/../g) ?? []).map((b) => parseInt(b, 16));
}

/** Two-digit hex of every byte. */
const HEX: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => b.toString(16).padStart(2, "0"),
);
