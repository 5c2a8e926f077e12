/**
 * The error a broken profile produces: it names the file and the field.
 *
 * @module
 */

/** A profile that cannot be used; `message` names the file and the field. */
export class ProfileError extends SyntaxError {
  /** The profile file or name. */
  readonly source: string;
  /** Dotted path of the offending field (`identity.manufacturerId`), or "". */
  readonly field: string;

  /**
   * Create the error.
   *
   * @param source Profile file or name.
   * @param field Offending field path ("" for the whole file).
   * @param problem What is wrong, sentence case without period.
   */
  constructor(source: string, field: string, problem: string) {
    super(
      field === ""
        ? `Cannot load profile "${source}": ${problem}`
        : `Cannot load profile "${source}": field "${field}" ${problem}`,
    );
    this.name = "ProfileError";
    this.source = source;
    this.field = field;
  }
}
