/**
 * IPMI over LAN for one BMC, without the socket: a datagram and its peer in,
 * datagrams out through `send`. ASF ping, session-less commands, RMCP+
 * session setup, then authenticated (and encrypted) IPMI messages that go to
 * the same core `Bmc.handle()` the VM link uses (channel `lan`, after the
 * session's privilege is checked), and SOL packets. Bad datagrams are
 * counted by reason, logged rate-limited, and never answered with data.
 *
 * @module
 */

import type { CancelTimer, Clock } from "../clock/clock.ts";
import { CompletionCode } from "../codec/constants.ts";
import { commandName, hexBytes } from "../codec/names.ts";
import type { Bmc } from "../core/bmc.ts";
import type { Reply } from "../core/command.ts";
import { DEFAULT_LAN_CIPHER_SUITES } from "../core/config.ts";
import type { EventSink } from "../core/events.ts";
import type { StateStore } from "../core/ports.ts";
import type { Logger } from "../log/logger.ts";
import { PayloadType } from "./constants.ts";
import { random } from "./lan_crypto.ts";
import { DropLog } from "./lan_drop_log.ts";
import {
  coreRequest,
  decodeLanRequest,
  encodeLanResponse,
  type LanRequest,
} from "./lan_message.ts";
import {
  type LanAddress,
  lanCommand,
  type LanContext,
  loadLanOverrides,
  SESSIONLESS,
} from "./lan_commands.ts";
import { requiredPrivilege } from "./privileges.ts";
import { Handshake, type HandshakeReply } from "./rakp.ts";
import {
  type DropReason,
  encodeAsfPong,
  encodeV15,
  encodeV20,
  parseRmcp,
  type RmcpPacket,
} from "./rmcp_packet.ts";
import { unwrapSessionPayload, wrapSessionPayload } from "./session_payload_wrap.ts";
import { type LanSession, type Peer, type SessionLimits, SessionTable } from "./session_table.ts";
import { loadSolSettings, SolPayload, type SolSettings } from "./sol.ts";
import type { UserTable } from "./users.ts";

/** How often idle sessions are looked for while any exist. */
const SWEEP_MS = 5_000;

/** Everything a LAN endpoint needs. */
export interface LanEndpointDeps {
  /** The BMC. */
  readonly bmc: Bmc;
  /** Time source. */
  readonly clock: Clock;
  /** Events (`ipmi.request` with `channel: "lan"`). */
  readonly events: EventSink;
  /** Logger. */
  readonly log: Logger;
  /** Users. */
  readonly users: UserTable;
  /** Addresses the LAN configuration reports. */
  readonly address: LanAddress;
  /**
   * Send a datagram.
   *
   * @param bytes Datagram.
   * @param peer Destination.
   */
  readonly send: (bytes: Uint8Array, peer: Peer) => void;
  /** Enabled cipher suites. @default {@link DEFAULT_LAN_CIPHER_SUITES} */
  readonly suites?: ReadonlySet<number>;
  /** Offer IPMI 1.5 authentication types (not implemented: off). @default false */
  readonly ipmi15?: boolean;
  /**
   * Write console input to the guest (SOL).
   *
   * @param bytes Input.
   */
  readonly toGuest?: (bytes: Uint8Array) => void;
  /** Where LAN configuration changes persist. */
  readonly store?: StateStore | null;
  /** Session limits and timeouts. */
  readonly limits?: SessionLimits;
  /** Random bytes (tests inject a fixed source). */
  readonly random?: (n: number) => Uint8Array;
}

/** Counters of one LAN endpoint. */
export interface LanStats {
  /** Datagrams received. */
  received: number;
  /** Datagrams sent. */
  sent: number;
  /** IPMI requests handled in sessions. */
  requests: number;
  /** Dropped datagrams by reason. */
  dropped: Partial<Record<DropReason, number>>;
  /** Sessions activated. */
  sessionsOpened: number;
  /** RAKP failures (wrong password, unknown user, …). */
  authFailures: number;
}

/** A session as the API shows it. */
export interface LanSessionInfo {
  /** Handle. */
  readonly handle: number;
  /** User name. */
  readonly user: string | null;
  /** Current privilege. */
  readonly privilege: number;
  /** Cipher suite id. */
  readonly cipherSuite: number;
  /** Peer `address:port`. */
  readonly peer: string;
  /** Creation time, ISO 8601. */
  readonly since: string;
  /** Whether SOL is active in it. */
  readonly sol: boolean;
}

/** IPMI over LAN for one BMC. */
export class LanEndpoint {
  /** Counters. */
  readonly stats: LanStats = {
    received: 0,
    sent: 0,
    requests: 0,
    dropped: {},
    sessionsOpened: 0,
    authFailures: 0,
  };
  /** SOL parameters. */
  readonly solSettings: SolSettings;
  /** The SOL payload. */
  readonly sol: SolPayload;
  readonly #d: LanEndpointDeps;
  readonly #sessions: SessionTable;
  readonly #handshake: Handshake;
  readonly #suites: ReadonlySet<number>;
  readonly #ctx: Omit<LanContext, "session">;
  readonly #timers = new Set<CancelTimer>();
  readonly #drops: DropLog;
  #sweepTimer: CancelTimer | null = null;

  /**
   * Create the endpoint.
   *
   * @param deps BMC, users, addresses and the sender.
   */
  constructor(deps: LanEndpointDeps) {
    this.#d = deps;
    this.#drops = new DropLog({ clock: deps.clock, log: deps.log, counts: this.stats.dropped });
    this.solSettings = loadSolSettings(deps.store ?? null);
    const rand = deps.random ?? random;
    this.#suites = deps.suites ?? new Set(DEFAULT_LAN_CIPHER_SUITES);
    this.#sessions = new SessionTable(deps.clock, () => {
      const b = rand(4);
      return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
    }, deps.limits);
    this.#handshake = new Handshake({
      sessions: this.#sessions,
      users: deps.users,
      suites: this.#suites,
      guid: deps.bmc.config.systemGuid ?? deps.bmc.config.deviceGuid ?? guidFor(deps.bmc.id),
      random: rand,
    });
    this.sol = new SolPayload({
      clock: deps.clock,
      settings: this.solSettings,
      send: (session, payload) => this.#sendInSession(session, PayloadType.Sol, payload),
      toGuest: deps.toGuest ?? (() => {}),
      log: deps.log,
    });
    this.#ctx = {
      sessions: this.#sessions,
      users: deps.users,
      suites: this.#suites,
      ipmi15: deps.ipmi15 ?? false,
      sol: this.sol,
      solSettings: this.solSettings,
      address: deps.address,
      lanOverrides: loadLanOverrides(deps.store ?? null),
      store: deps.store ?? null,
    };
  }

  /** Active sessions for the API. */
  sessions(): LanSessionInfo[] {
    return this.#sessions.active().map((s) => ({
      handle: s.handle,
      user: s.user?.name ?? null,
      privilege: s.privilege,
      cipherSuite: s.suite.id,
      peer: `${s.peer.address}:${s.peer.port}`,
      since: new Date(s.createdWallMs).toISOString(),
      sol: this.sol.session === s,
    }));
  }

  /**
   * Handle one datagram.
   *
   * @param bytes Datagram.
   * @param peer Sender.
   */
  receive(bytes: Uint8Array, peer: Peer): void {
    this.stats.received++;
    this.#sweep();
    const outage = this.#d.bmc.outage;
    if (outage !== null && outage.plan.mode !== "busy") return this.#drop("bmc-resetting", peer);
    let packet: RmcpPacket;
    try {
      packet = parseRmcp(bytes);
      this.#dispatch(packet, peer);
    } catch (error) {
      this.#d.log.error("LAN datagram handling failed", { peer: peer.address, error });
    }
  }

  #dispatch(packet: RmcpPacket, peer: Peer): void {
    switch (packet.kind) {
      case "drop":
        return this.#drop(packet.reason, peer);
      case "asf-ping":
        return this.#send(encodeAsfPong(packet.tag), peer);
      case "v15":
        return this.#v15(packet, peer);
      case "v20":
        return this.#v20(packet, peer);
    }
  }

  #drop(reason: DropReason, peer: Peer): void {
    this.#drops.record(reason, peer);
  }

  #send(bytes: Uint8Array, peer: Peer): void {
    this.stats.sent++;
    this.#d.send(bytes, peer);
  }

  #v15(p: Extract<RmcpPacket, { kind: "v15" }>, peer: Peer): void {
    if (p.sessionId !== 0 || p.authType !== 0) return this.#drop("ipmi15-disabled", peer);
    const req = decodeLanRequest(p.message);
    if (req === null) return this.#drop("bad-checksum", peer);
    const reply = this.#sessionless(req);
    if (reply === null) return this.#drop("not-allowed-sessionless", peer);
    this.#send(encodeV15(encodeLanResponse(req, reply.cc, reply.data)), peer);
  }

  #sessionless(req: LanRequest): Reply | null {
    if (req.netfn !== 0x06) return null;
    if (SESSIONLESS.has(req.cmd)) {
      return lanCommand({ ...this.#ctx, session: null }, req)?.reply ?? null;
    }
    if (req.cmd === 0x39 || req.cmd === 0x3a) {
      return { cc: CompletionCode.InvalidCommand, data: new Uint8Array(0) };
    }
    return null;
  }

  #v20(p: Extract<RmcpPacket, { kind: "v20" }>, peer: Peer): void {
    const setup = p.payloadType >= PayloadType.OpenSessionRequest;
    if (setup || p.sessionId === 0) {
      if (p.sessionId !== 0 || p.authenticated || p.encrypted) {
        return this.#drop("not-allowed-sessionless", peer);
      }
      return this.#setup(p, peer);
    }
    const session = this.#sessions.get(p.sessionId);
    if (session === undefined || session.state !== "active") {
      return this.#drop("unknown-session", peer);
    }
    const plain = unwrapSessionPayload(session, p);
    if (typeof plain === "string") return this.#drop(plain, peer);
    session.lastActivity = this.#d.clock.now();
    session.peer = peer;
    if (p.payloadType === PayloadType.Ipmi) return this.#request(session, plain, peer);
    if (p.payloadType === PayloadType.Sol && this.sol.receive(session, plain)) return;
    this.#drop("bad-payload", peer);
  }

  #setup(p: Extract<RmcpPacket, { kind: "v20" }>, peer: Peer): void {
    let reply: HandshakeReply | null = null;
    switch (p.payloadType) {
      case PayloadType.Ipmi: {
        const req = decodeLanRequest(p.payload);
        if (req === null) return this.#drop("bad-checksum", peer);
        const r = this.#sessionless(req);
        if (r === null) return this.#drop("not-allowed-sessionless", peer);
        return this.#send(
          encodeV20(PayloadType.Ipmi, 0, 0, encodeLanResponse(req, r.cc, r.data)),
          peer,
        );
      }
      case PayloadType.OpenSessionRequest:
        reply = this.#handshake.openSession(p.payload, peer);
        break;
      case PayloadType.Rakp1:
        reply = this.#handshake.rakp1(p.payload, peer);
        break;
      case PayloadType.Rakp3:
        reply = this.#handshake.rakp3(p.payload, this.#d.clock.now());
        break;
      default:
        return this.#drop("bad-payload", peer);
    }
    if (reply === null) return this.#drop("bad-payload", peer);
    if (reply.status !== 0) {
      if (reply.payloadType !== PayloadType.OpenSessionResponse) this.stats.authFailures++;
      this.#d.log.info("RMCP+ session refused", {
        // The message that carried the refusal: RAKP 2 (payload 0x13) or RAKP 4 (0x15).
        step: reply.payloadType === PayloadType.OpenSessionResponse
          ? "open"
          : `rakp${reply.payloadType - PayloadType.OpenSessionResponse}`,
        status: reply.status,
        user: reply.user,
        peer: `${peer.address}:${peer.port}`,
      });
    } else if (reply.payloadType === PayloadType.Rakp4) {
      this.stats.sessionsOpened++;
      this.#d.log.info("LAN session opened", {
        user: reply.user,
        peer: `${peer.address}:${peer.port}`,
      });
      this.#armSweep();
    }
    this.#send(encodeV20(reply.payloadType, 0, 0, reply.payload), peer);
  }

  #request(session: LanSession, bytes: Uint8Array, peer: Peer): void {
    const req = decodeLanRequest(bytes);
    if (req === null) return this.#drop("bad-checksum", peer);
    this.stats.requests++;
    const events = this.#d.events;
    if (events.wants("ipmi.request")) {
      // The LAN adds who asked to the common fields.
      const request = {
        channel: "lan",
        seq: req.rqSeq,
        netfn: req.netfn,
        cmd: req.cmd,
        command: commandName(req.netfn, req.cmd),
        data: hexBytes(req.data),
        user: session.user?.name ?? null,
        session: session.handle,
      };
      events.emit("ipmi.request", request);
    }
    const respond = (reply: Reply, corrupt = false): void =>
      this.#sendInSession(
        session,
        PayloadType.Ipmi,
        encodeLanResponse(req, reply.cc, reply.data, corrupt),
      );
    if (session.privilege < requiredPrivilege(req.netfn, req.cmd)) {
      return respond({ cc: CompletionCode.InsufficientPrivilege, data: new Uint8Array(0) });
    }
    const local = lanCommand({ ...this.#ctx, session }, req);
    if (local !== null) {
      respond(local.reply);
      local.after?.();
      return;
    }
    const verdict = this.#d.bmc.handle(coreRequest(req), "lan");
    if (verdict.kind !== "reply") return; // dropped or wedged: the console retries
    const send = (): void => {
      if (this.#sessions.get(session.bmcId) !== session) return;
      respond(verdict.response, verdict.wire?.type === "corrupt");
      if (verdict.wire?.type === "duplicate") respond(verdict.response);
    };
    if (verdict.delayMs > 0) this.#later(send, verdict.delayMs);
    else send();
  }

  #sendInSession(session: LanSession, payloadType: number, payload: Uint8Array): void {
    this.#send(wrapSessionPayload(session, payloadType, payload), session.peer);
  }

  #later(fn: () => void, ms: number): void {
    const cancel = this.#d.clock.setTimer(() => {
      this.#timers.delete(cancel);
      fn();
    }, ms);
    this.#timers.add(cancel);
  }

  #armSweep(): void {
    if (this.#sweepTimer !== null) return;
    this.#sweepTimer = this.#d.clock.setTimer(() => {
      this.#sweepTimer = null;
      this.#sweep();
      if (this.#sessions.size > 0) this.#armSweep();
    }, SWEEP_MS);
  }

  #sweep(): void {
    for (const s of this.#sessions.sweep()) this.#ended(s, "idle timeout");
  }

  #ended(s: LanSession, reason: string): void {
    if (this.sol.session === s) this.sol.deactivate();
    if (s.state === "active") {
      this.#d.log.info("LAN session ended", { user: s.user?.name, handle: s.handle, reason });
    }
  }

  /**
   * End every session (the BMC was reset).
   *
   * @param reason Why.
   */
  dropSessions(reason: string): void {
    for (const s of this.#sessions.clear()) this.#ended(s, reason);
  }

  /** Stop timers and SOL. */
  close(): void {
    this.dropSessions("shutdown");
    this.sol.close();
    this.#sweepTimer?.();
    this.#sweepTimer = null;
    for (const cancel of this.#timers) cancel();
    this.#timers.clear();
  }
}

/**
 * A stable GUID for a BMC without one configured (from its id).
 *
 * @param id BMC id.
 * @returns 16 bytes.
 */
export function guidFor(id: string): Uint8Array {
  const out = new Uint8Array(16);
  const bytes = new TextEncoder().encode(`bmc-emu:${id}`);
  for (let i = 0; i < bytes.length; i++) out[i % 16] = (out[i % 16]! * 31 + bytes[i]!) & 0xff;
  out[6] = (out[6]! & 0x0f) | 0x40;
  return out;
}
