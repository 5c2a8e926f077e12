/**
 * The one place the Redfish service reaches the BMC model: power actions
 * and BMC resets through the operations surface (`runtime/operations.ts`,
 * the path of IPMI Chassis Control and of the HTTP API), with the profile's
 * reset quirks; the SEL, sensors, the watchdog and the FRU identity read
 * from the core. Everything Redfish shows or changes goes through here, so
 * faults, SEL and state are the IPMI side's.
 *
 * @module
 */

import { SENSOR_TYPES, SENSOR_UNITS, THRESHOLDS_ASCENDING } from "../codec/sensor_constants.ts";
import type { ThresholdName } from "../codec/sensor_constants.ts";
import { toReading } from "../codec/sensor_factors.ts";
import type { Bmc } from "../core/bmc.ts";
import type { PowerCheck, PowerOp } from "../core/ports.ts";
import { POWER_ACTION_NAMES, POWER_ACTIONS, type PowerAction } from "../core/power_actions.ts";
import { ThresholdSensor } from "../core/sensor.ts";
import { type DecodedSelRecord, decodeSelRecord } from "../core/sel_record.ts";
import type { WatchdogSnapshot } from "../core/watchdog.ts";
import type { BmcRuntime } from "../runtime/bmc_runtime.ts";
import { OperationError } from "../runtime/operation_error.ts";
import { clearSel, power, resetBmc } from "../runtime/operations.ts";
import { parseHostPort } from "../transport/endpoint.ts";
import { type FruIdentity, readFruIdentity } from "./fru_identity.ts";

/** What the Redfish service serves: one BMC of the registry. */
export type RedfishTarget = BmcRuntime;

/** `ComputerSystem.Reset` types and the backend operation of the power action each is. */
export const RESET_TYPES = {
  On: "on",
  ForceOn: "on",
  ForceOff: "off",
  GracefulShutdown: "soft-off",
  ForceRestart: "reset",
  PowerCycle: "cycle",
  Nmi: "diag",
} as const satisfies Record<string, PowerOp>;

/** The power action (of the one vocabulary) that performs `op`. */
function actionOf(op: PowerOp): PowerAction {
  return POWER_ACTION_NAMES.find((a) => POWER_ACTIONS[a].op === op)!;
}

/** A `ResetType` this service knows. */
export type ResetType = keyof typeof RESET_TYPES;

/** A sensor as Redfish needs it. */
export interface SensorView {
  /** Sensor name (IPMI ID string). */
  readonly name: string;
  /** Sensor number. */
  readonly number: number;
  /** IPMI sensor type name (`temperature`, `fan`, …). */
  readonly type: string;
  /** Reading in its unit, or `null` for discrete sensors. */
  readonly reading: number | null;
  /** IPMI unit name (`degrees-c`, `rpm`, …), or `null`. */
  readonly unit: string | null;
  /** Thresholds in the unit. */
  readonly thresholds: Readonly<Partial<Record<ThresholdName, number>>>;
  /** Asserted threshold or state offsets. */
  readonly asserted: number;
}

function nameOf(table: Readonly<Record<string, number>>, code: number): string {
  return Object.entries(table).find(([, v]) => v === code)?.[0] ?? `0x${code.toString(16)}`;
}

/** The BMC operations the Redfish service uses. */
export class BmcOps {
  readonly #target: RedfishTarget;

  /**
   * Wrap a BMC.
   *
   * @param target The BMC.
   */
  constructor(target: RedfishTarget) {
    this.#target = target;
  }

  /** The core. */
  get bmc(): Bmc {
    return this.#target.bmc;
  }

  /** Redfish `PowerState` from the chassis model. */
  powerState(): "On" | "Off" | "PoweringOn" {
    const power = this.bmc.chassis.power;
    return power === "on" ? "On" : power === "off" ? "Off" : "PoweringOn";
  }

  /**
   * Reset types the power backend can perform at all (not only now): the
   * `vm` backend can never power on.
   *
   * @returns Allowable values.
   */
  resetTypes(): ResetType[] {
    const canPowerOn = this.bmc.chassis.backend.kind !== "vm";
    return (Object.keys(RESET_TYPES) as ResetType[]).filter((t) =>
      canPowerOn || RESET_TYPES[t] !== "on"
    );
  }

  /**
   * Perform a reset type through the chassis model (the path of Chassis
   * Control, with its watchdog side effects).
   *
   * @param type Reset type.
   * @returns Done, or why not.
   */
  reset(type: ResetType): PowerCheck {
    try {
      power(this.#target, actionOf(RESET_TYPES[type]), "api");
      return { ok: true };
    } catch (error) {
      if (error instanceof OperationError) return { ok: false, reason: error.message };
      throw error;
    }
  }

  /**
   * Reboot the BMC the way an in-band Cold Reset does: the profile's reset
   * mode and duration, the watchdog forgotten.
   *
   * @param origin Who asked, for the log and events.
   */
  resetBmc(origin: string): void {
    const q = this.bmc.config.quirks;
    resetBmc(this.#target, {
      mode: q.resetMode,
      durationMs: q.resetDurationMs,
      busyCc: q.resetBusyCc,
      watchdog: "forget",
      resetWatchdogCc: null,
    }, origin);
  }

  /** The BMC reset in progress: its mode and how long it still lasts, or `null`. */
  outage(): { readonly mode: string; readonly remainingMs: number } | null {
    const outage = this.bmc.outage;
    if (outage === null) return null;
    return {
      mode: outage.plan.mode,
      remainingMs: Math.max(0, outage.endsAt - this.bmc.clock.now()),
    };
  }

  /** Every SEL record, decoded. */
  selEntries(): DecodedSelRecord[] {
    return this.bmc.sel.records().map((r) => decodeSelRecord(r.bytes));
  }

  /** SEL capacity. */
  get selCapacity(): number {
    return this.bmc.sel.capacity;
  }

  /** Clear the SEL (as Clear SEL does, without a reservation). */
  clearSel(): void {
    clearSel(this.#target);
  }

  /** Every sensor (the watchdog sensor included). */
  sensors(): SensorView[] {
    return this.bmc.sensors.all().map((s) => {
      const c = s.config;
      const base = {
        name: c.name,
        number: c.number,
        type: nameOf(SENSOR_TYPES, c.sensorType),
        asserted: s.asserted,
      };
      if (s instanceof ThresholdSensor && c.kind === "threshold") {
        const thresholds: Partial<Record<ThresholdName, number>> = {};
        for (const t of THRESHOLDS_ASCENDING) {
          const raw = s.thresholds[t];
          if (raw !== undefined) thresholds[t] = toReading(raw, c.factors);
        }
        return { ...base, reading: s.value, unit: nameOf(SENSOR_UNITS, c.unit), thresholds };
      }
      return { ...base, reading: null, unit: null, thresholds: {} };
    });
  }

  /** The watchdog. */
  watchdog(): WatchdogSnapshot {
    return this.bmc.watchdog.snapshot();
  }

  /** Identity from the first FRU device (manufacturer, model, serial numbers). */
  fruIdentity(): FruIdentity {
    const id = this.bmc.fru.ids()[0];
    const image = id === undefined ? undefined : this.bmc.fru.image(id);
    return image === undefined ? {} : readFruIdentity(image);
  }

  /** Firmware version (`6.10`), from Get Device ID's identity. */
  firmwareVersion(): string {
    const i = this.bmc.config.identity;
    return `${i.firmwareMajor}.${i.firmwareMinor.toString(16).padStart(2, "0")}`;
  }

  /** The system GUID as a UUID string, or `null`. */
  systemUuid(): string | null {
    const wire = this.bmc.config.systemGuid ?? this.bmc.config.deviceGuid;
    if (wire === null) return null;
    const hex = [...wire].reverse().map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
      hex.slice(20)
    }`;
  }

  /** The port IPMI over LAN listens on, or `null` when this BMC has none. */
  ipmiLanPort(): number | null {
    const listen = this.#target.lan?.lanListen ?? null;
    return listen === null ? null : parseHostPort(listen)?.port ?? null;
  }

  /** Profile name. */
  get profile(): string {
    return this.bmc.config.profile;
  }

  /** Profile's IANA manufacturer id. */
  get manufacturerId(): number {
    return this.bmc.config.identity.manufacturerId;
  }
}
