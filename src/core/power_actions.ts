/**
 * The one vocabulary of chassis power actions, for every front-end: the
 * API's names (`power-on`, the paths of Chassis Control), the short names
 * `ctl power` and scenario steps also take (`on`, `nmi`), and the
 * operation each one asks of the power backend.
 *
 * @module
 */

import type { PowerOp } from "./ports.ts";

/** Every power action: its short name and its backend operation. */
export const POWER_ACTIONS = {
  "power-on": { short: "on", op: "on" },
  "power-off": { short: "off", op: "off" },
  "power-cycle": { short: "cycle", op: "cycle" },
  "hard-reset": { short: "reset", op: "reset" },
  "diag-interrupt": { short: "nmi", op: "diag" },
  "soft-off": { short: "soft-off", op: "soft-off" },
} as const satisfies Record<string, { short: string; op: PowerOp }>;

/** A power action, by its API name. */
export type PowerAction = keyof typeof POWER_ACTIONS;

/** A power action's short name (`ctl power`, scenario steps). */
export type PowerActionShort = (typeof POWER_ACTIONS)[PowerAction]["short"];

/** The API names, in order. */
export const POWER_ACTION_NAMES = Object.keys(POWER_ACTIONS) as [PowerAction, ...PowerAction[]];

/** The short names, in the same order. */
export const POWER_ACTION_SHORT_NAMES = POWER_ACTION_NAMES.map((a) => POWER_ACTIONS[a].short) as [
  PowerActionShort,
  ...PowerActionShort[],
];

/**
 * The action a name stands for, by API or short name.
 *
 * @param name `power-on`, `on`, `nmi`, …
 * @returns The action, or `undefined` for an unknown name.
 */
export function powerAction(name: string): PowerAction | undefined {
  if (Object.hasOwn(POWER_ACTIONS, name)) return name as PowerAction;
  return POWER_ACTION_NAMES.find((a) => POWER_ACTIONS[a].short === name);
}
