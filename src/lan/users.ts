/**
 * The LAN users of one BMC (IPMI v2.0 §22.26–22.30): id, name, password
 * (Kuid, at most 20 bytes), channel privilege limit, enable state and the
 * LAN channel's access bits (IPMI messaging, link authentication, callback
 * only). The
 * configuration gives the initial table; changes made with Set User commands
 * are written to the BMC's state store and win over it on the next start.
 *
 * @module
 */

import type { StateStore } from "../core/ports.ts";
import { Privilege, type PrivilegeLevel } from "./constants.ts";

/** Highest user id (ids 1–15; id 1 is the anonymous user). */
export const MAX_USERS = 15;
/** Longest user name. */
export const MAX_NAME = 16;
/** Longest password (IPMI 2.0 20-byte passwords). */
export const MAX_PASSWORD = 20;

/** A user as configured. */
export interface UserSpec {
  /** User id 2–15. */
  readonly id: number;
  /** Name, 1–16 ASCII characters. */
  readonly name: string;
  /** Password, 1–20 bytes. */
  readonly password: string;
  /** Privilege limit on the LAN channel. */
  readonly privilege: PrivilegeLevel;
}

/** A user as the BMC holds it. */
export interface LanUser {
  /** User id. */
  readonly id: number;
  /** Name ("" for an unset slot). */
  name: string;
  /** Password bytes (Kuid). */
  password: Uint8Array;
  /** Privilege limit (0x0F = no access). */
  privilege: number;
  /** Enabled for login. */
  enabled: boolean;
  /** IPMI messaging allowed on the channel (off: no LAN session, RAKP 2 answers 0x0D). */
  messaging: boolean;
  /** Link authentication enabled (PPP links; stored and reported, no LAN effect). */
  linkAuth: boolean;
  /** Access available during callback connections only (stored and reported). */
  callbackOnly: boolean;
  /** May activate the SOL payload (Set/Get User Payload Access). */
  sol: boolean;
}

const STORE_KEY = "lan.users";

const encoder = new TextEncoder();

function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The user table of one BMC. */
export class UserTable {
  readonly #slots: LanUser[] = [];
  readonly #store: StateStore | null;

  /**
   * Build the table from configuration, then apply what the store holds.
   *
   * @param users Configured users.
   * @param store Where Set User changes persist (`null`: nowhere).
   */
  constructor(users: readonly UserSpec[], store: StateStore | null) {
    this.#store = store;
    for (let id = 1; id <= MAX_USERS; id++) {
      this.#slots.push({
        id,
        name: "",
        password: new Uint8Array(0),
        privilege: Privilege.User,
        enabled: false,
        messaging: false,
        linkAuth: false,
        callbackOnly: false,
        sol: false,
      });
    }
    for (const u of users) {
      const slot = this.#slots[u.id - 1]!;
      slot.name = u.name;
      slot.password = encoder.encode(u.password);
      slot.privilege = u.privilege;
      slot.enabled = true;
      slot.messaging = true;
      slot.sol = true;
    }
    this.#load();
  }

  #load(): void {
    const text = this.#store?.getValue(STORE_KEY);
    if (text === undefined) return;
    try {
      const saved = JSON.parse(text) as {
        id: number;
        name: string;
        password: string;
        privilege: number;
        enabled: boolean;
        messaging: boolean;
        linkAuth?: boolean;
        callbackOnly?: boolean;
        sol?: boolean;
      }[];
      for (const s of saved) {
        const slot = this.#slots[s.id - 1];
        if (slot === undefined) continue;
        slot.name = s.name;
        slot.password = fromHex(s.password);
        slot.privilege = s.privilege;
        slot.enabled = s.enabled;
        slot.messaging = s.messaging;
        slot.linkAuth = s.linkAuth ?? slot.linkAuth;
        slot.callbackOnly = s.callbackOnly ?? slot.callbackOnly;
        slot.sol = s.sol ?? slot.sol;
      }
    } catch {
      // A damaged entry falls back to the configuration.
    }
  }

  /** Persist the table (after a Set User command). */
  save(): void {
    if (this.#store === null) return;
    const saved = this.#slots.map((s) => ({
      id: s.id,
      name: s.name,
      password: toHex(s.password),
      privilege: s.privilege,
      enabled: s.enabled,
      messaging: s.messaging,
      linkAuth: s.linkAuth,
      callbackOnly: s.callbackOnly,
      sol: s.sol,
    }));
    this.#store.setValue(STORE_KEY, JSON.stringify(saved));
  }

  /**
   * A slot by id.
   *
   * @param id User id 1–15.
   * @returns The slot, or `undefined` out of range.
   */
  get(id: number): LanUser | undefined {
    return this.#slots[id - 1];
  }

  /**
   * The enabled user with this name that may use IPMI messaging and has a
   * privilege limit (not 0x0F "no access", which is no level at all).
   *
   * @param name User name (empty: the null user, which is never enabled here).
   * @returns The user, or `undefined`.
   */
  byName(name: string): LanUser | undefined {
    if (name === "") return undefined;
    return this.#slots.find((s) =>
      s.name === name && s.enabled && s.messaging && s.privilege >= Privilege.Callback &&
      s.privilege <= Privilege.Oem
    );
  }

  /** All slots. */
  all(): readonly LanUser[] {
    return this.#slots;
  }

  /** Number of enabled users. */
  get enabledCount(): number {
    return this.#slots.filter((s) => s.enabled).length;
  }
}
