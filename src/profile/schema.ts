/**
 * The firmware profile format, as a zod schema: the one definition that
 * validates profile files and generates `firmware-profiles/profile.schema.json`.
 *
 * @module
 */

import { z } from "zod";
import { OUTAGE_MODES } from "../core/bmc_reset.ts";
import { byteValue, u16Value } from "./byte_value.ts";
import { DEFAULT_LAN_CIPHER_SUITES, LAN_CIPHER_SUITE_IDS } from "../core/config.ts";
import { frusSchema, keys, sensorsSchema } from "./sensor_schema.ts";

/** Additional device support bit names (Get Device ID byte 6). */
export const ADDITIONAL_SUPPORT_BITS = {
  "sensor": 0x01,
  "sdr-repository": 0x02,
  "sel": 0x04,
  "fru": 0x08,
  "event-receiver": 0x10,
  "event-generator": 0x20,
  "bridge": 0x40,
  "chassis": 0x80,
} as const;

/** Channel medium names (Get Channel Info, IPMI v2.0 table 6-3). */
export const CHANNEL_MEDIUM = {
  "ipmb": 0x01,
  "icmb-1.0": 0x02,
  "icmb-0.9": 0x03,
  "lan": 0x04,
  "serial": 0x05,
  "other-lan": 0x06,
  "pci-smbus": 0x07,
  "smbus-1.x": 0x08,
  "smbus-2.0": 0x09,
  "usb-1.x": 0x0a,
  "usb-2.x": 0x0b,
  "system-interface": 0x0c,
} as const;

/** Channel protocol names (IPMI v2.0 table 6-2). */
export const CHANNEL_PROTOCOL = {
  "ipmb": 0x01,
  "icmb": 0x02,
  "smbus": 0x04,
  "kcs": 0x05,
  "smic": 0x06,
  "bt-10": 0x07,
  "bt-15": 0x08,
  "tmode": 0x09,
} as const;

/** Session support names. */
export const SESSION_SUPPORT = {
  "session-less": 0,
  "single-session": 1,
  "multi-session": 2,
  "session-based": 3,
} as const;

const guidString = z.string().regex(
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  "must be a GUID such as 4c4c4544-0036-3010-8033-b4c04f4e4d32",
);

const identitySchema = z.object({
  deviceId: byteValue.describe("Device ID byte of Get Device ID"),
  deviceRevision: z.number().int().min(0).max(15).describe("Device revision 0-15"),
  providesDeviceSdrs: z.boolean().default(false).describe("Device revision bit 7"),
  firmwareRevision: z.string().regex(
    /^\d{1,3}\.\d{2}$/,
    "must be MAJOR.MINOR with a two-digit minor such as 6.10",
  ).refine((s) => Number(s.split(".")[0]) <= 127, "major firmware revision must be at most 127")
    .describe("Firmware revision; the minor part is sent as BCD"),
  ipmiVersion: z.enum(["1.0", "1.5", "2.0"]).default("2.0"),
  additionalSupport: z.union([
    byteValue,
    z.array(z.enum(keys(ADDITIONAL_SUPPORT_BITS))),
  ]).describe("Additional device support: a byte or a list of capability names"),
  manufacturerId: z.number().int().min(0).max(0xfffff).describe("IANA private enterprise number"),
  productId: u16Value,
  auxFirmware: z.array(byteValue).length(4).default([0, 0, 0, 0]),
});

const channelSchema = z.object({
  number: z.number().int().min(0).max(15),
  medium: z.enum(keys(CHANNEL_MEDIUM)),
  protocol: z.enum(keys(CHANNEL_PROTOCOL)),
  sessionSupport: z.enum(keys(SESSION_SUPPORT)).default("session-less"),
});

const quirksSchema = z.object({
  acceptSmiPretimeout: z.boolean().default(false).describe(
    "Accept an SMI pre-timeout interrupt instead of answering 0xCC",
  ),
  resetAfterPretimeoutCc: byteValue.nullable().default(null).describe(
    "Completion code for Reset Watchdog Timer after the pre-timeout fired, until the next Set (null: spec, 0x00 without restarting)",
  ),
  getWatchdogHidesPretimeout: z.boolean().default(false).describe(
    "Get Watchdog Timer reports a pre-timeout interval of 0 (OpenBMC)",
  ),
  resetDurationMs: z.number().int().min(0).max(600_000).default(5000).describe(
    "How long a BMC reset (Cold/Warm Reset) keeps the BMC away",
  ),
  resetMode: z.enum(OUTAGE_MODES).default("disconnect").describe(
    "What the host sees while the BMC resets",
  ),
  resetBusyCc: byteValue.default(0xc0).describe(
    "Completion code answered while resetting in busy mode",
  ),
  initialisingMs: z.number().int().min(0).max(600_000).default(0).describe(
    "After a (re)start, Get Device ID reports 'device unavailable' for this long",
  ),
  resetBeforeSetCc: byteValue.default(0x80).describe(
    "Completion code for Reset Watchdog Timer before any Set (spec and OpenBMC: 0x80, which makes Linux re-arm)",
  ),
  ignorePretimeout: z.boolean().default(false).describe(
    "Accept and report the pre-timeout settings but never deliver the pre-timeout interrupt (OpenBMC stores the type and does not act on it)",
  ),
}).strict();

/** A fixed answer to an OEM command (vendor detection probes). */
const oemCommandSchema = z.object({
  netfn: byteValue.describe("Request network function (even), e.g. 0x3a"),
  cmd: byteValue,
  response: z.string().regex(/^([0-9a-fA-F]{2}( ?|$))*$/, 'must be hex bytes such as "10 00 00"')
    .describe("Response data after the completion code, as hex bytes"),
  description: z.string().optional(),
}).strict().refine((c) => c.netfn % 2 === 0, {
  message: "must be a request network function (even)",
  path: ["netfn"],
});

/** The profile file format. */
export const profileSchema = z.object({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lowercase letters, digits and dashes"),
  description: z.string(),
  sources: z.record(z.string(), z.string()).default({}).describe(
    "Where each identity fact comes from (field -> source), or why a value was chosen",
  ),
  identity: identitySchema.strict(),
  deviceGuid: guidString.nullable().optional().describe(
    "Get Device GUID; absent: derived from the BMC id; null: command unsupported",
  ),
  systemGuid: guidString.nullable().optional().describe(
    "Get System GUID; absent: derived from the BMC id; null: command unsupported",
  ),
  selfTest: z.tuple([byteValue, byteValue]).default([0x55, 0x00]),
  channels: z.array(channelSchema.strict()).default([
    { number: 0, medium: "ipmb", protocol: "ipmb", sessionSupport: "session-less" },
    { number: 15, medium: "system-interface", protocol: "kcs", sessionSupport: "session-less" },
  ]),
  sel: z.object({
    capacity: z.number().int().min(1).max(0xfffe).default(1024),
    whenFull: z.enum(["reject", "overwrite"]).default("reject"),
  }).strict().default({ capacity: 1024, whenFull: "reject" }),
  watchdogSensorNumber: byteValue.default(0x01),
  unsupportedCommands: z.array(
    z.string().regex(
      /^[a-z-]+\/[a-z0-9-]+$/,
      "must be a command name such as app/get-channel-info",
    ),
  ).default([])
    .describe("Commands this BMC answers with 0xC1"),
  quirks: quirksSchema.default(quirksSchema.parse({})),
  sensors: sensorsSchema,
  frus: frusSchema,
  lan: z.object({
    cipherSuites: z.array(z.literal(LAN_CIPHER_SUITE_IDS)).min(1)
      .default([...DEFAULT_LAN_CIPHER_SUITES]).describe(
        "RMCP+ cipher suites the LAN channel offers; suite 0 (no authentication, no integrity, no confidentiality) only when listed here",
      ),
  }).strict().default({ cipherSuites: [...DEFAULT_LAN_CIPHER_SUITES] }).describe(
    "The LAN channel (IPMI over LAN) as this firmware offers it",
  ),
  oemCommands: z.array(oemCommandSchema).default([]).describe(
    "OEM commands answered with fixed data (e.g. Lenovo XCC's detection probe)",
  ),
}).strict();

/** A validated profile file. */
export type Profile = z.output<typeof profileSchema>;
