/**
 * Numbers in profile and API JSON: given as numbers or as hex strings
 * (`"0x20"`), validated to their width. A value of the right form but out
 * of range is refused for its value (`"0x1ff"`: "must be between 0 and
 * 255"), not for its form.
 *
 * @module
 */

import { z } from "zod";

/**
 * An unsigned integer up to `max`, as a number or a hex string of at most
 * `digits` digits.
 */
function hexOrInteger(max: number, digits: number, example: string) {
  const range = (iss: { input?: unknown }) => `must be between 0 and ${max} (got ${iss.input})`;
  return z.union([
    z.number().int().min(0, { error: range }).max(max, { error: range }),
    z.string().regex(new RegExp(`^0x[0-9a-fA-F]{1,${digits}}$`), {
      error: (iss) =>
        typeof iss.input === "string" && /^0x[0-9a-fA-F]+$/.test(iss.input)
          ? range(iss)
          : `must be a number or a hex string such as ${example}`,
    }).transform((s) => parseInt(s, 16)),
  ]);
}

/** A byte given as a number or a hex string (`"0x20"`). */
export const byteValue = hexOrInteger(0xff, 2, "0x20");

/** A 16-bit value given as a number or a hex string. */
export const u16Value = hexOrInteger(0xffff, 4, "0x0100");
