/**
 * Serial over LAN (IPMI v2.0 ch. 15, 26): one SOL payload instance per BMC,
 * carried as payload type 1 in an RMCP+ session. Console output is
 * accumulated (interval and threshold), sent in packets numbered 1–15,
 * retried until acknowledged (retry count and interval) and re-sent in part
 * when only partly accepted; console input is acknowledged, written to the
 * guest once, and re-acknowledged when the console retransmits.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import type { StateStore } from "../core/ports.ts";
import type { Logger } from "../log/logger.ts";
import type { LanSession } from "./session_table.ts";

/** SOL configuration parameters (IPMI v2.0 table 26-5), as values. */
export interface SolSettings {
  /** SOL payload enabled (parameter 1). */
  enabled: boolean;
  /** Force encryption, force authentication and minimum privilege (parameter 2 byte). */
  authentication: number;
  /** Character accumulate interval in 5 ms units (parameter 3). */
  accumulate5ms: number;
  /** Character send threshold (parameter 3). */
  sendThreshold: number;
  /** Retry count (parameter 4). */
  retryCount: number;
  /** Retry interval in 10 ms units (parameter 4). */
  retryInterval10ms: number;
  /** Non-volatile bit rate code (parameter 5; 0x0A = 115.2 kbps). */
  nvBitRate: number;
  /** Volatile bit rate code (parameter 6). */
  bitRate: number;
}

/** Defaults a BMC ships with: enabled, User privilege, 60 ms / 96 chars, 7 × 100 ms. */
export function defaultSolSettings(): SolSettings {
  return {
    enabled: true,
    authentication: 0x02,
    accumulate5ms: 12,
    sendThreshold: 96,
    retryCount: 7,
    retryInterval10ms: 10,
    nvBitRate: 0x0a,
    bitRate: 0x0a,
  };
}

/** State-store key of the SOL parameters. */
const SOL_STORE_KEY = "lan.sol";

/**
 * The SOL parameters a BMC keeps across restarts (parameters 1-5 are
 * non-volatile); the volatile bit rate starts as the non-volatile one.
 *
 * @param store State store (`null`: the defaults).
 * @returns Settings.
 */
export function loadSolSettings(store: StateStore | null): SolSettings {
  const s = defaultSolSettings();
  const text = store?.getValue(SOL_STORE_KEY);
  if (text === undefined) return s;
  try {
    const saved = JSON.parse(text) as Partial<Record<keyof SolSettings, unknown>>;
    if (typeof saved.enabled === "boolean") s.enabled = saved.enabled;
    for (const key of NUMERIC_SOL_KEYS) {
      const v = saved[key];
      if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xff) s[key] = v;
    }
  } catch {
    // Damaged: the defaults.
  }
  s.bitRate = s.nvBitRate;
  return s;
}

/** The byte-valued settings that persist. */
const NUMERIC_SOL_KEYS = [
  "authentication",
  "accumulate5ms",
  "sendThreshold",
  "retryCount",
  "retryInterval10ms",
  "nvBitRate",
] as const;

/**
 * Persist the SOL parameters (after Set SOL Configuration Parameters).
 *
 * @param store State store (`null`: nowhere).
 * @param s Settings.
 */
export function saveSolSettings(store: StateStore | null, s: SolSettings): void {
  store?.setValue(SOL_STORE_KEY, JSON.stringify(s));
}

/** Largest SOL packet payload either side sends (data bytes after the 4-byte header). */
export const SOL_MAX_DATA = 200;
/** Console output kept for a slow client before the oldest is dropped. */
const OUT_BUFFER = 16 * 1024;

/** SOL status bits BMC → console (IPMI v2.0 table 15-2). */
const STATUS_NACK = 0x40;
const STATUS_DEACTIVATING = 0x10;
const STATUS_OVERRUN = 0x08;

/** Where SOL reaches the guest and the client. */
export interface SolDeps {
  /** Time source (accumulation and retries). */
  readonly clock: Clock;
  /** Settings (shared with the configuration commands). */
  readonly settings: SolSettings;
  /**
   * Send a SOL payload to the session's console.
   *
   * @param session Session.
   * @param payload SOL packet.
   */
  readonly send: (session: LanSession, payload: Uint8Array) => void;
  /**
   * Write console input to the guest.
   *
   * @param bytes Input.
   */
  readonly toGuest: (bytes: Uint8Array) => void;
  /** Logger. */
  readonly log: Logger;
}

/** The SOL payload of one BMC. */
export class SolPayload {
  readonly #d: SolDeps;
  #session: LanSession | null = null;
  #out = new Uint8Array(OUT_BUFFER);
  #outLength = 0;
  #overrun = false;
  #inflight: { seq: number; data: Uint8Array; retries: number } | null = null;
  #nextSeq = 1;
  #lastInSeq = 0;
  #lastInAccepted = 0;
  #timer: CancelTimer | null = null;
  /** Packets re-sent because no ACK came. */
  retransmits = 0;

  /**
   * Create an inactive payload.
   *
   * @param deps Clock, settings and the two directions.
   */
  constructor(deps: SolDeps) {
    this.#d = deps;
  }

  /** The session SOL is active in, or `null`. */
  get session(): LanSession | null {
    return this.#session;
  }

  /**
   * Activate in `session`.
   *
   * @param session Session.
   */
  activate(session: LanSession): void {
    this.deactivate();
    this.#session = session;
    this.#nextSeq = 1;
    this.#lastInSeq = 0;
    this.#d.log.info("SOL activated", { session: session.handle, user: session.user?.name });
  }

  /**
   * Deactivate (if active) and forget pending output.
   *
   * @param notify Tell the session's console with a packet whose status is
   *   "SOL deactivating" (it was not the console that asked: another session
   *   deactivated or took the payload), so that it stops instead of waiting
   *   on a console that went silent.
   */
  deactivate(notify = false): void {
    if (this.#session === null) return;
    if (notify) this.#d.send(this.#session, Uint8Array.of(0, 0, 0, STATUS_DEACTIVATING));
    this.#d.log.info("SOL deactivated", { session: this.#session.handle });
    this.#session = null;
    this.#cancel();
    this.#inflight = null;
    this.#outLength = 0;
  }

  #cancel(): void {
    this.#timer?.();
    this.#timer = null;
  }

  /**
   * Guest output to carry to the console (dropped while inactive).
   *
   * @param bytes Output.
   */
  output(bytes: Uint8Array): void {
    if (this.#session === null) return;
    let src = bytes;
    if (src.length > OUT_BUFFER) {
      src = src.subarray(src.length - OUT_BUFFER);
      this.#overrun = true;
    }
    const free = OUT_BUFFER - this.#outLength;
    if (src.length > free) {
      const drop = src.length - free;
      this.#out.copyWithin(0, drop, this.#outLength);
      this.#outLength -= drop;
      this.#overrun = true;
    }
    this.#out.set(src, this.#outLength);
    this.#outLength += src.length;
    if (this.#inflight !== null) return;
    if (this.#outLength >= this.#d.settings.sendThreshold) this.#flush();
    else if (this.#timer === null) {
      this.#timer = this.#d.clock.setTimer(() => {
        this.#timer = null;
        this.#flush();
      }, Math.max(5, this.#d.settings.accumulate5ms * 5));
    }
  }

  #flush(): void {
    if (this.#session === null || this.#inflight !== null || this.#outLength === 0) return;
    this.#cancel();
    const n = Math.min(SOL_MAX_DATA, this.#outLength);
    const data = this.#out.slice(0, n);
    this.#out.copyWithin(0, n, this.#outLength);
    this.#outLength -= n;
    const seq = this.#nextSeq;
    this.#nextSeq = seq >= 15 ? 1 : seq + 1;
    this.#inflight = { seq, data, retries: this.#d.settings.retryCount };
    this.#transmit();
  }

  #transmit(): void {
    const f = this.#inflight;
    const session = this.#session;
    if (f === null || session === null) return;
    const packet = new Uint8Array(4 + f.data.length);
    packet[0] = f.seq;
    packet[3] = this.#overrun ? STATUS_OVERRUN : 0;
    this.#overrun = false;
    packet.set(f.data, 4);
    this.#d.send(session, packet);
    this.#timer = this.#d.clock.setTimer(() => {
      this.#timer = null;
      this.#retry();
    }, Math.max(10, this.#d.settings.retryInterval10ms * 10));
  }

  #retry(): void {
    const f = this.#inflight;
    if (f === null) return;
    if (f.retries <= 0) {
      this.#d.log.debug("SOL packet dropped after retries", { seq: f.seq, bytes: f.data.length });
      this.#inflight = null;
      this.#flush();
      return;
    }
    f.retries--;
    this.retransmits++;
    this.#transmit();
  }

  /**
   * A SOL packet from the console of `session`.
   *
   * @param session Session it arrived in.
   * @param p SOL payload.
   * @returns Whether it was accepted (SOL active in this session, well formed).
   */
  receive(session: LanSession, p: Uint8Array): boolean {
    if (session !== this.#session || p.length < 4) return false;
    const [seq, ackSeq, accepted, op] = [p[0]! & 0x0f, p[1]! & 0x0f, p[2]!, p[3]!];
    if (ackSeq !== 0) this.#acked(ackSeq, accepted, (op & STATUS_NACK) !== 0);
    if (seq !== 0) {
      const data = p.subarray(4);
      if (seq !== this.#lastInSeq) {
        if (data.length > 0) this.#d.toGuest(data.slice());
        this.#lastInSeq = seq;
        this.#lastInAccepted = data.length;
      }
      this.#d.send(session, Uint8Array.of(0, seq, this.#lastInAccepted, 0));
    }
    return true;
  }

  #acked(ackSeq: number, accepted: number, nack: boolean): void {
    const f = this.#inflight;
    if (f === null || f.seq !== ackSeq) return;
    if (nack && accepted === 0) return; // the retry timer sends it again
    this.#cancel();
    this.#inflight = null;
    if (accepted < f.data.length) {
      const rest = f.data.subarray(accepted);
      const keep = Math.min(this.#outLength, OUT_BUFFER - rest.length);
      this.#out.copyWithin(rest.length, 0, keep);
      this.#out.set(rest, 0);
      this.#outLength = keep + rest.length;
    }
    this.#flush();
  }

  /** Stop timers (shutdown). */
  close(): void {
    this.deactivate();
  }
}
