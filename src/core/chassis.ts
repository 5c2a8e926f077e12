/**
 * The chassis power model (IPMI v2.0 ch. 28): power state, restart cause,
 * power restore policy and last power event, kept by the BMC and changed
 * through a power backend.
 *
 * @module
 */

import { BootOptions } from "./boot_options.ts";
import type { EventSink } from "./events.ts";
import type { PowerBackend, PowerCheck, PowerOp, StateStore } from "./ports.ts";

/** Chassis power state. */
export const POWER_STATES = ["on", "off", "cycling"] as const;

/** A power state. */
export type PowerState = typeof POWER_STATES[number];

/** System restart causes (Get System Restart Cause, IPMI v2.0 28.11). */
export const RestartCause = {
  Unknown: 0x00,
  ChassisControl: 0x01,
  ResetButton: 0x02,
  PowerButton: 0x03,
  Watchdog: 0x04,
  Oem: 0x05,
  AlwaysRestore: 0x06,
  RestorePrevious: 0x07,
  PefReset: 0x08,
  PefPowerCycle: 0x09,
  SoftReset: 0x0a,
  RtcWakeup: 0x0b,
} as const;

/** Power restore policies (Set Power Restore Policy). */
export const RestorePolicy = {
  AlwaysOff: 0,
  Previous: 1,
  AlwaysOn: 2,
  Unknown: 3,
} as const;

const POLICY_KEY = "chassis.restorePolicy";

/** Who asked for a chassis operation, which becomes the restart cause. */
export const POWER_ORIGINS = ["chassis-control", "watchdog", "api", "guest"] as const;

/** What asked for a power change. */
export type PowerOrigin = typeof POWER_ORIGINS[number];

const CAUSE_BY_ORIGIN: Record<PowerOrigin, number> = {
  "chassis-control": RestartCause.ChassisControl,
  "watchdog": RestartCause.Watchdog,
  "api": RestartCause.ChassisControl,
  "guest": RestartCause.SoftReset,
};

/** State for the API. */
export interface ChassisSnapshot {
  /** Power state. */
  readonly power: PowerState;
  /** Power backend kind. */
  readonly backend: string;
  /** Restart cause byte and name. */
  readonly restartCause: { readonly code: number; readonly name: string };
  /** Power restore policy (0 off, 1 previous, 2 on). */
  readonly restorePolicy: number;
}

function causeName(code: number): string {
  for (const [name, value] of Object.entries(RestartCause)) {
    if (value === code) return name;
  }
  return "Unknown";
}

/** The chassis model of one BMC. */
export class Chassis {
  readonly #backend: PowerBackend;
  readonly #events: EventSink;
  readonly #store: StateStore;
  #power: PowerState = "on";
  #restartCause: number = RestartCause.Unknown;
  #lastPowerEvent = 0;
  #identify = false;
  /** System boot options (boot flags persist in the store). */
  readonly bootOptions: BootOptions;

  /**
   * Create the model.
   *
   * @param backend How power operations reach the VM.
   * @param store Where the restore policy persists.
   * @param events Where power changes are published.
   */
  constructor(backend: PowerBackend, store: StateStore, events: EventSink) {
    this.#backend = backend;
    this.#store = store;
    this.#events = events;
    this.bootOptions = new BootOptions(store);
  }

  /** The power backend. */
  get backend(): PowerBackend {
    return this.#backend;
  }

  /** Current power state. */
  get power(): PowerState {
    return this.#power;
  }

  /** Restart cause byte. */
  get restartCause(): number {
    return this.#restartCause;
  }

  /** Power restore policy (persisted). */
  get restorePolicy(): number {
    const stored = this.#store.getValue(POLICY_KEY);
    return stored === undefined ? RestorePolicy.AlwaysOff : Number(stored) & 3;
  }

  /**
   * Change the power restore policy (3 = no change).
   *
   * @param policy 0 always off, 1 previous, 2 always on, 3 no change.
   */
  setRestorePolicy(policy: number): void {
    if (policy === RestorePolicy.Unknown) return;
    this.#store.setValue(POLICY_KEY, String(policy));
  }

  /** Last power event byte (bit 4: last power-on was by IPMI command). */
  get lastPowerEvent(): number {
    return this.#lastPowerEvent;
  }

  /** Whether Chassis Identify is on. */
  get identify(): boolean {
    return this.#identify;
  }

  /**
   * Turn the identify light on or off.
   *
   * @param on New state.
   */
  setIdentify(on: boolean): void {
    this.#identify = on;
  }

  /**
   * Check and perform a chassis operation; updates the model optimistically
   * (backends that can observe the VM correct it through `powerChanged`).
   *
   * @param op Operation.
   * @param origin Who asked (sets the restart cause).
   * @returns `{ ok: true }`, or why it could not be done.
   */
  control(op: PowerOp, origin: PowerOrigin): PowerCheck {
    const check = this.#backend.check(op);
    if (!check.ok) return check;
    this.#events.emit("chassis.control", { op, origin, backend: this.#backend.kind });
    if (op === "reset" || op === "cycle" || op === "on") {
      this.#restartCause = CAUSE_BY_ORIGIN[origin];
    }
    if (op === "on" || op === "cycle") this.#lastPowerEvent = 0x10;
    this.#backend.perform(op);
    if (op === "off" || op === "on") this.powerChanged(op, origin);
    if (op === "cycle") {
      // A backend that observes the VM reports off and on again; one that
      // cannot (vm: a cycle is a reset) leaves the machine on.
      this.powerChanged(this.#backend.observe === undefined ? "on" : "cycling", origin);
    }
    return check;
  }

  /**
   * Record an observed power change (from a backend or the VM link).
   *
   * @param power New state.
   * @param cause What caused it, for the event.
   */
  powerChanged(power: PowerState, cause: string): void {
    if (power === this.#power) return;
    if (this.#power === "cycling" && power === "off") return; // the off half of the cycle
    const from = this.#power;
    this.#power = power;
    this.#events.emit("power.changed", { from, to: power, cause });
  }

  /**
   * Record a system restart the BMC did not initiate (guest reboot).
   *
   * @param cause Restart cause byte.
   */
  recordRestart(cause: number): void {
    this.#restartCause = cause;
  }

  /** State for the API. */
  snapshot(): ChassisSnapshot {
    return {
      power: this.#power,
      backend: this.#backend.kind,
      restartCause: { code: this.#restartCause, name: causeName(this.#restartCause) },
      restorePolicy: this.restorePolicy,
    };
  }
}
