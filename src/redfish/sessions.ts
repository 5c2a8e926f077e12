/**
 * Redfish sessions (SessionService): `X-Auth-Token` tokens that expire after
 * `SessionTimeout` seconds without use, on the injected clock, and are all
 * forgotten when the BMC reboots, as on a real BMC.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import type { UserSpec as BmcUser } from "../lan/users.ts";

/** Default `SessionTimeout`, seconds. */
export const DEFAULT_SESSION_TIMEOUT_S = 1800;
/** Range `SessionTimeout` may take (Redfish SessionService schema: 30–86400). */
export const SESSION_TIMEOUT_RANGE = { min: 30, max: 86400 } as const;
/** Sessions open at once. */
export const MAX_SESSIONS = 64;

/** One open session. */
export interface Session {
  /** Session id (the resource id). */
  readonly id: string;
  /** The token (`X-Auth-Token`). */
  readonly token: string;
  /** Who logged in. */
  readonly user: BmcUser;
  /** Creation time, epoch ms. */
  readonly createdAt: number;
  /** Last use, monotonic ms. */
  lastUsed: number;
}

function randomHex(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return [...buf].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The sessions of one Redfish service. */
export class SessionStore {
  readonly #clock: Clock;
  readonly #byToken = new Map<string, Session>();
  #timeoutS = DEFAULT_SESSION_TIMEOUT_S;
  #next = 1;

  /**
   * Create an empty store.
   *
   * @param clock Time source (expiry).
   */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** `SessionTimeout`, seconds. */
  get timeoutS(): number {
    return this.#timeoutS;
  }

  /**
   * Change `SessionTimeout`.
   *
   * @param seconds New timeout (already range-checked).
   */
  setTimeout(seconds: number): void {
    this.#timeoutS = seconds;
  }

  /**
   * Open a session.
   *
   * @param user Authenticated user.
   * @returns The session, or `null` when {@link MAX_SESSIONS} are open.
   */
  create(user: BmcUser): Session | null {
    this.#expire();
    if (this.#byToken.size >= MAX_SESSIONS) return null;
    const session: Session = {
      id: String(this.#next++),
      token: randomHex(24),
      user,
      createdAt: this.#clock.wallMs(),
      lastUsed: this.#clock.now(),
    };
    this.#byToken.set(session.token, session);
    return session;
  }

  /**
   * The live session of a token, refreshed.
   *
   * @param token `X-Auth-Token`.
   * @returns The session, or `undefined`.
   */
  use(token: string): Session | undefined {
    this.#expire();
    const session = this.#byToken.get(token);
    if (session !== undefined) session.lastUsed = this.#clock.now();
    return session;
  }

  /** Live sessions, oldest first. */
  list(): Session[] {
    this.#expire();
    return [...this.#byToken.values()];
  }

  /**
   * Find a session by id.
   *
   * @param id Session id.
   * @returns The session, or `undefined`.
   */
  byId(id: string): Session | undefined {
    return this.list().find((s) => s.id === id);
  }

  /**
   * Close a session.
   *
   * @param id Session id.
   * @returns Whether it was open.
   */
  delete(id: string): boolean {
    const session = this.byId(id);
    if (session === undefined) return false;
    return this.#byToken.delete(session.token);
  }

  /** Close every session (the BMC rebooted). */
  clear(): void {
    this.#byToken.clear();
  }

  #expire(): void {
    const cutoff = this.#clock.now() - this.#timeoutS * 1000;
    for (const [token, s] of this.#byToken) {
      if (s.lastUsed < cutoff) this.#byToken.delete(token);
    }
  }
}
