/**
 * A BMC for unit tests: manual clock, memory store, a recording host link
 * and a recording event sink.
 *
 * @module
 */

import { ManualClock } from "../../src/clock/manual_clock.ts";
import { VmCapability } from "../../src/codec/constants.ts";
import type { IpmiResponse } from "../../src/codec/ipmi_types.ts";
import { Bmc } from "../../src/core/bmc.ts";
import type { BmcConfig } from "../../src/core/config.ts";
import type { BmcEventType, EventData, EventSink } from "../../src/core/events.ts";
import type {
  Attention,
  HostAction,
  HostActionOutcome,
  HostLink,
  PowerBackend,
  StateStore,
} from "../../src/core/ports.ts";
import { parseProfile, resolveProfile } from "../../src/profile/parse_profile.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";

/** Every capability QEMU 7.2 advertises. */
export const QEMU_CAPS = 0x3f;

/** A host link that records what the BMC asked for. */
export class RecordingLink implements HostLink {
  /** Capabilities (`null` = disconnected). */
  caps: number | null = QEMU_CAPS;
  /** Everything sent, in order: `attn:…`, `irq:on`, `nmi`, … */
  readonly sent: string[] = [];
  /** Disconnect reasons. */
  readonly disconnects: string[] = [];

  /** Capabilities. */
  capabilities(): number | null {
    return this.caps;
  }
  /** Record attention. */
  setAttention(attention: Attention): void {
    this.sent.push(`attn:${attention}`);
  }
  /** Record irq enable. */
  setIrqEnabled(enabled: boolean): void {
    this.sent.push(`irq:${enabled ? "on" : "off"}`);
  }
  /** Record an action, honouring capabilities like the real link. */
  act(action: HostAction): HostActionOutcome {
    if (this.caps === null) return "disconnected";
    const cap = {
      "nmi": VmCapability.Nmi,
      "reset": VmCapability.Reset,
      "power-off": VmCapability.Power,
      "graceful-shutdown": VmCapability.GracefulShutdown,
    }[action];
    if ((this.caps & cap) === 0) return "unsupported";
    this.sent.push(action);
    return "sent";
  }
  /** Record a disconnect. */
  disconnect(reason: string): void {
    this.disconnects.push(reason);
  }
}

/** An event sink that keeps everything. */
export class RecordingSink implements EventSink {
  /** Events in order. */
  readonly events: { type: BmcEventType; data: EventData }[] = [];
  readonly #waiters = new Set<() => void>();
  /** Always interested. */
  wants(_type: BmcEventType): boolean {
    return true;
  }
  /** Record. */
  emit(type: BmcEventType, data: EventData): void {
    this.events.push({ type, data });
    for (const w of [...this.#waiters]) w();
  }
  /** Types in order. */
  types(): BmcEventType[] {
    return this.events.map((e) => e.type);
  }
  /** Events of one type. */
  of(type: BmcEventType): EventData[] {
    return this.events.filter((e) => e.type === type).map((e) => e.data);
  }
  /**
   * The first event of `type` at index `from` or later (recorded or to come)
   * that `where` accepts.
   *
   * @param type Event type.
   * @param where Predicate on its data.
   * @param from First index to look at.
   * @returns Its data.
   */
  async next(
    type: BmcEventType,
    where: (data: EventData) => boolean = () => true,
    from = 0,
  ): Promise<EventData> {
    for (let i = from;; i++) {
      while (i >= this.events.length) {
        await new Promise<void>((resolve) => {
          const wake = () => {
            this.#waiters.delete(wake);
            resolve();
          };
          this.#waiters.add(wake);
        });
      }
      const e = this.events[i]!;
      if (e.type === type && where(e.data)) return e.data;
    }
  }
}

/** A minimal valid profile document (generic-like), to modify in tests. */
export function profileJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "test",
    description: "unit test profile",
    identity: {
      deviceId: 32,
      deviceRevision: 1,
      firmwareRevision: "2.34",
      additionalSupport: ["sensor", "sel", "chassis"],
      manufacturerId: 32473,
      productId: 7,
      auxFirmware: [1, 2, 3, 4],
    },
    deviceGuid: "00112233-4455-6677-8899-aabbccddeeff",
    ...overrides,
  };
}

/**
 * A resolved config from a profile document.
 *
 * @param overrides Profile fields to replace.
 * @returns The config.
 */
export function testConfig(overrides: Record<string, unknown> = {}): BmcConfig {
  return resolveProfile(parseProfile(profileJson(overrides), "test.json"), { bmcId: "bmc0" });
}

/** A BMC with its test doubles. */
export interface TestBmc {
  readonly bmc: Bmc;
  readonly clock: ManualClock;
  readonly link: RecordingLink;
  readonly events: RecordingSink;
  readonly store: StateStore;
  /** Send a request, return the immediate response. */
  send(netfn: number, cmd: number, data?: number[]): IpmiResponse;
}

/**
 * Build a BMC on a manual clock.
 *
 * @param options Config overrides, store, power backend.
 * @returns The BMC and its doubles.
 */
export function testBmc(options: {
  config?: Record<string, unknown>;
  store?: StateStore;
  power?: PowerBackend;
  clock?: ManualClock;
} = {}): TestBmc {
  const clock = options.clock ?? new ManualClock({ wallAtZero: Date.UTC(2026, 10, 22) });
  const link = new RecordingLink();
  const events = new RecordingSink();
  const store = options.store ?? new MemoryStore();
  const bmc = new Bmc({
    id: "bmc0",
    config: testConfig(options.config),
    clock,
    link,
    store,
    events,
    ...(options.power === undefined ? {} : { power: options.power }),
  });
  return {
    bmc,
    clock,
    link,
    events,
    store,
    send(netfn, cmd, data = []) {
      const verdict = bmc.handle({ netfn, lun: 0, cmd, data: Uint8Array.from(data) });
      if (verdict.kind !== "reply") throw new Error(`expected a reply, got ${verdict.kind}`);
      return verdict.response;
    },
  };
}
