/**
 * Building fault rules in tests.
 *
 * @module
 */

import type { Bmc } from "../../src/core/bmc.ts";
import type { FaultAction, FaultLimits, FaultMatch, FaultRule } from "../../src/core/faults.ts";

/** Limits that fire on every match, forever. */
export const ALWAYS: FaultLimits = {
  skip: 0,
  count: null,
  probability: 1,
  seed: 1,
  untilWallMs: null,
  durationMs: null,
};

/**
 * Add a rule to a BMC.
 *
 * @param bmc BMC.
 * @param match Match.
 * @param action Action.
 * @param limits Limits to override.
 * @returns The rule.
 */
export function addRule(
  bmc: Bmc,
  match: FaultMatch,
  action: FaultAction,
  limits: Partial<FaultLimits> = {},
): FaultRule {
  return bmc.faults.add({ match, action, limits: { ...ALWAYS, ...limits } });
}
