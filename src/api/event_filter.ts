/**
 * Parsing of event type filters (`?types=watchdog.expired,host.*`).
 *
 * @module
 */

import { isEventGroup, isEventType } from "../core/events.ts";
import type { EventFilter } from "../events/event_bus.ts";
import { ApiError } from "./api_error.ts";

/**
 * Parse a comma-separated list of event types; `group.*` selects a group.
 *
 * @param list Raw list (may be undefined).
 * @param field Field name for errors.
 * @param bmc Optional BMC id.
 * @returns The filter.
 * @throws {ApiError} 400 naming an unknown type.
 */
export function parseEventFilter(
  list: string | undefined,
  field: string,
  bmc?: string,
): EventFilter {
  const types = new Set<string>();
  const prefixes: string[] = [];
  for (const raw of (list ?? "").split(",")) {
    const t = raw.trim();
    if (t === "") continue;
    if (t.endsWith(".*")) {
      if (!isEventGroup(t)) {
        throw new ApiError(
          400,
          `Invalid request: ${field} names unknown event group "${t}"`,
          field,
        );
      }
      prefixes.push(t.slice(0, -1));
    } else if (isEventType(t)) {
      types.add(t);
    } else {
      throw new ApiError(400, `Invalid request: ${field} names unknown event type "${t}"`, field);
    }
  }
  return {
    ...(bmc === undefined ? {} : { bmc }),
    ...(types.size > 0 ? { types } : {}),
    ...(prefixes.length > 0 ? { prefixes } : {}),
  };
}
