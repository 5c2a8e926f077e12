/**
 * The typed event catalogue: for every event type, the payload's shape.
 * `EventSink.emit()` and `EventBus.publish()` check payloads against it, so
 * an event is built the same way everywhere it is published; a type in
 * `EVENT_TYPES` without an entry here does not compile.
 *
 * Conventions: durations are integer milliseconds (`durationMs`,
 * `delayMs`) but for `ipmi.response`'s `latencyMs`, measured to the
 * microsecond; a command is named `netfn/command` (`app/get-device-id`);
 * bytes are hex (`data`); the VM peer is `peer`; a SEL record is
 * `recordId`, a fault rule `ruleId`, a sensor `name` and `number`; what
 * asked for something is `origin`, the IPMI interface `channel`.
 *
 * @module
 */

import type { ResetPlan } from "./bmc_reset.ts";
import type { PowerOrigin, PowerState } from "./chassis.ts";
import type { BmcEventType } from "./events.ts";
import type { FaultRuleDescription, RequestChannel } from "./faults.ts";
import type { HangMode } from "./hang.ts";
import type { Attention, HostAction, PowerOp } from "./ports.ts";
import type { DecodedSelRecord } from "./sel_record.ts";
import type { SensorSummary } from "./sensors.ts";

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
  /**
   * From the request's arrival to this reply's write, on the BMC's clock, ms
   * (fractional, to the microsecond: most replies take well under 1 ms); it
   * includes `delayMs`, and for `released` the time the reply was held.
   */
  readonly latencyMs: number;
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

/** The event types of host actions. */
export type HostActionEventType =
  | "host.nmi"
  | "host.reset"
  | "host.power-off"
  | "host.graceful-shutdown";

/**
 * `host.nmi`, `host.reset`, `host.power-off`, `host.graceful-shutdown`: a
 * host action sent to QEMU, named by the backend that sent it: the VM link
 * (with its peer) or QMP (with the power operation it carries out).
 */
export type HostActionEvent =
  | { readonly backend: "vm"; readonly peer: string }
  | { readonly backend: "qmp"; readonly op: PowerOp };

/** `fault.fired`: a rule fired, for an IPMI request or a Redfish one. */
export type FaultFiredEvent =
  & {
    /** The rule's id. */
    readonly ruleId: string;
    /** The action's type (`error`, `delay`, `drop`, …). */
    readonly action: string;
    /** Firings of the rule so far, this one included. */
    readonly fired: number;
  }
  & (
    | {
      /** Interface the request arrived on. */
      readonly channel: RequestChannel;
      /** The rule's label, if given. */
      readonly name?: string;
      /** The request's command (`app/get-device-id`). */
      readonly command: string;
      /** Request data, hex. */
      readonly data: string;
    }
    | {
      readonly channel: "redfish";
      /** HTTP method. */
      readonly method: string;
      /** Request path. */
      readonly path: string;
    }
  );

/** `scenario.step`: one step's outcome (the scenario runner's step result). */
export type ScenarioStepEvent = {
  /** Position in the scenario. */
  readonly index: number;
  /** Step kind (`wait`, `assert`, `reset`, …). */
  readonly kind: string;
  /** The step's name, if given. */
  readonly name?: string;
  /** BMC it acted on. */
  readonly bmc: string;
  /** `done` for actions, `passed`/`failed` for waits and assertions, `skipped` after an abort. */
  readonly status: "done" | "passed" | "failed" | "skipped";
  /** What happened. */
  readonly detail: string;
  /** Start, ms after the scenario started. */
  readonly atMs: number;
  /** How long it took, ms. */
  readonly durationMs: number;
  /** The event that decided it, if any. */
  readonly event?: { readonly id: number; readonly type: string; readonly time: string };
};

/** `guest.report`: a fact about the guest kernel, a kind and flat fields. */
export type GuestReportEvent = {
  /** `dmesg`, `watchdog-write`, `d-state`, `counters`, … */
  readonly kind: string;
  readonly [field: string]: string | number | boolean | null;
};

/** Payload of each event type. */
export type BmcEvents = {
  "vm.connected": { readonly peer: string };
  "vm.disconnected": { readonly peer: string; readonly reason: string; readonly requests: number };
  "vm.refused": { readonly peer: string; readonly reason: string };
  "vm.capabilities": {
    readonly peer: string;
    readonly raw: number;
    readonly capabilities: readonly string[];
  };
  "vm.frame-dropped": {
    readonly peer: string;
    /** Why (`checksum`, `too-short`, `oversize`, …). */
    readonly reason: string;
    /** The frame, hex. */
    readonly frame: string;
    readonly bytes: number;
    /** Frames dropped for this reason so far. */
    readonly total: number;
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
  "host.attention": { readonly state: Attention };
  "host.irq": { readonly enabled: boolean };
  "host.nmi": HostActionEvent;
  "host.reset": HostActionEvent;
  "host.power-off": HostActionEvent;
  "host.graceful-shutdown": HostActionEvent;
  /** A host action or watchdog power operation that could not be carried out. */
  "host.unsupported": { readonly action: HostAction | PowerOp; readonly reason: string };
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
  /** `source`: who logged it (`ipmi`, `api`, `sensor`, `watchdog`, `scenario`, …). */
  "sel.added": { readonly source: string; readonly record: DecodedSelRecord };
  "sel.deleted": { readonly recordId: number; readonly reason: "deleted" | "overwritten" };
  "sel.cleared": { readonly removed: number };
  "sel.full": { readonly capacity: number; readonly source: string };
  "power.changed": { readonly from: PowerState; readonly to: PowerState; readonly cause: string };
  /** `op`: the backend operation; `backend`: `vm`, `qmp`, `none`, … */
  "chassis.control": {
    readonly op: PowerOp;
    readonly origin: PowerOrigin;
    readonly backend: string;
  };
  "bmc.reset": { readonly origin: string } & Pick<ResetPlan, keyof ResetPlan>;
  "bmc.ready": { readonly origin: string; readonly firmware: string };
  "bmc.added": { readonly profile: string; readonly vm: string };
  "bmc.removed": { readonly stateFile: string | null };
  "fault.added": { readonly rule: FaultRuleDescription };
  "fault.removed": {
    readonly ruleId: string;
    /** `removed`, `cleared`, `expired`, `count reached`. */
    readonly reason: string;
    readonly matched: number;
    readonly fired: number;
  };
  "fault.fired": FaultFiredEvent;
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
  "sensor.changed": SensorSummary;
  /** A sensor event, logged in the SEL as `recordId` (`null` when not logged). */
  "sensor.event": {
    readonly name: string;
    readonly number: number;
    readonly offset: number;
    readonly assertion: boolean;
    /** Event data 1–3, hex. */
    readonly data: string;
    readonly recordId: number | null;
  };
  "event-buffer.full": Record<string, never>;
  "scenario.step": ScenarioStepEvent & { readonly scenario: string };
  "guest.report": GuestReportEvent;
};

/** The payload of an event type. */
export type EventPayload<K extends BmcEventType> = BmcEvents[K];
