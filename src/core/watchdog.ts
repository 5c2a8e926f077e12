/**
 * The BMC watchdog timer (IPMI v2.0 ch. 27) as a state machine on absolute
 * deadlines of the injected monotonic clock. One timer is armed at the next
 * deadline; on firing, state is advanced to `clock.now()`, so nothing drifts
 * and nothing fires early.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import { CompletionCode } from "../codec/constants.ts";
import { le16, u16 } from "./command.ts";

/** Timer use field (Set Watchdog byte 1 [2:0]). */
export const TimerUse = {
  Frb2: 1,
  Post: 2,
  OsLoad: 3,
  SmsOs: 4,
  Oem: 5,
} as const;

/** Timeout action field (byte 2 [2:0]). */
export const TimeoutAction = {
  None: 0,
  HardReset: 1,
  PowerDown: 2,
  PowerCycle: 3,
} as const;

/** Pre-timeout interrupt field (byte 2 [6:4]). */
export const PretimeoutInterrupt = {
  None: 0,
  Smi: 1,
  Nmi: 2,
  Messaging: 3,
} as const;

const USE_DONT_LOG = 0x80;
const USE_DONT_STOP = 0x40;
const USE_RUNNING = 0x40;
const USE_RESERVED = 0x38;
const ACTION_RESERVED = 0x88;
const EXPIRATION_FLAGS_MASK = 0x3e;
/** One countdown unit is 100 ms. */
export const COUNTDOWN_UNIT_MS = 100;

/** The programmed watchdog settings. */
export interface WatchdogSettings {
  /** Timer use 1–5. */
  readonly use: number;
  /** Don't log the expiration (timer-use bit 7). */
  readonly dontLog: boolean;
  /** Timeout action 0–3. */
  readonly action: number;
  /** Pre-timeout interrupt 0–3. */
  readonly pretimeoutInterrupt: number;
  /** Pre-timeout interval in seconds. */
  readonly pretimeoutSeconds: number;
  /** Initial countdown in 100 ms units. */
  readonly initialCountdown: number;
}

/** What the watchdog asks of the rest of the BMC. */
export interface WatchdogHooks {
  /** Whether the pre-timeout interrupt type can be delivered (e.g. NMI advertised). */
  interruptSupported(interrupt: number): boolean;
  /** The pre-timeout point was reached. */
  pretimeout(settings: WatchdogSettings): void;
  /** The timer expired (after flags were set). */
  expired(settings: WatchdogSettings): void;
  /** A Set cleared the pre-timeout interrupt flag. */
  clearPretimeoutFlag(): void;
  /** Set Watchdog Timer changed the settings — for events. */
  set(
    settings: WatchdogSettings,
    detail: { readonly dontStop: boolean; readonly clearFlags: number; readonly running: boolean },
  ): void;
  /** The countdown (re)started — for events. */
  reset(detail: { readonly initialCountdown: number; readonly expiresInMs: number }): void;
  /** The timer stopped — for events. */
  stopped(reason: string): void;
}

/** Watchdog behaviour switches taken from the profile's quirks. */
export interface WatchdogQuirks {
  /** Code for Reset after the pre-timeout point, or `null` for spec (0x00, no restart). */
  readonly resetAfterPretimeoutCc: number | null;
  /** Get reports a pre-timeout interval of 0. */
  readonly getHidesPretimeout: boolean;
  /** Code for Reset before any Set (spec: 0x80). */
  readonly resetBeforeSetCc: number;
}

/** State for the API. */
export interface WatchdogSnapshot extends WatchdogSettings {
  /** Whether a Set was ever received since the BMC started. */
  readonly initialized: boolean;
  /** Whether the countdown is running. */
  readonly running: boolean;
  /** Present countdown in 100 ms units. */
  readonly presentCountdown: number;
  /** Milliseconds until expiry while running. */
  readonly remainingMs: number | null;
  /** Whether the pre-timeout point was reached in this countdown. */
  readonly pretimeoutFired: boolean;
  /** Timer-use expiration flags (bits 1–5). */
  readonly expirationFlags: number;
}

const DEFAULT_SETTINGS: WatchdogSettings = {
  use: TimerUse.SmsOs,
  dontLog: false,
  action: TimeoutAction.None,
  pretimeoutInterrupt: PretimeoutInterrupt.None,
  pretimeoutSeconds: 0,
  initialCountdown: 0,
};

/** A parsed Set Watchdog Timer request. */
interface SetRequest {
  readonly settings: WatchdogSettings;
  readonly dontStop: boolean;
  readonly clearFlags: number;
}

/** The watchdog of one BMC. */
export class Watchdog {
  readonly #clock: Clock;
  readonly #hooks: WatchdogHooks;
  readonly #quirks: WatchdogQuirks;
  #settings: WatchdogSettings = DEFAULT_SETTINGS;
  #initialized = false;
  #running = false;
  #expirationFlags = 0;
  #expiresAt = 0;
  #pretimeoutAt: number | null = null;
  #pretimeoutFired = false;
  #stoppedCountdown = 0;
  #cancel: CancelTimer | null = null;
  /** When the armed timer fires (monotonic ms), if one is armed. */
  #timerAt = 0;

  /**
   * Create a stopped, uninitialised watchdog.
   *
   * @param deps Clock, hooks and quirks.
   */
  constructor(deps: { clock: Clock; hooks: WatchdogHooks; quirks: WatchdogQuirks }) {
    this.#clock = deps.clock;
    this.#hooks = deps.hooks;
    this.#quirks = deps.quirks;
  }

  /** Whether the countdown is running. */
  get running(): boolean {
    return this.#running;
  }

  /** Whether a Set was received since start or the last `forget()`. */
  get initialized(): boolean {
    return this.#initialized;
  }

  /** The programmed settings. */
  get settings(): WatchdogSettings {
    return this.#settings;
  }

  #parseSet(data: Uint8Array): SetRequest | number {
    const useByte = data[0]!;
    const actionByte = data[1]!;
    const use = useByte & 0x07;
    const action = actionByte & 0x07;
    const interrupt = (actionByte >> 4) & 0x07;
    const pretimeoutSeconds = data[2]!;
    const clearFlags = data[3]!;
    const initialCountdown = u16(data, 4);
    if (useByte & USE_RESERVED || actionByte & ACTION_RESERVED) {
      return CompletionCode.InvalidDataField;
    }
    if (use < TimerUse.Frb2 || use > TimerUse.Oem) return CompletionCode.InvalidDataField;
    if (action > TimeoutAction.PowerCycle) return CompletionCode.InvalidDataField;
    if (interrupt > PretimeoutInterrupt.Messaging) return CompletionCode.InvalidDataField;
    if (clearFlags & ~EXPIRATION_FLAGS_MASK) return CompletionCode.InvalidDataField;
    if (interrupt !== PretimeoutInterrupt.None && !this.#hooks.interruptSupported(interrupt)) {
      return CompletionCode.InvalidDataField;
    }
    if (pretimeoutSeconds * 10 > initialCountdown) return CompletionCode.InvalidDataField;
    return {
      settings: {
        use,
        dontLog: (useByte & USE_DONT_LOG) !== 0,
        action,
        pretimeoutInterrupt: interrupt,
        pretimeoutSeconds,
        initialCountdown,
      },
      dontStop: (useByte & USE_DONT_STOP) !== 0,
      clearFlags,
    };
  }

  /**
   * Set Watchdog Timer.
   *
   * @param data The 6 request bytes.
   * @returns Completion code.
   */
  set(data: Uint8Array): number {
    const parsed = this.#parseSet(data);
    if (typeof parsed === "number") return parsed;
    this.#settings = parsed.settings;
    this.#initialized = true;
    this.#expirationFlags &= ~parsed.clearFlags;
    this.#pretimeoutFired = false;
    this.#hooks.clearPretimeoutFlag();
    const wasRunning = this.#running;
    if (parsed.dontStop && wasRunning) {
      this.#start();
    } else {
      this.#halt();
      this.#stoppedCountdown = parsed.settings.initialCountdown;
    }
    this.#hooks.set(parsed.settings, {
      dontStop: parsed.dontStop,
      clearFlags: parsed.clearFlags,
      running: this.#running,
    });
    if (wasRunning && !this.#running) this.#hooks.stopped("set");
    this.#advance();
    return CompletionCode.Ok;
  }

  /**
   * Reset Watchdog Timer: (re)start the countdown from the initial value.
   *
   * @returns 0x80 if uninitialised (or the profile's code); the quirk's code (or 0x00 without a
   *   restart) once the pre-timeout point was reached; else 0x00.
   */
  reset(): number {
    if (!this.#initialized) return this.#quirks.resetBeforeSetCc;
    if (this.#running && this.#pretimeoutFired) {
      return this.#quirks.resetAfterPretimeoutCc ?? CompletionCode.Ok;
    }
    this.#start();
    this.#hooks.reset({
      initialCountdown: this.#settings.initialCountdown,
      expiresInMs: this.#expiresAt - this.#clock.now(),
    });
    this.#advance();
    return CompletionCode.Ok;
  }

  /**
   * Get Watchdog Timer response data (8 bytes).
   *
   * @returns Response bytes.
   */
  get(): Uint8Array {
    const s = this.#settings;
    return Uint8Array.of(
      s.use | (s.dontLog ? USE_DONT_LOG : 0) | (this.#running ? USE_RUNNING : 0),
      (s.pretimeoutInterrupt << 4) | s.action,
      this.#quirks.getHidesPretimeout ? 0 : s.pretimeoutSeconds,
      this.#expirationFlags,
      ...le16(s.initialCountdown),
      ...le16(this.#presentCountdown()),
    );
  }

  /**
   * Stop the countdown (BMC-initiated reset/power action, host reset).
   *
   * @param reason Why, for the event.
   */
  stop(reason: string): void {
    if (!this.#running) return;
    this.#stoppedCountdown = this.#presentCountdown();
    this.#halt();
    this.#pretimeoutFired = false;
    this.#hooks.clearPretimeoutFlag();
    this.#hooks.stopped(reason);
  }

  /**
   * Forget everything (a BMC reboot): stop and become uninitialised, so
   * Reset answers 0x80 until the next Set.
   *
   * @param reason Why, for the event.
   */
  forget(reason: string): void {
    this.stop(reason);
    this.#settings = DEFAULT_SETTINGS;
    this.#initialized = false;
    this.#expirationFlags = 0;
    this.#stoppedCountdown = 0;
  }

  /** Cancel the pending timer (shutdown). */
  close(): void {
    this.#halt();
  }

  /** State for the API. */
  snapshot(): WatchdogSnapshot {
    return {
      ...this.#settings,
      initialized: this.#initialized,
      running: this.#running,
      presentCountdown: this.#presentCountdown(),
      remainingMs: this.#running ? Math.max(0, this.#expiresAt - this.#clock.now()) : null,
      pretimeoutFired: this.#pretimeoutFired,
      expirationFlags: this.#expirationFlags,
    };
  }

  #presentCountdown(): number {
    if (!this.#running) return this.#stoppedCountdown;
    const left = this.#expiresAt - this.#clock.now();
    return Math.max(0, Math.ceil(left / COUNTDOWN_UNIT_MS));
  }

  #start(): void {
    const now = this.#clock.now();
    const s = this.#settings;
    this.#running = true;
    this.#pretimeoutFired = false;
    this.#expiresAt = now + s.initialCountdown * COUNTDOWN_UNIT_MS;
    this.#pretimeoutAt = s.pretimeoutInterrupt === PretimeoutInterrupt.None
      ? null
      : this.#expiresAt - s.pretimeoutSeconds * 1000;
  }

  #halt(): void {
    this.#running = false;
    this.#cancel?.();
    this.#cancel = null;
  }

  /**
   * Fire whatever is due at `now`, then make sure a timer fires by the next
   * deadline. A timer already armed for no later than that is kept: a daemon
   * resetting the timer moves the deadline later, and the early timer just
   * comes back here and re-arms for the rest, so feeding costs no timer work.
   */
  #advance(): void {
    if (!this.#running) {
      this.#cancel?.();
      this.#cancel = null;
      return;
    }
    const now = this.#clock.now();
    if (this.#pretimeoutAt !== null && !this.#pretimeoutFired && now >= this.#pretimeoutAt) {
      this.#pretimeoutFired = true;
      this.#hooks.pretimeout(this.#settings);
      if (!this.#running) return;
    }
    if (now >= this.#expiresAt) {
      this.#running = false;
      this.#stoppedCountdown = 0;
      this.#pretimeoutFired = false;
      this.#expirationFlags |= 1 << this.#settings.use;
      this.#hooks.expired(this.#settings);
      return;
    }
    const next = this.#pretimeoutAt !== null && !this.#pretimeoutFired
      ? this.#pretimeoutAt
      : this.#expiresAt;
    if (this.#cancel !== null && this.#timerAt <= next) return;
    this.#cancel?.();
    this.#timerAt = next;
    this.#cancel = this.#clock.setTimer(() => {
      this.#cancel = null;
      this.#advance();
    }, next - now);
  }
}
