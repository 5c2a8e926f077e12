/**
 * Why an operation on a BMC could not be done, as a value every front-end
 * renders in its own dialect (HTTP status and JSON, a scenario step's
 * failure, a Redfish error body).
 *
 * @module
 */

/** The kinds of refusal. */
export type OperationErrorKind =
  /** The BMC, rule, record or sensor named does not exist. */
  | "not-found"
  /** Not possible now; the message gives the reason. */
  | "conflict"
  /** The input is wrong; `field` names where. */
  | "invalid"
  /** No room left (the SEL is full). */
  | "full";

/** A refused operation. */
export class OperationError extends Error {
  /** What kind of refusal. */
  readonly kind: OperationErrorKind;
  /** For `invalid`: the offending field of the operation's input (`match.cmd`). */
  readonly field: string | undefined;

  /**
   * Create the error.
   *
   * @param kind What kind of refusal.
   * @param message Explanation, sentence case, no period.
   * @param field For `invalid`: the field.
   */
  constructor(kind: OperationErrorKind, message: string, field?: string) {
    super(message);
    this.name = "OperationError";
    this.kind = kind;
    this.field = field;
  }
}
