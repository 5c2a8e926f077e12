/**
 * The error a broken profile produces: it names the file and the field.
 *
 * @module
 */

import { SchemaError } from "../util/schema_error.ts";

/** A profile that cannot be used; `message` names the file and the field. */
export class ProfileError extends SchemaError {
  /**
   * Create the error.
   *
   * @param source Profile file or name.
   * @param field Offending field path ("" for the whole file).
   * @param problem What is wrong, sentence case without period.
   */
  constructor(source: string, field: string, problem: string) {
    super("profile", source, field, problem);
    this.name = "ProfileError";
  }
}
