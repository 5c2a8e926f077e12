/**
 * What a firmware profile resolves to: the typed, validated configuration of
 * one emulated BMC. The core never sees raw profile JSON.
 *
 * @module
 */

import type { OutageMode } from "./bmc_reset.ts";
import type { FruConfig, OemCommand, SensorConfig } from "./sensor_config.ts";

/** The Get Device ID identity (IPMI v2.0 20.1). */
export interface DeviceIdentity {
  /** Device ID byte. */
  readonly deviceId: number;
  /** Device revision, 0–15 (bit 7 of the byte is "provides SDRs"). */
  readonly deviceRevision: number;
  /** Whether the device provides Device SDRs (device revision bit 7). */
  readonly providesDeviceSdrs: boolean;
  /** Major firmware revision, 0–127 (bit 7 of the byte is "device unavailable"). */
  readonly firmwareMajor: number;
  /** Minor firmware revision as its BCD byte (`0x10` for ".10"). */
  readonly firmwareMinor: number;
  /** IPMI version byte, BCD with the minor in the high nibble (`0x02` = 2.0). */
  readonly ipmiVersion: number;
  /** Additional device support bits (sensor, SDR, SEL, FRU, …). */
  readonly additionalSupport: number;
  /** IANA manufacturer id (20 bits). */
  readonly manufacturerId: number;
  /** Product id. */
  readonly productId: number;
  /** Auxiliary firmware revision, 4 bytes. */
  readonly auxFirmware: Uint8Array;
}

/** One channel reported by Get Channel Info (IPMI v2.0 22.24). */
export interface ChannelConfig {
  /** Channel number 0–15 (15 is the system interface). */
  readonly number: number;
  /** Channel medium type (1 IPMB, 4 LAN 802.3, 0x0C system interface, …). */
  readonly medium: number;
  /** Channel protocol type (1 IPMB, 5 KCS, …). */
  readonly protocol: number;
  /** Session support, 0 session-less … 3 multi-session. */
  readonly sessionSupport: number;
}

/** SEL policy. */
export interface SelConfig {
  /** Maximum number of records. */
  readonly capacity: number;
  /** What happens to an add when full: reject with 0xC4, or drop the oldest. */
  readonly whenFull: "reject" | "overwrite";
}

/**
 * Named vendor behaviours (quirks). Every switch reproduces a behaviour
 * documented in `vendors.md` or `linux-ipmi.md`; defaults are spec behaviour.
 */
export interface Quirks {
  /** Accept an SMI pre-timeout interrupt instead of answering 0xCC. */
  readonly acceptSmiPretimeout: boolean;
  /**
   * After the pre-timeout fired, answer Reset Watchdog Timer with this code
   * until the next Set (the comment in Linux's pretimeout handler), or
   * `null` for spec behaviour (cc 0x00, countdown not restarted).
   */
  readonly resetAfterPretimeoutCc: number | null;
  /** Get Watchdog reports the pre-timeout interval as 0 (OpenBMC). */
  readonly getWatchdogHidesPretimeout: boolean;
  /** Time a BMC reset (Cold/Warm Reset, API reset) keeps the BMC away, ms. */
  readonly resetDurationMs: number;
  /**
   * What the BMC answers during a reset: `disconnect` (close the VM link),
   * `busy` with {@link Quirks.resetBusyCc}, or `silent`.
   */
  readonly resetMode: OutageMode;
  /** Completion code answered while resetting in `busy` mode. */
  readonly resetBusyCc: number;
  /**
   * Time after a BMC (re)start during which Get Device ID reports "device
   * unavailable" (firmware revision bit 7), ms (OpenBMC until Ready).
   */
  readonly initialisingMs: number;
  /** Completion code for Reset Watchdog Timer before any Set (spec: 0x80). */
  readonly resetBeforeSetCc: number;
  /** Never deliver the pre-timeout interrupt, though it is accepted (OpenBMC). */
  readonly ignorePretimeout: boolean;
}

/** The RMCP+ cipher suites bmc-emu implements (IPMI v2.0 table 22-20). */
export const LAN_CIPHER_SUITE_IDS = [0, 1, 2, 3, 15, 16, 17] as const;

/** A cipher suite id bmc-emu implements. */
export type LanCipherSuiteId = (typeof LAN_CIPHER_SUITE_IDS)[number];

/** The suites a LAN channel offers unless its profile says otherwise: all but suite 0. */
export const DEFAULT_LAN_CIPHER_SUITES = [
  1,
  2,
  3,
  15,
  16,
  17,
] as const satisfies readonly LanCipherSuiteId[];

/** The resolved configuration of one BMC. */
export interface BmcConfig {
  /** Profile name (`generic`, `dell-idrac9`, …). */
  readonly profile: string;
  /** Get Device ID identity. */
  readonly identity: DeviceIdentity;
  /** Get Device GUID bytes (16, wire order), or `null`: command unsupported. */
  readonly deviceGuid: Uint8Array | null;
  /** Get System GUID bytes (16, wire order), or `null`: command unsupported. */
  readonly systemGuid: Uint8Array | null;
  /** Channels for Get Channel Info. */
  readonly channels: readonly ChannelConfig[];
  /** Get Self Test Results bytes (`55 00` = all passed). */
  readonly selfTest: readonly [number, number];
  /** SEL policy. */
  readonly sel: SelConfig;
  /** Sensor number of the Watchdog 2 sensor (events are logged with it). */
  readonly watchdogSensorNumber: number;
  /** Commands answered 0xC1 (keys `(netfn << 8) | cmd`). */
  readonly unsupportedCommands: ReadonlySet<number>;
  /** Vendor behaviours. */
  readonly quirks: Quirks;
  /** Sensors in SDR order (without the Watchdog 2 sensor, which is always added). */
  readonly sensors: readonly SensorConfig[];
  /** FRU inventory devices. */
  readonly frus: readonly FruConfig[];
  /** OEM commands answered with fixed data. */
  readonly oemCommands: readonly OemCommand[];
  /** Cipher suites the LAN channel offers (absent: {@link DEFAULT_LAN_CIPHER_SUITES}). */
  readonly lanCipherSuites?: readonly LanCipherSuiteId[];
}

/** Spec behaviour for every quirk. */
export const DEFAULT_QUIRKS: Quirks = {
  acceptSmiPretimeout: false,
  resetAfterPretimeoutCc: null,
  getWatchdogHidesPretimeout: false,
  resetDurationMs: 5000,
  resetMode: "disconnect",
  resetBusyCc: 0xc0,
  initialisingMs: 0,
  resetBeforeSetCc: 0x80,
  ignorePretimeout: false,
};
