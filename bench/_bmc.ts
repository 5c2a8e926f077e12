/**
 * A BMC for benchmarks: memory store, manual clock, a link that does nothing.
 *
 * @module
 */

import { ManualClock } from "../src/clock/manual_clock.ts";
import { Bmc } from "../src/core/bmc.ts";
import type { EventSink } from "../src/core/events.ts";
import type { Attention, HostAction, HostActionOutcome, HostLink } from "../src/core/ports.ts";
import { parseProfile, resolveProfile } from "../src/profile/parse_profile.ts";
import { loadProfile } from "../src/profile/load_profile.ts";
import { MemoryStore } from "../src/store/memory_store.ts";

/** A link to nowhere, with every capability. */
export class QuietLink implements HostLink {
  /** All capabilities. */
  capabilities(): number | null {
    return 0x3f;
  }
  /** Ignored. */
  setAttention(_attention: Attention): void {}
  /** Ignored. */
  setIrqEnabled(_enabled: boolean): void {}
  /** Pretends to send. */
  act(_action: HostAction): HostActionOutcome {
    return "sent";
  }
  /** Ignored. */
  disconnect(_reason: string): void {}
  /** Nothing held. */
  releaseHeld(_cc: number | null): boolean {
    return false;
  }
}

/**
 * A BMC with the given profile.
 *
 * @param events Event sink (default: none).
 * @param profile Shipped profile name.
 * @returns The BMC.
 */
export async function benchBmc(events?: EventSink, profile = "generic"): Promise<Bmc> {
  const p = (await loadProfile(profile)).profile;
  return new Bmc({
    id: "bench",
    config: resolveProfile(parseProfile(p, profile), { bmcId: "bench" }),
    clock: new ManualClock({ wallAtZero: Date.UTC(2026, 10, 22) }),
    link: new QuietLink(),
    store: new MemoryStore(),
    ...(events === undefined ? {} : { events }),
  });
}
