/**
 * Route groups that layers above the core add to the API (fault injection,
 * scenarios, sensors, hangs), collected in one place for `serve`.
 *
 * @module
 */

import type { RouteGroup } from "../api/app.ts";

/**
 * Every extra route group.
 *
 * @returns Route groups.
 */
export function extraRouteGroups(): RouteGroup[] {
  return [];
}
