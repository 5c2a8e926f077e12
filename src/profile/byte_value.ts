/**
 * Numbers in profile and API JSON: given as numbers or as hex strings
 * (`"0x20"`), validated to their width.
 *
 * @module
 */

import { z } from "zod";

/** A byte given as a number or a hex string (`"0x20"`). */
export const byteValue = z.union([
  z.number().int().min(0).max(255),
  z.string().regex(/^0x[0-9a-fA-F]{1,2}$/, "must be a byte such as 0x20").transform((s) =>
    parseInt(s, 16)
  ),
]);

/** A 16-bit value given as a number or a hex string. */
export const u16Value = z.union([
  z.number().int().min(0).max(0xffff),
  z.string().regex(/^0x[0-9a-fA-F]{1,4}$/, "must be a 16-bit value such as 0x0100").transform((
    s,
  ) => parseInt(s, 16)),
]);
