/**
 * RMCP+ sessions of one BMC: pending ones (Open Session done, RAKP not yet)
 * and active ones, each with its keys, privilege, sequence numbers and idle
 * deadline. Both kinds are bounded, and time comes from the injected clock,
 * so a flood of Open Session requests or silent peers cannot grow memory.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { LanUser } from "./users.ts";
import type { CipherSuite, SessionKeys } from "./lan_crypto.ts";
import { SeqWindow } from "./seq_window.ts";

/** Where a console talks from. */
export interface Peer {
  /** IP address. */
  readonly address: string;
  /** UDP port. */
  readonly port: number;
}

/** One RMCP+ session. */
export interface LanSession {
  /** BMC-side session id (what the console sends). */
  readonly bmcId: number;
  /** Console-side session id (what the BMC sends). */
  readonly consoleId: number;
  /** Session handle 1–255 (Get Session Info). */
  readonly handle: number;
  /** Negotiated suite. */
  readonly suite: CipherSuite;
  /** Where the console is. */
  peer: Peer;
  /** Handshake state. */
  state: "opened" | "rakp2" | "active";
  /** Highest privilege the session may reach. */
  maxPrivilege: number;
  /** Current operating privilege. */
  privilege: number;
  /** RAKP 1 role byte (privilege and lookup bit). */
  role: number;
  /** The user, once RAKP 1 named one. */
  user: LanUser | null;
  /** Console random number. */
  rm: Uint8Array;
  /** BMC random number. */
  rc: Uint8Array;
  /** Keys after RAKP 2. */
  keys: SessionKeys | null;
  /** Inbound sequence window. */
  readonly window: SeqWindow;
  /** Next outbound sequence number. */
  outSeq: number;
  /** Monotonic time of the last accepted packet. */
  lastActivity: number;
  /** Wall time of creation (epoch ms). */
  readonly createdWallMs: number;
}

/** Limits of a session table. */
export interface SessionLimits {
  /** Active sessions at most. @default 8 */
  readonly maxActive?: number;
  /** Sessions in the handshake at most. @default 16 */
  readonly maxPending?: number;
  /** Idle time after which an active session ends. @default 60000 */
  readonly idleMs?: number;
  /** Time a handshake may take. @default 10000 */
  readonly pendingMs?: number;
}

/** The sessions of one BMC. */
export class SessionTable {
  readonly #byId = new Map<number, LanSession>();
  readonly #clock: Clock;
  readonly #random: () => number;
  /** Active sessions at most. */
  readonly maxActive: number;
  readonly #maxPending: number;
  readonly #idleMs: number;
  readonly #pendingMs: number;
  #nextHandle = 1;

  /**
   * Create an empty table.
   *
   * @param clock Time source (timeouts).
   * @param random Source of 32-bit session ids.
   * @param limits Bounds and timeouts.
   */
  constructor(clock: Clock, random: () => number, limits: SessionLimits = {}) {
    this.#clock = clock;
    this.#random = random;
    this.maxActive = limits.maxActive ?? 8;
    this.#maxPending = limits.maxPending ?? 16;
    this.#idleMs = limits.idleMs ?? 60_000;
    this.#pendingMs = limits.pendingMs ?? 10_000;
  }

  /**
   * Start a pending session; the oldest pending one is evicted when the
   * pending table is full.
   *
   * @param init Console id, suite, peer and privilege.
   * @returns The session, or `null` if active sessions are at the limit.
   */
  open(init: {
    readonly consoleId: number;
    readonly suite: CipherSuite;
    readonly peer: Peer;
    readonly maxPrivilege: number;
  }): LanSession | null {
    this.sweep();
    if (this.activeCount >= this.maxActive) return null;
    const pending = [...this.#byId.values()].filter((s) => s.state !== "active");
    if (pending.length >= this.#maxPending) this.#byId.delete(pending[0]!.bmcId);
    let bmcId = 0;
    while (bmcId === 0 || this.#byId.has(bmcId)) bmcId = this.#random() >>> 0;
    const session: LanSession = {
      bmcId,
      consoleId: init.consoleId,
      handle: this.#takeHandle(),
      suite: init.suite,
      peer: init.peer,
      state: "opened",
      maxPrivilege: init.maxPrivilege,
      privilege: 0,
      role: 0,
      user: null,
      rm: new Uint8Array(16),
      rc: new Uint8Array(16),
      keys: null,
      window: new SeqWindow(),
      outSeq: 1,
      lastActivity: this.#clock.now(),
      createdWallMs: this.#clock.wallMs(),
    };
    this.#byId.set(bmcId, session);
    return session;
  }

  #takeHandle(): number {
    const used = new Set([...this.#byId.values()].map((s) => s.handle));
    while (used.has(this.#nextHandle)) this.#nextHandle = (this.#nextHandle % 255) + 1;
    const handle = this.#nextHandle;
    this.#nextHandle = (this.#nextHandle % 255) + 1;
    return handle;
  }

  /**
   * A session by its BMC-side id (expired ones are gone).
   *
   * @param bmcId Session id.
   * @returns The session, or `undefined`.
   */
  get(bmcId: number): LanSession | undefined {
    const s = this.#byId.get(bmcId);
    if (s === undefined || this.#expired(s, this.#clock.now())) return undefined;
    return s;
  }

  /**
   * End a session.
   *
   * @param bmcId Session id.
   * @returns The session that ended, or `undefined`.
   */
  close(bmcId: number): LanSession | undefined {
    const s = this.#byId.get(bmcId);
    this.#byId.delete(bmcId);
    return s;
  }

  /**
   * End every session (BMC reset).
   *
   * @returns The sessions that ended.
   */
  clear(): LanSession[] {
    const all = [...this.#byId.values()];
    this.#byId.clear();
    return all;
  }

  #expired(s: LanSession, now: number): boolean {
    return now - s.lastActivity >= (s.state === "active" ? this.#idleMs : this.#pendingMs);
  }

  /**
   * Remove timed-out sessions.
   *
   * @returns The sessions removed.
   */
  sweep(): LanSession[] {
    const now = this.#clock.now();
    const gone: LanSession[] = [];
    for (const s of this.#byId.values()) {
      if (this.#expired(s, now)) {
        this.#byId.delete(s.bmcId);
        gone.push(s);
      }
    }
    return gone;
  }

  /** Active sessions. */
  active(): LanSession[] {
    return [...this.#byId.values()].filter((s) => s.state === "active");
  }

  /** Number of active sessions. */
  get activeCount(): number {
    let n = 0;
    for (const s of this.#byId.values()) if (s.state === "active") n++;
    return n;
  }

  /** Number of sessions of every state. */
  get size(): number {
    return this.#byId.size;
  }
}
