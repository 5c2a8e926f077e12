/**
 * The link from one BMC to its VM: the `HostLink` port implemented over
 * whichever VM session is connected right now. It outlives sessions, so the
 * BMC keeps one link across reconnects, and it never sends a host action
 * QEMU did not advertise (it publishes `host.unsupported` instead).
 *
 * @module
 */

import { VmCapability, VmCmd } from "../codec/constants.ts";
import type { EventSink } from "../core/events.ts";
import type { HostActionEventType } from "../core/event_catalogue.ts";
import type { Attention, HostAction, HostActionOutcome, HostLink } from "../core/ports.ts";

/** What the link needs from a connected session. */
export interface LinkSession {
  /** Capability bits received from QEMU, or `null` before they arrived. */
  readonly capabilities: number | null;
  /** Peer description. */
  readonly peer: string;
  /** Send a control command now (ordered with other frames). */
  sendControl(op: number): void;
  /** Send a control command after the response to the request in progress. */
  sendAfterResponse(op: number): void;
  /** Close the connection. */
  close(reason: string): void;
}

const ACTIONS: Record<HostAction, { op: number; cap: number; event: HostActionEventType }> = {
  "nmi": { op: VmCmd.SendNmi, cap: VmCapability.Nmi, event: "host.nmi" },
  "reset": { op: VmCmd.Reset, cap: VmCapability.Reset, event: "host.reset" },
  "power-off": { op: VmCmd.PowerOff, cap: VmCapability.Power, event: "host.power-off" },
  "graceful-shutdown": {
    op: VmCmd.GracefulShutdown,
    cap: VmCapability.GracefulShutdown,
    event: "host.graceful-shutdown",
  },
};

const ATTENTION_OPS: Record<Attention, number> = {
  "none": VmCmd.NoAttn,
  "attn": VmCmd.Attn,
  "attn-irq": VmCmd.AttnIrq,
};

/**
 * The control command announcing an attention state.
 *
 * @param attention State.
 * @returns `00`, `01` or `02`.
 */
export function attentionOp(attention: Attention): number {
  return ATTENTION_OPS[attention];
}

/**
 * The control command announcing the interface interrupt's state.
 *
 * @param enabled Whether it is enabled.
 * @returns `05` or `06`.
 */
export function irqOp(enabled: boolean): number {
  return enabled ? VmCmd.EnableIrq : VmCmd.DisableIrq;
}

/** Host link over the current VM session of one BMC. */
export class VmLink<S extends LinkSession = LinkSession> implements HostLink {
  readonly #events: EventSink;
  #session: S | null = null;

  /**
   * Create a link with no session.
   *
   * @param events Where host actions are published (and so logged).
   */
  constructor(events: EventSink) {
    this.#events = events;
  }

  /** The connected session, if any. */
  get session(): S | null {
    return this.#session;
  }

  /** Whether a VM is connected. */
  get connected(): boolean {
    return this.#session !== null;
  }

  /**
   * Make `session` the current one.
   *
   * @param session The new session.
   */
  attach(session: S): void {
    this.#session = session;
  }

  /**
   * Forget `session` if it is the current one.
   *
   * @param session The ending session.
   */
  detach(session: S): void {
    if (this.#session === session) this.#session = null;
  }

  /** QEMU's capability bits; 0 before they arrived; `null` when disconnected. */
  capabilities(): number | null {
    if (this.#session === null) return null;
    return this.#session.capabilities ?? 0;
  }

  #has(cap: number): boolean {
    const caps = this.#session?.capabilities;
    // Before QEMU announced its capabilities, ATN/IRQ state is still sent
    // (every QEMU supports both; ipmi_sim does the same on connect).
    return caps === null || caps === undefined || (caps & cap) !== 0;
  }

  /**
   * Announce an attention change (`00`/`01`/`02`).
   *
   * @param attention New state.
   */
  setAttention(attention: Attention): void {
    this.#events.emit("host.attention", { state: attention });
    if (this.#session === null || !this.#has(VmCapability.Attn)) return;
    this.#session.sendControl(ATTENTION_OPS[attention]);
  }

  /**
   * Announce an interrupt-enable change (`05`/`06`).
   *
   * @param enabled New state.
   */
  setIrqEnabled(enabled: boolean): void {
    this.#events.emit("host.irq", { enabled });
    if (this.#session === null || !this.#has(VmCapability.Irq)) return;
    this.#session.sendControl(irqOp(enabled));
  }

  /**
   * Perform a host action if connected and advertised.
   *
   * @param action The action.
   * @returns Outcome.
   */
  act(action: HostAction): HostActionOutcome {
    const spec = ACTIONS[action];
    if (this.#session === null) {
      this.#events.emit("host.unsupported", { action, reason: "no VM connected" });
      return "disconnected";
    }
    const caps = this.#session.capabilities ?? 0;
    if ((caps & spec.cap) === 0) {
      const reason = `QEMU did not advertise capability 0x${spec.cap.toString(16)}`;
      this.#events.emit("host.unsupported", { action, reason });
      return "unsupported";
    }
    this.#session.sendAfterResponse(spec.op);
    this.#events.emit(spec.event, { backend: "vm", peer: this.#session.peer });
    return "sent";
  }

  /**
   * Close the current session (BMC reset in `disconnect` mode).
   *
   * @param reason Why.
   */
  disconnect(reason: string): void {
    this.#session?.close(reason);
  }
}
