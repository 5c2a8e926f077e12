/**
 * A regular expression written as JSON text, checked when the document is
 * validated (so a bad pattern is an error naming its field, not a throw later).
 *
 * @module
 */

import { z } from "zod";

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A string that is a valid regular expression. */
export const regexText = z.string().refine(compiles, "must be a valid regular expression");
