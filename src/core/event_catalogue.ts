/**
 * The typed event catalogue: for each event type whose payload is fixed,
 * the payload's shape. `EventSink.emit()` and `EventBus.publish()` check
 * payloads against it, so an event is built the same way everywhere it is
 * published. Types not listed yet carry plain {@link EventData}.
 *
 * Conventions: durations are integer milliseconds (`durationMs`,
 * `delayMs`); a command is named `netfn/command` (`app/get-device-id`); the
 * VM peer is `peer`.
 *
 * @module
 */

import type { ResetPlan } from "./bmc_reset.ts";
import type { BmcEventType, EventData } from "./events.ts";
import type { HangMode } from "./hang.ts";

/** `ipmi.response`: a reply on the VM link. */
export type IpmiResponseEvent = {
  /** Seq the reply carries. */
  readonly seq: number;
  /** The request's command (`app/get-device-id`). */
  readonly command: string;
  /** Completion code. */
  readonly cc: number;
  /** Its name. */
  readonly ccName: string;
  /** Response data, hex. */
  readonly data: string;
  /** How long the reply was held back (delay fault), ms. */
  readonly delayMs: number;
  /** What the wire did to it: `corrupt-…`, `duplicate`, `wedge` (wrong seq), `released`. */
  readonly wire?: string;
  /** For `wedge`: the seq of the request whose real reply is held. */
  readonly heldSeq?: number;
  /** Interface other than the VM link's (`lan`). */
  readonly channel?: string;
};

/**
 * The watchdog's settings in `watchdog.set`, `watchdog.pretimeout` and
 * `watchdog.expired`: the action and the interrupt by name in all three.
 */
export type WatchdogEvent = {
  /** Timer use (1 BIOS FRB2 … 4 SMS/OS). */
  readonly use: number;
  /** Expiry action (`none`, `hard-reset`, `power-down`, `power-cycle`). */
  readonly action: string;
  /** Pre-timeout interrupt (`none`, `smi`, `nmi`, `messaging`). */
  readonly pretimeoutInterrupt: string;
  /** Pre-timeout interval, s. */
  readonly pretimeoutSeconds: number;
  /** Initial countdown in the 100 ms units Set Watchdog Timer carries. */
  readonly initialCountdown: number;
  /** The same, ms. */
  readonly initialCountdownMs: number;
  /** Don't log the expiry in the SEL. */
  readonly dontLog: boolean;
};

/** Payload of each event type with a fixed shape. */
export type BmcEvents = {
  "vm.connected": { readonly peer: string };
  "vm.disconnected": { readonly peer: string; readonly reason: string; readonly requests: number };
  "vm.refused": { readonly peer: string; readonly reason: string };
  "vm.capabilities": {
    readonly peer: string;
    readonly raw: number;
    readonly capabilities: readonly string[];
  };
  "vm.reply-suppressed": { readonly seq: number; readonly command: string };
  "ipmi.request": {
    readonly seq: number;
    readonly netfn: number;
    readonly cmd: number;
    readonly command: string;
    readonly data: string;
    /** Interface other than the VM link's (`lan`), with its session and user. */
    readonly channel?: string;
    readonly session?: number;
    readonly user?: string | null;
  };
  "ipmi.response": IpmiResponseEvent;
  "watchdog.set": WatchdogEvent & {
    readonly dontStop: boolean;
    readonly clearFlags: number;
    readonly running: boolean;
  };
  "watchdog.reset": {
    readonly initialCountdown: number;
    readonly initialCountdownMs: number;
    readonly expiresInMs: number;
  };
  "watchdog.pretimeout": WatchdogEvent & { readonly delivered?: boolean };
  "watchdog.expired": WatchdogEvent;
  "watchdog.stopped": { readonly reason: string };
  "bmc.reset": { readonly origin: string } & Pick<ResetPlan, keyof ResetPlan>;
  "bmc.ready": { readonly origin: string; readonly firmware: string };
  "bmc.added": { readonly profile: string; readonly vm: string };
  "bmc.removed": { readonly stateFile: string | null };
  "hang.started": {
    readonly mode: HangMode;
    readonly origin: string;
    readonly durationMs: number | null;
    readonly message?: string;
    readonly channel?: string;
  };
  "hang.released": {
    readonly mode: HangMode;
    readonly reason: string;
    readonly durationMs: number;
    readonly heldReply: boolean;
    readonly fetches?: number;
    readonly cc?: number;
  };
};

/** The payload of an event type: its catalogue shape, or plain data. */
export type EventPayload<K extends BmcEventType> = K extends keyof BmcEvents ? BmcEvents[K]
  : EventData;
