/**
 * A scripted RMCP+ remote console for tests: opens a session over a
 * `LanEndpoint` (or real UDP, through `send`/`take`), sends IPMI requests and
 * SOL packets, and decodes what comes back. Built from the same codecs as
 * the BMC side; real ipmitool and FreeIPMI cover interoperability.
 *
 * @module
 */

import { ipmbChecksum } from "../../src/codec/checksum.ts";
import { PayloadType } from "../../src/lan/constants.ts";
import {
  aesDecrypt,
  aesEncrypt,
  authCodeLength,
  CIPHER_SUITES,
  type CipherSuite,
  deriveSessionKeys,
  integrityCode,
  rakpHmac,
  type SessionKeys,
} from "../../src/lan/lan_crypto.ts";
import { encodeV20, integrityParts, parseRmcp } from "../../src/lan/rmcp_packet.ts";

/** Moves datagrams between the console and the BMC. */
export interface Wire {
  /** Deliver a datagram to the BMC. */
  send(bytes: Uint8Array): void | Promise<void>;
  /** The datagrams the BMC sent since the last call. */
  take(): Uint8Array[] | Promise<Uint8Array[]>;
}

/** A decoded IPMI response. */
export interface Response {
  /** Completion code. */
  readonly cc: number;
  /** Data after the completion code. */
  readonly data: Uint8Array;
}

const le32 = (v: number) =>
  Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
const u32 = (b: Uint8Array, o: number) =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/**
 * An IPMI LAN request message.
 *
 * @param netfn Netfn.
 * @param cmd Command.
 * @param data Data.
 * @param rqSeq Requester sequence.
 * @returns Message bytes.
 */
export function lanRequest(netfn: number, cmd: number, data: number[] = [], rqSeq = 1): Uint8Array {
  const m = [0x20, netfn << 2];
  m.push(ipmbChecksum(m));
  const rest = [0x81, rqSeq << 2, cmd, ...data];
  return Uint8Array.from([...m, ...rest, ipmbChecksum(rest)]);
}

/** A remote console. */
export class TestConsole {
  readonly #wire: Wire;
  /** Console-side session id (two consoles on one wire need different ones). */
  readonly consoleId: number;
  bmcId = 0;
  suite: CipherSuite = CIPHER_SUITES.find((s) => s.id === 3)!;
  keys: SessionKeys | null = null;
  seq = 1;
  rqSeq = 1;
  /** Last RAKP status. */
  status = -1;
  /** SOL packets received. */
  readonly sol: Uint8Array[] = [];

  constructor(wire: Wire, consoleId = 0xa0a1a2a3) {
    this.#wire = wire;
    this.consoleId = consoleId;
  }

  async #exchange(type: number, payload: Uint8Array): Promise<Uint8Array | null> {
    await this.#wire.send(encodeV20(type, 0, 0, payload));
    const out = await this.#wire.take();
    const p = out.length ? parseRmcp(out[0]!) : null;
    return p?.kind === "v20" ? p.payload : null;
  }

  /**
   * Open Session + RAKP 1–4.
   *
   * @param opts Suite, user, password, role.
   * @returns Final status (0 = active), or the failing step's status.
   */
  async login(
    opts: { suite: number; user: string; password: string; role?: number },
  ): Promise<number> {
    this.suite = CIPHER_SUITES.find((s) => s.id === opts.suite)!;
    const role = opts.role ?? 0x14;
    const s = this.suite;
    const open = Uint8Array.from([
      0x11,
      0,
      0,
      0,
      ...le32(this.consoleId),
      0,
      0,
      0,
      8,
      s.auth,
      0,
      0,
      0,
      1,
      0,
      0,
      8,
      s.integrity,
      0,
      0,
      0,
      2,
      0,
      0,
      8,
      s.conf,
      0,
      0,
      0,
    ]);
    const r = await this.#exchange(PayloadType.OpenSessionRequest, open);
    if (r === null) return -1;
    if (r[1] !== 0) return this.status = r[1]!;
    this.bmcId = u32(r, 8);
    const rm = new Uint8Array(16).fill(0x5a);
    const name = new TextEncoder().encode(opts.user);
    const r1 = Uint8Array.from([
      0x12,
      0,
      0,
      0,
      ...le32(this.bmcId),
      ...rm,
      role,
      0,
      0,
      name.length,
      ...name,
    ]);
    const r2 = await this.#exchange(PayloadType.Rakp1, r1);
    if (r2 === null) return -1;
    if (r2[1] !== 0) return this.status = r2[1]!;
    const rc = r2.slice(8, 24);
    const guid = r2.slice(24, 40);
    const kuid = new TextEncoder().encode(opts.password);
    const roleName = Uint8Array.from([role, name.length, ...name]);
    const code3 = rakpHmac(s.auth, kuid, rc, le32(this.consoleId), roleName);
    this.keys = deriveSessionKeys(s.auth, kuid, rm, rc, roleName);
    void guid;
    const r4 = await this.#exchange(
      PayloadType.Rakp3,
      Uint8Array.from([0x13, 0, 0, 0, ...le32(this.bmcId), ...code3]),
    );
    if (r4 === null) return -1;
    return this.status = r4[1]!;
  }

  /**
   * Wrap a payload as the session does.
   *
   * @param type Payload type.
   * @param payload Plain payload.
   * @param seq Session sequence number (default: next).
   * @returns Datagram.
   */
  wrap(type: number, payload: Uint8Array, seq = this.seq++): Uint8Array {
    const s = this.suite;
    const k = this.keys!;
    const body = s.conf ? aesEncrypt(k.k2, payload) : payload;
    return encodeV20(type, this.bmcId, seq, body, {
      encrypted: s.conf !== 0,
      sign: s.integrity ? (c) => integrityCode(s.integrity, k.k1, c) : null,
    });
  }

  /**
   * Decode what the BMC sent in the session: IPMI responses are returned,
   * SOL packets are collected in {@link TestConsole.sol}.
   *
   * @param datagrams Datagrams.
   * @returns IPMI responses.
   */
  unwrap(datagrams: Uint8Array[]): Response[] {
    const out: Response[] = [];
    for (const d of datagrams) {
      const p = parseRmcp(d);
      if (p.kind !== "v20" || p.sessionId !== this.consoleId) continue;
      const s = this.suite;
      const k = this.keys!;
      if (s.integrity) {
        const parts = integrityParts(p, authCodeLength(s.integrity));
        if (parts === null) throw new Error("bad trailer from BMC");
        const want = integrityCode(s.integrity, k.k1, parts.covered);
        if (want.some((b, i) => b !== parts.code[i])) throw new Error("bad AuthCode from BMC");
      }
      const plain = p.encrypted ? aesDecrypt(k.k2, p.payload) : p.payload;
      if (plain === null) throw new Error("bad encryption from BMC");
      if (p.payloadType === PayloadType.Sol) this.sol.push(plain);
      else out.push({ cc: plain[6]!, data: plain.slice(7, plain.length - 1) });
    }
    return out;
  }

  /**
   * Send a request and collect the responses.
   *
   * @param netfn Netfn.
   * @param cmd Command.
   * @param data Data.
   * @returns Responses that came back (0, 1 or more).
   */
  async request(netfn: number, cmd: number, data: number[] = []): Promise<Response[]> {
    await this.#wire.send(
      this.wrap(PayloadType.Ipmi, lanRequest(netfn, cmd, data, this.rqSeq++ & 0x3f)),
    );
    return this.unwrap(await this.#wire.take());
  }

  /**
   * Send a SOL packet.
   *
   * @param packet SOL payload.
   * @returns Responses (SOL packets land in {@link TestConsole.sol}).
   */
  async solSend(packet: number[]): Promise<Response[]> {
    await this.#wire.send(this.wrap(PayloadType.Sol, Uint8Array.from(packet)));
    return this.unwrap(await this.#wire.take());
  }
}
