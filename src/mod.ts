/**
 * bmc-emu as a library: the BMC core, its ports, the clocks, profiles and
 * the runtime that serves BMCs over the VM protocol. No side effects on
 * import; the CLI lives in `main.ts`.
 *
 * @example A BMC on a manual clock answers Get Device ID
 * ```ts
 * import assert from "node:assert/strict";
 * import { Bmc, ManualClock, MemoryStore, parseProfile, resolveProfile } from "@bmc-emu/bmc-emu";
 * const profile = parseProfile({
 *   name: "doc", description: "example",
 *   identity: { deviceId: 32, deviceRevision: 1, firmwareRevision: "1.00",
 *     additionalSupport: "0x04", manufacturerId: 32473, productId: 1 },
 * }, "doc.json");
 * const link = {
 *   capabilities: () => 0x3f, setAttention: () => {}, setIrqEnabled: () => {},
 *   act: () => "sent" as const, disconnect: () => {},
 * };
 * const bmc = new Bmc({
 *   id: "bmc0", config: resolveProfile(profile, { bmcId: "bmc0" }),
 *   clock: new ManualClock(), link, store: new MemoryStore(),
 * });
 * const verdict = bmc.handle({ netfn: 0x06, lun: 0, cmd: 0x01, data: new Uint8Array() });
 * assert.equal(verdict.kind === "reply" && verdict.response.cc, 0);
 * ```
 *
 * @module
 */

export { type CancelTimer, type Clock, SystemClock } from "./clock/clock.ts";
export { ManualClock } from "./clock/manual_clock.ts";
export { Bmc, type BmcDeps, type BmcSnapshot, type Verdict } from "./core/bmc.ts";
export type { BmcConfig, Quirks } from "./core/config.ts";
export { type BmcEventType, EVENT_TYPES, type EventSink } from "./core/events.ts";
export type * from "./core/ports.ts";
export { type BusEvent, EventBus } from "./events/event_bus.ts";
export { type Logger, NullLogger } from "./log/logger.ts";
export { StreamLogger } from "./log/stream_logger.ts";
export { loadProfile } from "./profile/load_profile.ts";
export { parseProfile, resolveProfile } from "./profile/parse_profile.ts";
export { ProfileError } from "./profile/profile_error.ts";
export type { Profile } from "./profile/schema.ts";
export { BmcRuntime, type BmcSpec } from "./runtime/bmc_runtime.ts";
export { qemuIpmiArgs } from "./runtime/qemu_args.ts";
export { Registry } from "./runtime/registry.ts";
export { MemoryStore } from "./store/memory_store.ts";
export { SqliteStore, StateFileError } from "./store/sqlite_store.ts";
export { type Endpoint, parseEndpoint } from "./transport/endpoint.ts";
