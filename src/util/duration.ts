/**
 * Durations as people type them: `60s`, `500ms`, `2m`, `1.5s`. A bare
 * number means what the caller says (seconds for timeouts, milliseconds for
 * delays), or is refused.
 *
 * @module
 */

/** A duration with its unit (for schemas: `60s`, `500ms`, `2m`, `1.5s`). */
export const DURATION_WITH_UNIT: RegExp = /^\d{1,8}(?:\.\d{1,3})?(ms|s|m)$/;
/** A duration whose unit may be left out. */
export const DURATION_ANY: RegExp = /^\d{1,8}(?:\.\d{1,3})?(ms|s|m)?$/;

/** The unit of a bare number, or `null` when a unit is required. */
export type BareUnit = "ms" | "s" | null;

/**
 * Parse a duration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDuration } from "./duration.ts";
 * assert.equal(parseDuration("2m", null), 120_000);
 * assert.equal(parseDuration("30", "s"), 30_000);
 * assert.equal(parseDuration("30", null), null);
 * ```
 *
 * @param text The text.
 * @param bare Unit of a number without one.
 * @returns Milliseconds (rounded), or `null` when it is not a duration.
 */
export function parseDuration(text: string, bare: BareUnit): number | null {
  const m = DURATION_ANY.exec(text);
  if (m === null) return null;
  const unit = m[1] ?? bare;
  if (unit === null) return null;
  const n = Number(text.slice(0, text.length - (m[1]?.length ?? 0)));
  return Math.round(unit === "ms" ? n : unit === "m" ? n * 60_000 : n * 1000);
}
