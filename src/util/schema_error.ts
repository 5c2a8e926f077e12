/**
 * The one error type of JSON that does not fit its schema — profiles,
 * config files, scenarios and fault rules alike: where it came from, the
 * path of the offending field and what is wrong with it.
 *
 * @module
 */

/** JSON that cannot be used; `message` names the source and the field. */
export class SchemaError extends SyntaxError {
  /** What kind of document (`profile`, `config`, `scenario`, `fault rule`). */
  readonly what: string;
  /** File or name it came from ("" when it has none, e.g. a request body). */
  readonly source: string;
  /** Dotted path of the offending field (`identity.manufacturerId`), or "" for the whole. */
  readonly field: string;
  /** What is wrong, sentence case without period, to follow the field name. */
  readonly problem: string;

  /**
   * Create the error.
   *
   * @param what Kind of document.
   * @param source File or name ("" for none).
   * @param field Offending field path ("" for the whole document).
   * @param problem What is wrong.
   */
  constructor(what: string, source: string, field: string, problem: string) {
    const where = source === "" ? `Invalid ${what}` : `Cannot load ${what} "${source}"`;
    super(field === "" ? `${where}: ${problem}` : `${where}: field "${field}" ${problem}`);
    this.name = "SchemaError";
    this.what = what;
    this.source = source;
    this.field = field;
    this.problem = problem;
  }
}
