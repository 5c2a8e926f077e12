/**
 * The text of a thrown value, for messages and logs.
 *
 * @module
 */

/**
 * The message of an `Error`, or the value as a string.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorMessage } from "./error_message.ts";
 * assert.equal(errorMessage(new Error("boom")), "boom");
 * assert.equal(errorMessage(42), "42");
 * ```
 *
 * @param error Anything thrown.
 * @returns Its message.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
