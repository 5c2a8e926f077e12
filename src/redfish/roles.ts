/**
 * Redfish roles and privileges (DSP0266 "Privilege model"), mapped to the
 * BMC users' IPMI privilege levels (the users of IPMI over LAN):
 * administrator (and OEM) → Administrator, operator → Operator,
 * user → ReadOnly; callback users cannot log in to Redfish.
 *
 * @module
 */

import { Privilege, type PrivilegeLevel } from "../lan/constants.ts";

/** Redfish privileges. */
export const REDFISH_PRIVILEGES = [
  "Login",
  "ConfigureSelf",
  "ConfigureComponents",
  "ConfigureManager",
  "ConfigureUsers",
] as const;

/** One of {@link REDFISH_PRIVILEGES}. */
export type RedfishPrivilege = typeof REDFISH_PRIVILEGES[number];

/** The predefined roles and what each may do (DSP0266 table "Roles"). */
export const ROLES = {
  Administrator: REDFISH_PRIVILEGES,
  Operator: ["Login", "ConfigureSelf", "ConfigureComponents"],
  ReadOnly: ["Login", "ConfigureSelf"],
} as const satisfies Record<string, readonly RedfishPrivilege[]>;

/** A role id. */
export type RoleId = keyof typeof ROLES;

/**
 * The Redfish role of an IPMI privilege level.
 *
 * @param privilege IPMI privilege level.
 * @returns Role id, or `null` for callback (no Redfish access).
 */
export function roleOf(privilege: PrivilegeLevel): RoleId | null {
  if (privilege >= Privilege.Administrator) return "Administrator";
  if (privilege === Privilege.Operator) return "Operator";
  if (privilege === Privilege.User) return "ReadOnly";
  return null;
}

/**
 * Whether a user with `privilege` holds `needed`.
 *
 * @param privilege IPMI privilege of the user.
 * @param needed Redfish privilege.
 * @returns `true` if the user's role includes it.
 */
export function mayDo(privilege: PrivilegeLevel, needed: RedfishPrivilege): boolean {
  const role = roleOf(privilege);
  return role !== null && (ROLES[role] as readonly string[]).includes(needed);
}
