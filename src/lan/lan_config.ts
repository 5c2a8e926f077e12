/**
 * How users write IPMI over LAN and the serial console in a config file
 * (`bmcs[].lan`, `bmcs[].users`, `bmcs[].console`) and on the command line
 * (`--lan-listen`, `--lan-user NAME:PASSWORD[:PRIVILEGE]`), the security
 * defaults, and the QEMU arguments of the console endpoint.
 *
 * @module
 */

import { z } from "zod";
import { DEFAULT_LAN_CIPHER_SUITES } from "../core/config.ts";
import type { Endpoint } from "../transport/endpoint.ts";
import { parseAddress } from "../transport/endpoint.ts";
import { PRIVILEGE_NAMES, type PrivilegeLevel } from "./constants.ts";
import type { UserSpec } from "./users.ts";
import { MAX_NAME, MAX_PASSWORD, MAX_USERS } from "./users.ts";

/** Privilege names accepted in configuration. */
export const PRIVILEGE_CHOICES = ["callback", "user", "operator", "administrator"] as const;

/** One user in a config file. */
export const lanUserSchema = z.object({
  id: z.number().int().min(2).max(MAX_USERS).describe("User id 2-15 (1 is the anonymous user)"),
  name: z.string().min(1).max(MAX_NAME).regex(
    /^[\x21-\x39\x3b-\x7e]+$/,
    "must be printable ASCII without ':'",
  ),
  password: z.string().min(1).max(MAX_PASSWORD),
  privilege: z.enum(PRIVILEGE_CHOICES).default("administrator"),
}).strict();

/** `HOST:PORT` (or `[v6]:PORT`), checked as written and kept as text. */
export const addressField = z.string().superRefine((text, ctx) => {
  if (parseAddress(text) === null) {
    ctx.addIssue({ code: "custom", message: `must be HOST:PORT, got "${text}"` });
  }
});

/** `bmcs[].lan` in a config file. */
export const lanSchema = z.object({
  listen: addressField.describe("HOST:PORT of the RMCP/RMCP+ UDP socket (real BMCs: port 623)"),
  cipherSuites: z.array(z.literal(DEFAULT_LAN_CIPHER_SUITES, {
    error: `must be one of ${
      DEFAULT_LAN_CIPHER_SUITES.join(", ")
    } (suite 0 only through a profile's lan.cipherSuites)`,
  })).min(1)
    .optional().describe(
      "Enabled RMCP+ cipher suites (default: the profile's lan.cipherSuites, 1,2,3,15,16,17; suite 0 only through a profile)",
    ),
}).strict();

/** A user as configuration writes it. */
export type LanUserInput = z.output<typeof lanUserSchema>;

/** The user a LAN endpoint gets when none is configured: loopback only. */
export const DEFAULT_LAN_USERS: readonly UserSpec[] = [
  { id: 2, name: "admin", password: "admin", privilege: 4 },
];

/** Passwords anyone would try first. */
const WELL_KNOWN_PASSWORDS: ReadonlySet<string> = new Set([
  "admin",
  "ADMIN",
  "password",
  "Password",
  "calvin",
  "changeme",
  "root",
  "0penBmc",
  "superuser",
]);

/**
 * Convert configured users.
 *
 * @param users Users from a config file.
 * @returns Users for the LAN endpoint.
 */
export function toUserSpecs(users: readonly LanUserInput[]): UserSpec[] {
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    password: u.password,
    privilege: PRIVILEGE_NAMES[u.privilege] as PrivilegeLevel,
  }));
}

/**
 * Parse `--lan-user NAME:PASSWORD[:PRIVILEGE]`.
 *
 * @param text Flag value.
 * @param id User id to give it.
 * @returns The user, as a config file writes it.
 * @throws {RangeError} If malformed.
 */
export function parseLanUser(text: string, id: number): LanUserInput {
  const [name, password, privilege = "administrator", ...rest] = text.split(":");
  const parsed = lanUserSchema.safeParse({ id, name, password, privilege });
  if (rest.length > 0 || !parsed.success) {
    throw new RangeError(
      `--lan-user must be NAME:PASSWORD[:${
        PRIVILEGE_CHOICES.join("|")
      }] (name 1-16, password 1-20 characters), got "${text}"`,
    );
  }
  return parsed.data;
}

/**
 * Whether a hostname is a loopback address.
 *
 * @param hostname Host.
 * @returns `true` for 127.0.0.0/8, ::1 and localhost.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname.startsWith("127.");
}

/**
 * Why LAN may not listen on `hostname` with `users`, or `null` if it may:
 * off loopback every user needs a password that is not a well-known one.
 *
 * @param hostname Bound address.
 * @param users Users (`null`: none configured, the defaults apply).
 * @returns Problem, or `null`.
 */
export function lanSecurityProblem(
  hostname: string,
  users: readonly Pick<UserSpec, "name" | "password">[] | null,
): string | null {
  if (isLoopbackHost(hostname)) return null;
  if (users === null || users.length === 0) {
    return `IPMI over LAN on ${hostname} needs users with their own passwords (--lan-user NAME:PASSWORD or bmcs[].users); the default admin/admin is for loopback only`;
  }
  const weak = users.find((u) => WELL_KNOWN_PASSWORDS.has(u.password) || u.password === u.name);
  return weak === undefined
    ? null
    : `IPMI over LAN on ${hostname}: user "${weak.name}" has a well-known password; choose another`;
}

/**
 * QEMU arguments that connect the guest's first serial port to a console
 * endpoint (bmc-emu listens, QEMU reconnects).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { qemuConsoleArgs } from "./lan_config.ts";
 * assert.deepEqual(qemuConsoleArgs({ transport: "unix", path: "/run/bmc0-console.sock" }, "bmc0"), [
 *   "-chardev", "socket,id=bmc0-console,path=/run/bmc0-console.sock,reconnect=1",
 *   "-serial", "chardev:bmc0-console",
 * ]);
 * ```
 *
 * @param endpoint Console endpoint.
 * @param id BMC id (chardev id prefix).
 * @param reconnect The chardev's redial option as the QEMU that runs it spells it
 *   (`reconnectOption()`; the default is QEMU 7.2-9.1's).
 * @returns Arguments.
 */
export function qemuConsoleArgs(
  endpoint: Endpoint,
  id: string,
  reconnect = "reconnect=1",
): string[] {
  const where = endpoint.transport === "tcp"
    ? `host=${endpoint.hostname},port=${endpoint.port}`
    : `path=${endpoint.path}`;
  return [
    "-chardev",
    `socket,id=${id}-console,${where},${reconnect}`,
    "-serial",
    `chardev:${id}-console`,
  ];
}
