/**
 * From profile JSON to a typed `BmcConfig`: validation with errors that name
 * the file and the field, then resolution of names, revisions and GUIDs.
 * Pure: no file access here.
 *
 * @module
 */

import { type z, ZodError } from "zod";
import { hexBytes, parseCommand, parseHexBytes, parseNetFn } from "../codec/names.ts";
import type { BmcConfig, ChannelConfig } from "../core/config.ts";
import { ProfileError } from "./profile_error.ts";
import {
  checkSensorsAndFrus,
  type ProfileProblem,
  resolveFrus,
  resolveOemCommands,
  resolveSensors,
} from "./resolve_sensors.ts";
import {
  ADDITIONAL_SUPPORT_BITS,
  CHANNEL_MEDIUM,
  CHANNEL_PROTOCOL,
  type Profile,
  profileSchema,
  SESSION_SUPPORT,
} from "./schema.ts";

/**
 * Format a zod issue path as `channels[1].medium`.
 *
 * @param path Issue path.
 * @returns Dotted path.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * The most useful issue of a failed parse: a failed union is replaced by
 * the first issue of its closest branch (the one with the fewest issues),
 * with the union's path prefixed.
 *
 * @param error The parse error.
 * @returns One issue.
 */
export function primaryIssue(error: z.ZodError): z.core.$ZodIssue {
  let issue = error.issues[0]!;
  // A branch that failed on its own keys' values is closer than one that
  // failed because the object has keys it does not know or lacks its own.
  // A branch of another type altogether (a number where a string was
  // given) is the farthest of all.
  const score = (branch: z.core.$ZodIssue[]): number =>
    branch.length +
    branch.filter((i) =>
        i.code === "unrecognized_keys" ||
        (i.code === "invalid_type" && receivedType(i) === "undefined")
      )
        .length * 0.5 +
    (branch.length === 1 && branch[0]!.code === "invalid_type" && branch[0]!.path.length === 0
      ? 1
      : 0);
  while (issue.code === "invalid_union" && issue.errors.length > 0) {
    const branch = issue.errors.reduce((a, b) => (score(b) < score(a) ? b : a));
    if (branch.length === 0) break;
    issue = { ...branch[0]!, path: [...issue.path, ...branch[0]!.path] };
  }
  return issue;
}

/**
 * The JSON type a zod `invalid_type` issue received ("undefined": the field
 * is missing). Zod does not keep the input itself unless asked, so it is
 * read from the issue's message ("… received string").
 */
function receivedType(issue: z.core.$ZodIssue): string | undefined {
  return /received (\w+)$/.exec(issue.message)?.[1];
}

/**
 * Describe a zod issue in a sentence that follows the field name.
 *
 * @param issue The issue.
 * @returns e.g. `must be a number (got string)`, `is required`.
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `has unknown key${issue.keys.length > 1 ? "s" : ""} ${
      issue.keys.map((k) => `"${k}"`).join(", ")
    }`;
  }
  if (issue.code === "invalid_type") {
    const received = receivedType(issue);
    if (received === "undefined") return "is required";
    const expected = issue.expected === "int" ? "integer" : issue.expected;
    const article = /^[aeiou]/.test(expected) ? "an" : "a";
    return `must be ${article} ${expected}${received === undefined ? "" : ` (got ${received})`}`;
  }
  const message = issue.message.replace(/^Invalid input: /, "");
  return /^(must|is|has|should|names|excludes|by name) /.test(message)
    ? message
    : `is invalid: ${message}`;
}

/**
 * Validate profile JSON.
 *
 * @param json Parsed JSON.
 * @param source File or name, for errors.
 * @returns The validated profile.
 * @throws {ProfileError} Naming the first offending field.
 */
export function parseProfile(json: unknown, source: string): Profile {
  const result = profileSchema.safeParse(json);
  if (result.success) {
    const problem = semanticProblems(result.data)[0];
    if (problem !== undefined) throw new ProfileError(source, problem.field, problem.problem);
    return result.data;
  }
  const issue = primaryIssue(result.error);
  throw new ProfileError(source, formatIssuePath(issue.path), describeIssue(issue));
}

/**
 * Every problem of profile JSON (for `serve --check-profile`), not just the first.
 *
 * @param json Parsed JSON.
 * @returns Problems; empty when the profile is valid.
 */
export function profileProblems(json: unknown): ProfileProblem[] {
  const result = profileSchema.safeParse(json);
  if (result.success) return semanticProblems(result.data);
  return result.error.issues.map((i) => {
    const issue = i.code === "invalid_union" ? primaryIssue(new ZodError([i])) : i;
    return { field: formatIssuePath(issue.path), problem: describeIssue(issue) };
  });
}

function semanticProblems(profile: Profile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const name of profile.unsupportedCommands) {
    if (commandKey(name) === undefined) {
      problems.push({ field: "unsupportedCommands", problem: `names unknown command "${name}"` });
    }
  }
  return [...problems, ...checkSensorsAndFrus(profile)];
}

/**
 * Resolve `netfn/command` to its dispatch key `(netfn << 8) | cmd`.
 *
 * @param name Qualified command name.
 * @returns The key, or `undefined` if unknown.
 */
export function commandKey(name: string): number | undefined {
  const [netfnName, cmdName] = name.split("/");
  const netfn = parseNetFn(netfnName ?? "");
  if (netfn === undefined) return undefined;
  const cmd = parseCommand(netfn, cmdName ?? "");
  return cmd === undefined ? undefined : (netfn << 8) | cmd;
}

function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A stable RFC 4122 (version 4 layout) GUID derived from a name, so a BMC
 * keeps its GUID across restarts and BMCs differ from each other.
 *
 * @param name Seed text (profile, BMC id and purpose).
 * @returns GUID text.
 */
export function derivedGuid(name: string): string {
  const bytes = new Uint8Array(16);
  for (let word = 0; word < 4; word++) {
    const h = fnv1a(name, 0x811c9dc5 ^ Math.imul(word + 1, 0x9e3779b9));
    bytes.set([h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff], word * 4);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = hexBytes(bytes, "");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/**
 * GUID text to IPMI wire order: the RFC 4122 bytes reversed (IPMI stores
 * GUIDs least-significant byte first).
 *
 * @param guid GUID text.
 * @returns 16 bytes.
 */
export function guidToWire(guid: string): Uint8Array {
  return Uint8Array.from(parseHexBytes(guid)!.reverse());
}

function firmwareRevision(text: string): { major: number; minorBcd: number } {
  const [major, minor] = text.split(".");
  return { major: Number(major), minorBcd: parseInt(minor!, 16) };
}

function additionalSupport(value: Profile["identity"]["additionalSupport"]): number {
  if (typeof value === "number") return value;
  return value.reduce((bits, name) => bits | ADDITIONAL_SUPPORT_BITS[name], 0);
}

const IPMI_VERSION_BYTE = { "1.0": 0x01, "1.5": 0x51, "2.0": 0x02 } as const;

/** Options for {@link resolveProfile}. */
export interface ResolveOptions {
  /** The BMC's id, which seeds derived GUIDs. */
  readonly bmcId: string;
}

/**
 * Turn a validated profile into the BMC's configuration.
 *
 * @param profile Validated profile.
 * @param options BMC id.
 * @returns The configuration the core uses.
 */
export function resolveProfile(profile: Profile, options: ResolveOptions): BmcConfig {
  const id = profile.identity;
  const fw = firmwareRevision(id.firmwareRevision);
  const guid = (value: string | null | undefined, purpose: string): Uint8Array | null =>
    value === null
      ? null
      : guidToWire(value ?? derivedGuid(`${profile.name}/${options.bmcId}/${purpose}`));
  const channels: ChannelConfig[] = profile.channels.map((c) => ({
    number: c.number,
    medium: CHANNEL_MEDIUM[c.medium],
    protocol: CHANNEL_PROTOCOL[c.protocol],
    sessionSupport: SESSION_SUPPORT[c.sessionSupport],
  }));
  return {
    profile: profile.name,
    identity: {
      deviceId: id.deviceId,
      deviceRevision: id.deviceRevision,
      providesDeviceSdrs: id.providesDeviceSdrs,
      firmwareMajor: fw.major,
      firmwareMinor: fw.minorBcd,
      ipmiVersion: IPMI_VERSION_BYTE[id.ipmiVersion],
      additionalSupport: additionalSupport(id.additionalSupport),
      manufacturerId: id.manufacturerId,
      productId: id.productId,
      auxFirmware: Uint8Array.from(id.auxFirmware),
    },
    deviceGuid: guid(profile.deviceGuid, "device"),
    systemGuid: guid(profile.systemGuid, "system"),
    channels,
    selfTest: profile.selfTest,
    sel: profile.sel,
    watchdogSensorNumber: profile.watchdogSensorNumber,
    unsupportedCommands: new Set(profile.unsupportedCommands.map((name) => commandKey(name)!)),
    quirks: profile.quirks,
    sensors: resolveSensors(profile),
    frus: resolveFrus(profile),
    oemCommands: resolveOemCommands(profile),
    lanCipherSuites: profile.lan.cipherSuites,
  };
}
