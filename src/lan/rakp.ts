/**
 * RMCP+ session establishment (IPMI v2.0 §13.17–13.23): Open Session
 * Request/Response and RAKP messages 1–4, checked against the user table and
 * the enabled cipher suites. Every reply is a payload for `encodeV20` with
 * session id 0; errors carry the spec's status code.
 *
 * @module
 */

import { PayloadType, Privilege, RakpStatus } from "./constants.ts";
import {
  type CipherSuite,
  deriveSessionKeys,
  findSuite,
  macEqual,
  rakp4IcvLength,
  rakpHmac,
} from "./lan_crypto.ts";
import type { Peer, SessionTable } from "./session_table.ts";
import { MAX_NAME, type UserTable } from "./users.ts";

/** What the handshake needs. */
export interface HandshakeDeps {
  /** Sessions. */
  readonly sessions: SessionTable;
  /** Users. */
  readonly users: UserTable;
  /** Enabled cipher suite ids. */
  readonly suites: ReadonlySet<number>;
  /** The BMC's GUID (16 bytes, as sent on the wire). */
  readonly guid: Uint8Array;
  /** Random bytes. */
  readonly random: (n: number) => Uint8Array;
}

/** A handshake reply. */
export interface HandshakeReply {
  /** Payload type of the reply. */
  readonly payloadType: number;
  /** Reply payload. */
  readonly payload: Uint8Array;
  /** Status sent (0 = success). */
  readonly status: number;
  /** Name of the user (for logs and events), if known. */
  readonly user?: string;
}

function le32(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Algorithm record of an Open Session message: type, length 8, algorithm. */
function algorithmRecord(type: number, alg: number): number[] {
  return [type, 0, 0, 8, alg, 0, 0, 0];
}

/** Parse one algorithm record; length 0 means "any" (`null`). */
function readRecord(p: Uint8Array, at: number, type: number): number | null | "bad" {
  if (p[at] !== type) return "bad";
  if (p[at + 3] === 0) return null;
  if (p[at + 3] !== 8) return "bad";
  return p[at + 4]! & 0x3f;
}

/** A placeholder password so unknown users cost the same HMAC work. */
const DUMMY_KEY = new Uint8Array(20);

/** RMCP+ session establishment for one BMC. */
export class Handshake {
  readonly #d: HandshakeDeps;

  /**
   * Create the handshake.
   *
   * @param deps Sessions, users, suites, GUID and randomness.
   */
  constructor(deps: HandshakeDeps) {
    this.#d = deps;
  }

  /**
   * Answer an Open Session Request.
   *
   * @param p Payload.
   * @param peer Where it came from.
   * @returns The Open Session Response, or `null` to drop (malformed).
   */
  openSession(p: Uint8Array, peer: Peer): HandshakeReply | null {
    if (p.length !== 32) return null;
    const tag = p[0]!;
    const requested = p[1]! & 0x0f;
    const consoleId = u32(p, 4);
    const fail = (status: number): HandshakeReply => ({
      payloadType: PayloadType.OpenSessionResponse,
      payload: concat([tag, status, 0, 0], le32(consoleId)),
      status,
    });
    if (consoleId === 0) return fail(RakpStatus.InvalidSessionId);
    if (requested > Privilege.Oem) return fail(RakpStatus.InvalidRole);
    const auth = readRecord(p, 8, 0);
    const integrity = readRecord(p, 16, 1);
    const conf = readRecord(p, 24, 2);
    if (auth === "bad" || integrity === "bad" || conf === "bad") {
      return fail(RakpStatus.IllegalParameter);
    }
    const suite = this.#choose(auth, integrity, conf);
    if (suite === undefined) return fail(RakpStatus.NoCipherSuiteMatch);
    const maxPrivilege = requested === 0 ? Privilege.Administrator : requested;
    const session = this.#d.sessions.open({ consoleId, suite, peer, maxPrivilege });
    if (session === null) return fail(RakpStatus.InsufficientResources);
    return {
      payloadType: PayloadType.OpenSessionResponse,
      payload: concat(
        [tag, RakpStatus.Ok, maxPrivilege, 0],
        le32(consoleId),
        le32(session.bmcId),
        algorithmRecord(0, suite.auth),
        algorithmRecord(1, suite.integrity),
        algorithmRecord(2, suite.conf),
      ),
      status: RakpStatus.Ok,
    };
  }

  #choose(
    auth: number | null,
    integrity: number | null,
    conf: number | null,
  ): CipherSuite | undefined {
    const enabled = this.#d.suites;
    if (auth !== null && integrity !== null && conf !== null) {
      return findSuite(auth, integrity, conf, enabled);
    }
    // "Any" in a record: the strongest enabled suite that fits the others.
    for (const id of [17, 3, 16, 2, 15, 1]) {
      if (!enabled.has(id)) continue;
      const s = findSuite(auth ?? -1, integrity ?? -1, conf ?? -1, new Set([id]));
      if (s !== undefined) return s;
    }
    return undefined;
  }

  /**
   * Answer RAKP Message 1 with RAKP Message 2.
   *
   * @param p Payload.
   * @param peer Where it came from.
   * @returns RAKP 2, or `null` to drop (malformed).
   */
  rakp1(p: Uint8Array, peer: Peer): HandshakeReply | null {
    if (p.length < 28) return null;
    const tag = p[0]!;
    const bmcId = u32(p, 4);
    const nameLength = p[27]!;
    const session = this.#d.sessions.get(bmcId);
    const consoleId = session?.consoleId ?? 0;
    const fail = (status: number, user?: string): HandshakeReply => {
      if (session !== undefined) this.#d.sessions.close(bmcId);
      return {
        payloadType: PayloadType.Rakp2,
        payload: concat([tag, status, 0, 0], le32(consoleId)),
        status,
        ...(user === undefined ? {} : { user }),
      };
    };
    if (session === undefined || session.state === "active") {
      return fail(RakpStatus.InvalidSessionId);
    }
    if (nameLength > MAX_NAME || p.length !== 28 + nameLength) {
      return fail(RakpStatus.InvalidNameLength);
    }
    const role = p[24]!;
    const privilege = role & 0x0f;
    const nameBytes = p.slice(28, 28 + nameLength);
    const name = new TextDecoder().decode(nameBytes);
    const user = this.#d.users.byName(name);
    const rm = p.slice(8, 24);
    const rc = this.#d.random(16);
    const roleAndName = concat([role, nameLength], nameBytes);
    const suite = session.suite;
    // Same work whether or not the user exists: no timing oracle.
    const key = user?.password ?? DUMMY_KEY;
    const code = rakpHmac(
      suite.auth,
      key,
      le32(session.consoleId),
      le32(session.bmcId),
      rm,
      rc,
      this.#d.guid,
      roleAndName,
    );
    const keys = deriveSessionKeys(suite.auth, key, rm, rc, roleAndName);
    if (user === undefined) return fail(RakpStatus.UnauthorizedName, name);
    if (privilege < Privilege.Callback || privilege > Privilege.Oem) {
      return fail(RakpStatus.InvalidRole, name);
    }
    if (privilege > user.privilege || privilege > session.maxPrivilege) {
      return fail(RakpStatus.UnauthorizedRole, name);
    }
    session.peer = peer;
    session.user = user;
    session.role = role;
    session.rm = rm;
    session.rc = rc;
    session.keys = keys;
    session.maxPrivilege = privilege;
    session.state = "rakp2";
    return {
      payloadType: PayloadType.Rakp2,
      payload: concat([tag, RakpStatus.Ok, 0, 0], le32(session.consoleId), rc, this.#d.guid, code),
      status: RakpStatus.Ok,
      user: name,
    };
  }

  /**
   * Answer RAKP Message 3 with RAKP Message 4; success activates the session.
   *
   * @param p Payload.
   * @param now Monotonic time (activity).
   * @returns RAKP 4, or `null` to drop (malformed, unknown session, or the
   *   console reported an error).
   */
  rakp3(p: Uint8Array, now: number): HandshakeReply | null {
    if (p.length < 8) return null;
    const tag = p[0]!;
    const bmcId = u32(p, 4);
    const session = this.#d.sessions.get(bmcId);
    if (session === undefined || session.state !== "rakp2" || session.user === null) {
      return {
        payloadType: PayloadType.Rakp4,
        payload: concat([tag, RakpStatus.InvalidSessionId, 0, 0], le32(0)),
        status: RakpStatus.InvalidSessionId,
      };
    }
    const user = session.user.name;
    if (p[1] !== RakpStatus.Ok) {
      this.#d.sessions.close(bmcId);
      return null;
    }
    const suite = session.suite;
    const expected = rakpHmac(
      suite.auth,
      session.user.password,
      session.rc,
      le32(session.consoleId),
      Uint8Array.of(session.role, session.user.name.length),
      new TextEncoder().encode(session.user.name),
    );
    if (!macEqual(p.subarray(8), expected)) {
      this.#d.sessions.close(bmcId);
      return {
        payloadType: PayloadType.Rakp4,
        payload: concat([tag, RakpStatus.InvalidIntegrityCheck, 0, 0], le32(session.consoleId)),
        status: RakpStatus.InvalidIntegrityCheck,
        user,
      };
    }
    const icv = rakpHmac(
      suite.auth,
      session.keys!.sik,
      session.rm,
      le32(session.bmcId),
      this.#d.guid,
    )
      .subarray(0, rakp4IcvLength(suite.auth));
    session.state = "active";
    session.privilege = Math.min(Privilege.User, session.maxPrivilege);
    session.lastActivity = now;
    return {
      payloadType: PayloadType.Rakp4,
      payload: concat([tag, RakpStatus.Ok, 0, 0], le32(session.consoleId), icv),
      status: RakpStatus.Ok,
      user,
    };
  }
}
