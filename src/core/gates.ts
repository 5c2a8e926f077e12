/**
 * What stands between a request and its handler: a BMC reset in progress
 * (busy or silent), a hang (silent or wedge, on one interface or all), the
 * fault rules, and the broken firmware a reset can leave behind. One entry:
 * `gates.check(request, channel) ?? dispatch(request)`. The gates also own
 * the outage and the hang: starting, ending and what the API shows of them.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import { AppCmd, NetFn } from "../codec/constants.ts";
import type { IpmiRequest } from "../codec/ipmi_types.ts";
import type { Outage, ResetPlan } from "./bmc_reset.ts";
import { fail, type Reply } from "./command.ts";
import { responseTo } from "./dispatcher.ts";
import type { Quirks } from "./config.ts";
import type { BmcResetKind } from "./context.ts";
import type { EventSink } from "./events.ts";
import type { FaultEngine, RequestChannel } from "./faults.ts";
import type { Hang, HangSpec } from "./hang.ts";
import type { Messaging } from "./messaging.ts";
import type { HostLink } from "./ports.ts";
import type { Verdict, WedgeEnd } from "./verdict.ts";

/** What the gates act on. */
export interface GateDeps {
  /** Time source. */
  readonly clock: Clock;
  /** Event publication. */
  readonly events: EventSink;
  /** Fault rules. */
  readonly faults: FaultEngine;
  /** Link to the VM (a disconnect reset closes it). */
  readonly link: HostLink;
  /** Messaging (sticky hangs set its flags). */
  readonly messaging: Messaging;
  /** Runs a handler. */
  readonly dispatch: (req: IpmiRequest) => Reply;
  /** Turns a reply into a verdict (and counts it). */
  readonly reply: (req: IpmiRequest, reply: Reply) => Verdict & { kind: "reply" };
  /** What a reboot forgets (everything volatile), at the start of a reset. */
  readonly forget: (plan: ResetPlan, origin: string) => void;
  /** The BMC came back from a reset. */
  readonly ready: () => void;
  /** Schedules on the BMC's timers (cancelled when it closes). */
  readonly later: (fn: () => void, ms: number) => CancelTimer;
}

/** Outage, hang, fault rules and broken firmware, checked before dispatch. */
export class BmcGates {
  readonly #d: GateDeps;
  #outage: Outage | null = null;
  #cancelOutage: CancelTimer | null = null;
  #resetWatchdogCc: number | null = null;
  #hang: Hang | null = null;
  #cancelHang: CancelTimer | null = null;
  /** How the transports holding wedged replies send them when the wedge ends. */
  readonly #holders = new Set<(cc: number | null) => boolean>();
  readonly #wedgeEnd: WedgeEnd = { onEnd: (send) => this.#holders.add(send) };

  /**
   * Create the gates (all open).
   *
   * @param deps What they act on.
   */
  constructor(deps: GateDeps) {
    this.#d = deps;
  }

  /**
   * The verdict of a gate that stops or changes the request, or `null` when
   * the request goes to its handler as usual.
   *
   * @param req The request.
   * @param channel Interface it arrived on.
   * @returns The verdict, or `null`.
   */
  check(req: IpmiRequest, channel: RequestChannel): Verdict | null {
    const d = this.#d;
    const outage = this.#outage;
    if (outage !== null) {
      if (outage.plan.mode === "busy") return d.reply(req, fail(outage.plan.busyCc));
      return { kind: "drop", reason: `BMC resetting (${outage.plan.mode})`, unsafeSeq: "hang" };
    }
    const hang = this.#hang !== null &&
        (this.#hang.channel === null || this.#hang.channel === channel)
      ? this.#hang
      : null;
    if (hang?.mode === "silent") {
      return { kind: "drop", reason: "hang (silent)", unsafeSeq: "hang" };
    }
    if (hang?.mode === "wedge") {
      return { kind: "wedge", response: responseTo(req, d.dispatch(req)), end: this.#wedgeEnd };
    }
    const hit = d.faults.empty ? null : d.faults.check(req, channel);
    if (hit !== null) {
      const action = hit.action;
      if (action.type === "error") return d.reply(req, fail(action.cc));
      if (action.type === "drop") {
        return { kind: "drop", reason: `fault ${hit.rule.id}`, unsafeSeq: action.unsafeSeq };
      }
      const reply = d.reply(req, d.dispatch(req));
      if (action.type === "delay") return { ...reply, delayMs: action.ms };
      return { ...reply, wire: action };
    }
    if (
      this.#resetWatchdogCc !== null && req.netfn === NetFn.App &&
      req.cmd === AppCmd.ResetWatchdogTimer
    ) {
      return d.reply(req, fail(this.#resetWatchdogCc));
    }
    return null;
  }

  /** The reset in progress, if any. */
  get outage(): Outage | null {
    return this.#outage;
  }

  /** The hang in progress, if any. */
  get hang(): Hang | null {
    return this.#hang;
  }

  /** Code broken firmware answers to Reset Watchdog Timer, or `null`. */
  get resetWatchdogCc(): number | null {
    return this.#resetWatchdogCc;
  }

  /** Whether a VM may connect now (not during a `disconnect` reset). */
  acceptingConnections(): boolean {
    return this.#outage?.plan.mode !== "disconnect";
  }

  /**
   * Schedule an in-band BMC reset (Cold or Warm Reset) after the current
   * response, the way the profile's firmware resets.
   *
   * @param kind Cold or warm.
   * @param q The profile's quirks (reset mode, duration, busy code).
   */
  requestReset(kind: BmcResetKind, q: Quirks): void {
    this.#d.later(() =>
      this.beginReset({
        mode: q.resetMode,
        durationMs: q.resetDurationMs,
        busyCc: q.resetBusyCc,
        watchdog: "forget",
        resetWatchdogCc: null,
      }, `${kind}-reset`), 0);
  }

  /**
   * Reboot the BMC: forget what a reboot forgets, be unavailable in the
   * plan's way for its duration, then come back (possibly with broken
   * firmware).
   *
   * @param plan How the reset looks to the host.
   * @param origin Who asked.
   */
  beginReset(plan: ResetPlan, origin: string): void {
    const d = this.#d;
    this.#cancelOutage?.();
    const now = d.clock.now();
    this.#outage = { plan, origin, startedAt: now, endsAt: now + plan.durationMs };
    d.events.emit("bmc.reset", { origin, ...plan });
    d.forget(plan, origin);
    this.#resetWatchdogCc = null;
    if (plan.mode === "disconnect") d.link.disconnect(`BMC reset (${origin})`);
    this.#cancelOutage = d.later(() => {
      this.#cancelOutage = null;
      this.#endReset();
    }, plan.durationMs);
  }

  #endReset(): void {
    const outage = this.#outage;
    if (outage === null) return;
    this.#outage = null;
    this.#resetWatchdogCc = outage.plan.resetWatchdogCc;
    this.#d.ready();
    this.#d.events.emit("bmc.ready", {
      origin: outage.origin,
      firmware: this.#resetWatchdogCc === null
        ? "spec"
        : `reset-watchdog-timer answers 0x${this.#resetWatchdogCc.toString(16)}`,
    });
  }

  /**
   * Start a hang (replacing one in progress).
   *
   * @param spec Mode, automatic release (none: hold until released), sticky message kind.
   * @param origin Who asked.
   */
  startHang(spec: HangSpec, origin: string): void {
    const d = this.#d;
    if (this.#hang !== null) this.releaseHang(null, "replaced");
    const { mode } = spec;
    const durationMs = spec.durationMs ?? null;
    const message = spec.message ?? "response";
    const now = d.clock.now();
    const channel = spec.channel ?? null;
    this.#hang = {
      mode,
      message,
      origin,
      startedAt: now,
      endsAt: durationMs === null ? null : now + durationMs,
      channel,
    };
    if (mode === "sticky-event-buffer") d.messaging.setSticky("event-buffer");
    if (mode === "sticky-receive-queue") d.messaging.setSticky("receive-queue", message);
    const detail = {
      ...(mode === "sticky-receive-queue" ? { message } : {}),
      ...(channel === null ? {} : { channel }),
    };
    d.events.emit("hang.started", { mode, origin, durationMs, ...detail });
    if (durationMs !== null) {
      this.#cancelHang = d.later(() => {
        this.#cancelHang = null;
        this.releaseHang(null, "duration elapsed");
      }, durationMs);
    }
  }

  /**
   * End the hang in progress. A wedge's holders send their held reply (or `cc`).
   *
   * @param cc Completion code to answer the held request with, or `null` for the real reply.
   * @param reason Why, for the event.
   * @returns The released hang, or `null` if none was active.
   */
  releaseHang(cc: number | null, reason = "released"): Hang | null {
    const d = this.#d;
    const hang = this.#hang;
    if (hang === null) return null;
    this.#hang = null;
    this.#cancelHang?.();
    this.#cancelHang = null;
    const sticky = hang.mode.startsWith("sticky");
    const fetches = sticky ? { fetches: d.messaging.stickyFetches } : {};
    if (sticky) d.messaging.setSticky(null);
    const holders = [...this.#holders];
    this.#holders.clear();
    const heldReply = holders.map((send) => send(cc)).includes(true);
    const durationMs = Math.round(d.clock.now() - hang.startedAt);
    d.events.emit("hang.released", {
      mode: hang.mode,
      reason,
      durationMs,
      heldReply,
      ...fetches,
      ...(cc === null ? {} : { cc }),
    });
    return hang;
  }
}
