/**
 * Errors that become HTTP responses: status, message and, for validation
 * errors, the offending field.
 *
 * @module
 */

import type { OperationError, OperationErrorKind } from "../runtime/operation_error.ts";

/** An error with an HTTP status, rendered as `{ "error": message, "field"? }`. */
export class ApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Offending field for 400s (`body.action`, `query.timeout`). */
  readonly field: string | undefined;

  /**
   * Create the error.
   *
   * @param status HTTP status.
   * @param message Explanation, sentence case, no period.
   * @param field Offending field.
   */
  constructor(status: number, message: string, field?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
  }

  /** JSON body. */
  toJSON(): Record<string, unknown> {
    return { error: this.message, ...(this.field === undefined ? {} : { field: this.field }) };
  }
}

const STATUS: Record<OperationErrorKind, number> = {
  "not-found": 404,
  conflict: 409,
  invalid: 400,
  full: 507,
};

/**
 * The HTTP form of a refused operation: 404, 409, 507, or a 400 naming the
 * body field.
 *
 * @param error The refusal.
 * @returns The error to answer.
 */
export function operationError(error: OperationError): ApiError {
  if (error.kind === "invalid" && error.field !== undefined) {
    return new ApiError(400, `Invalid request: body.${error.message}`, `body.${error.field}`);
  }
  const field = error.field === undefined ? undefined : `body.${error.field}`;
  return new ApiError(STATUS[error.kind], error.message, field);
}

/**
 * 404 for an unknown BMC.
 *
 * @param id BMC id.
 * @returns The error.
 */
export function unknownBmc(id: string): ApiError {
  return new ApiError(404, `No BMC with id "${id}"`);
}
