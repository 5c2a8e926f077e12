/**
 * Start-up errors that say which listener failed and where:
 * `VM listen tcp:127.0.0.1:9002: address already in use`.
 *
 * @module
 */

import { errorMessage } from "../util/error_message.ts";

/**
 * An error naming the listener's role and address.
 *
 * @param role What listens (`VM listen`, `API listen`, …).
 * @param where The address as the user wrote it.
 * @param error What the platform threw.
 * @returns The error to throw (the original is its cause).
 */
export function listenError(role: string, where: string, error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const inUse = error instanceof Deno.errors.AddrInUse || code === "EADDRINUSE";
  const denied = error instanceof Deno.errors.PermissionDenied || code === "EACCES";
  const why = inUse
    ? "address already in use"
    : denied
    ? "permission denied"
    : errorMessage(error).replace(/ \(os error \d+\)$/, "");
  return new Error(`${role} ${where}: ${why}`, { cause: error });
}
