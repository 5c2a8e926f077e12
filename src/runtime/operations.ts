/**
 * Every operation a front-end can ask of a BMC, each once: power actions,
 * BMC reset, hangs, fault rules, event injection, sensors and the SEL. The
 * HTTP routes and the scenario steps (and the coming LAN and Redfish
 * adapters) call these and render the results and {@link OperationError}s
 * in their own dialect.
 *
 * @module
 */

import type { PowerOrigin } from "../core/chassis.ts";
import type { FaultRule, FaultRuleSpec } from "../core/faults.ts";
import type { Hang, HangSpec } from "../core/hang.ts";
import { POWER_ACTIONS, type PowerAction } from "../core/power_actions.ts";
import type { ResetPlan } from "../core/bmc_reset.ts";
import type { StoredSelRecord } from "../core/ports.ts";
import type { Sensor } from "../core/sensor.ts";
import type { SensorUpdate } from "../core/sensors.ts";
import type { SystemEvent } from "../core/sel_record.ts";
import { FaultRuleError } from "../faults/fault_schema.ts";
import { MemoryStore } from "../store/memory_store.ts";
import type { BmcRuntime } from "./bmc_runtime.ts";
import type { Registry } from "./registry.ts";
import { OperationError } from "./operation_error.ts";

/** A power action done. */
export interface PowerResult {
  /** The action. */
  readonly action: PowerAction;
  /** Power state afterwards. */
  readonly power: string;
  /** The backend that acted (`vm`, `qmp`). */
  readonly backend: string;
}

/**
 * Do a chassis power action (the same path as the guest's Chassis Control).
 *
 * @param rt The BMC.
 * @param action The action.
 * @param origin Who asked.
 * @returns The result.
 * @throws {OperationError} `conflict` with the backend's reason.
 */
export function power(rt: BmcRuntime, action: PowerAction, origin: PowerOrigin): PowerResult {
  const bmc = rt.bmc;
  const result = bmc.chassisControl(POWER_ACTIONS[action].op, origin);
  if (!result.ok) throw new OperationError("conflict", `Cannot ${action}: ${result.reason}`);
  return { action, power: bmc.chassis.power, backend: bmc.chassis.backend.kind };
}

/**
 * Reset (reboot) the BMC.
 *
 * @param rt The BMC.
 * @param plan What the reset does.
 * @param origin Who asked.
 * @returns The plan and when the outage ends (wall time, ms).
 */
export function resetBmc(
  rt: BmcRuntime,
  plan: ResetPlan,
  origin: string,
): ResetPlan & { readonly endsAtWallMs: number } {
  rt.bmc.beginReset(plan, origin);
  return { ...plan, endsAtWallMs: rt.bmc.clock.wallMs() + plan.durationMs };
}

/**
 * Start a hang, replacing one in progress.
 *
 * @param rt The BMC.
 * @param spec The hang.
 * @param origin Who asked.
 */
export function startHang(rt: BmcRuntime, spec: HangSpec, origin: string): void {
  rt.bmc.startHang(spec, origin);
}

/**
 * Release the hang; a wedge sends its held reply (or `cc`).
 *
 * @param rt The BMC.
 * @param cc Completion code for a wedge's held request, or `null` for its real reply.
 * @returns The hang that ended and how long it lasted.
 * @throws {OperationError} `conflict` when there is no hang.
 */
export function releaseHang(
  rt: BmcRuntime,
  cc: number | null,
): { readonly hang: Hang; readonly durationMs: number } {
  const hang = rt.bmc.releaseHang(cc);
  if (hang === null) throw new OperationError("conflict", "No hang in progress");
  return { hang, durationMs: Math.round(rt.bmc.clock.now() - hang.startedAt) };
}

/**
 * Add a fault rule.
 *
 * @param rt The BMC.
 * @param resolve Turns the rule's input into a spec (throws {@link FaultRuleError}).
 * @returns The rule.
 * @throws {OperationError} `invalid` naming the field.
 */
export function addFault(rt: BmcRuntime, resolve: () => FaultRuleSpec): FaultRule {
  let spec: FaultRuleSpec;
  try {
    spec = resolve();
  } catch (error) {
    if (error instanceof FaultRuleError) {
      throw new OperationError("invalid", `${error.field} ${error.problem}`, error.field);
    }
    throw error;
  }
  return rt.bmc.faults.add(spec);
}

/**
 * Remove a fault rule.
 *
 * @param rt The BMC.
 * @param id Rule id.
 * @throws {OperationError} `not-found`.
 */
export function removeFault(rt: BmcRuntime, id: string): void {
  if (!rt.bmc.faults.remove(id)) throw new OperationError("not-found", `No fault rule "${id}"`);
}

/**
 * Remove every fault rule.
 *
 * @param rt The BMC.
 * @returns How many there were.
 */
export function clearFaults(rt: BmcRuntime): number {
  return rt.bmc.faults.clear();
}

/**
 * Log a platform event as a Platform Event Message would: SEL, event
 * message buffer and ATTN.
 *
 * @param rt The BMC.
 * @param event The event.
 * @param origin Who asked.
 * @returns The SEL record id (`null` when not logged) and whether the event buffer is full.
 */
export function injectEvent(
  rt: BmcRuntime,
  event: SystemEvent,
  origin: string,
): { readonly recordId: number | null; readonly eventBuffer: boolean } {
  const recordId = rt.bmc.logEvent(event, origin);
  return { recordId, eventBuffer: rt.bmc.messaging.snapshot().eventBufferFull };
}

/**
 * A sensor by name or number.
 *
 * @param rt The BMC.
 * @param key Name (any case) or number.
 * @returns The sensor.
 * @throws {OperationError} `not-found`.
 */
export function findSensor(rt: BmcRuntime, key: string): Sensor {
  const sensor = rt.bmc.sensors.find(key);
  if (sensor === undefined) {
    throw new OperationError("not-found", `No sensor "${key}" on ${rt.id} (by name or number)`);
  }
  return sensor;
}

/**
 * Set a sensor's reading or state (it then stays there), or hand it back to
 * the profile's dynamics (`null`).
 *
 * @param rt The BMC.
 * @param sensor The sensor.
 * @param update The new reading, raw value or state; `null` to resume dynamics.
 * @param origin Who asked.
 * @returns How many events the change logged.
 * @throws {OperationError} `invalid` for the wrong kind of update or a value out of range.
 */
export function setSensor(
  rt: BmcRuntime,
  sensor: Sensor,
  update: SensorUpdate | null,
  origin: string,
): number {
  const sensors = rt.bmc.sensors;
  if (update === null) {
    sensors.unpin(sensor);
    return 0;
  }
  const result = sensors.update(sensor, update, origin);
  if (!result.ok) throw new OperationError("invalid", result.reason);
  return result.events;
}

/**
 * Add a SEL record; the SEL assigns id and timestamp.
 *
 * @param rt The BMC.
 * @param bytes The 16 record bytes.
 * @param origin Who asked.
 * @returns The stored record.
 * @throws {OperationError} `full`.
 */
export function addSelRecord(rt: BmcRuntime, bytes: Uint8Array, origin: string): StoredSelRecord {
  const sel = rt.bmc.sel;
  const result = sel.add(bytes, origin);
  if (!result.ok) throw new OperationError("full", `The SEL is full (${sel.capacity} records)`);
  return result.value;
}

/**
 * One SEL record.
 *
 * @param rt The BMC.
 * @param id Record id.
 * @returns The record.
 * @throws {OperationError} `not-found`.
 */
export function selRecord(rt: BmcRuntime, id: number): StoredSelRecord {
  const record = rt.bmc.sel.records().find((r) => r.id === id);
  if (record === undefined) throw new OperationError("not-found", `No SEL record ${id}`);
  return record;
}

/**
 * Delete one SEL record.
 *
 * @param rt The BMC.
 * @param id Record id.
 * @throws {OperationError} `not-found`.
 */
export function deleteSelRecord(rt: BmcRuntime, id: number): void {
  selRecord(rt, id);
  rt.bmc.sel.delete(null, id);
}

/**
 * Clear the SEL.
 *
 * @param rt The BMC.
 * @returns How many records were removed.
 */
export function clearSel(rt: BmcRuntime): number {
  const removed = rt.bmc.sel.size;
  rt.bmc.sel.clear(null);
  return removed;
}

/**
 * Stop a BMC and take it out of the process: its VM link and power backend
 * close, its state file stays. Publishes `bmc.removed`.
 *
 * @param registry The process's BMCs.
 * @param id BMC id.
 * @returns The state file it kept (`null`: it was in memory).
 * @throws {OperationError} `not-found`.
 */
export async function removeBmc(
  registry: Registry,
  id: string,
): Promise<{ readonly stateFile: string | null }> {
  const runtime = registry.remove(id);
  if (runtime === undefined) throw new OperationError("not-found", `No BMC with id "${id}"`);
  const stateFile = runtime.store instanceof MemoryStore ? null : runtime.store.location;
  await runtime.close(true);
  return { stateFile };
}
