/**
 * RMCP datagrams as bytes ⇄ values (DSP0136 ASF 2.0 §3.2; IPMI v2.0 §13.6,
 * §13.8): the RMCP header, ASF Presence Ping/Pong, the IPMI 1.5 session
 * wrapper and the IPMI 2.0 (RMCP+) session wrapper with its integrity
 * trailer. Parsing never throws: anything malformed is a `drop` with a
 * reason. Cryptography is not done here (see `lan_crypto.ts`).
 *
 * @module
 */

import {
  ASF_IANA,
  AsfType,
  AuthType,
  NEXT_HEADER,
  PAYLOAD_AUTHENTICATED,
  PAYLOAD_ENCRYPTED,
  PayloadType,
  RMCP_SEQ_NO_ACK,
  RMCP_VERSION,
  RmcpClass,
} from "./constants.ts";

/** Largest datagram accepted (a full IPMI message with every trailer fits easily). */
export const MAX_DATAGRAM = 1024;
/** Bytes of the RMCP header. */
const RMCP_HEADER = 4;
/** Bytes of the IPMI 2.0 session header after the RMCP header. */
const V20_HEADER = 12;

/** Why a datagram was dropped. */
export type DropReason =
  | "short"
  | "oversized"
  | "not-rmcp"
  | "rmcp-ack"
  | "unknown-class"
  | "asf-not-ping"
  | "bad-length"
  | "oem-payload"
  | "unknown-session"
  | "bad-auth-code"
  | "bad-trailer"
  | "not-encrypted"
  | "bad-encryption"
  | "replay"
  | "bad-checksum"
  | "not-allowed-sessionless"
  | "ipmi15-disabled"
  | "bad-payload"
  | "bmc-resetting";

/** A parsed datagram. */
export type RmcpPacket =
  /** ASF Presence Ping (answered with a Pong carrying the same tag). */
  | { readonly kind: "asf-ping"; readonly tag: number }
  /** IPMI 1.5 session wrapper. */
  | {
    readonly kind: "v15";
    readonly authType: number;
    readonly sessionId: number;
    readonly seq: number;
    readonly message: Uint8Array;
  }
  /** IPMI 2.0 (RMCP+) session wrapper. */
  | {
    readonly kind: "v20";
    readonly payloadType: number;
    readonly encrypted: boolean;
    readonly authenticated: boolean;
    readonly sessionId: number;
    readonly seq: number;
    readonly payload: Uint8Array;
    /** Integrity pad, pad length, next header and AuthCode (empty if unauthenticated). */
    readonly trailer: Uint8Array;
    /** The whole datagram (integrity covers part of it). */
    readonly raw: Uint8Array;
  }
  | { readonly kind: "drop"; readonly reason: DropReason };

function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

function putU32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

function drop(reason: DropReason): RmcpPacket {
  return { kind: "drop", reason };
}

/**
 * Parse one datagram.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRmcp } from "./rmcp_packet.ts";
 * const ping = Uint8Array.of(6, 0, 0xff, 6, 0, 0, 0x11, 0xbe, 0x80, 7, 0, 0);
 * assert.deepEqual(parseRmcp(ping), { kind: "asf-ping", tag: 7 });
 * ```
 *
 * @param bytes Datagram.
 * @returns The packet, or why it is dropped.
 */
export function parseRmcp(bytes: Uint8Array): RmcpPacket {
  if (bytes.length > MAX_DATAGRAM) return drop("oversized");
  if (bytes.length < RMCP_HEADER + 1) return drop("short");
  if (bytes[0] !== RMCP_VERSION) return drop("not-rmcp");
  const cls = bytes[3]!;
  if ((cls & 0x80) !== 0) return drop("rmcp-ack");
  if ((cls & 0x1f) === RmcpClass.Asf) return parseAsf(bytes);
  if ((cls & 0x1f) !== RmcpClass.Ipmi) return drop("unknown-class");
  return bytes[4] === AuthType.RmcpPlus ? parseV20(bytes) : parseV15(bytes);
}

function parseAsf(bytes: Uint8Array): RmcpPacket {
  if (bytes.length < 12) return drop("short");
  const iana = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
  if (iana !== ASF_IANA || bytes[8] !== AsfType.PresencePing) return drop("asf-not-ping");
  return { kind: "asf-ping", tag: bytes[9]! };
}

function parseV15(bytes: Uint8Array): RmcpPacket {
  const authType = bytes[4]!;
  const codeLen = authType === AuthType.None ? 0 : 16;
  const lenAt = RMCP_HEADER + 9 + codeLen;
  if (bytes.length < lenAt + 1) return drop("short");
  const length = bytes[lenAt]!;
  // Some consoles add one legacy pad byte after the message.
  if (bytes.length !== lenAt + 1 + length && bytes.length !== lenAt + 2 + length) {
    return drop("bad-length");
  }
  return {
    kind: "v15",
    authType,
    seq: u32le(bytes, RMCP_HEADER + 1),
    sessionId: u32le(bytes, RMCP_HEADER + 5),
    message: bytes.subarray(lenAt + 1, lenAt + 1 + length),
  };
}

function parseV20(bytes: Uint8Array): RmcpPacket {
  if (bytes.length < RMCP_HEADER + V20_HEADER) return drop("short");
  const typeByte = bytes[5]!;
  const payloadType = typeByte & 0x3f;
  if (payloadType === PayloadType.OemExplicit) return drop("oem-payload");
  const length = bytes[14]! | (bytes[15]! << 8);
  const end = RMCP_HEADER + V20_HEADER + length;
  if (end > bytes.length) return drop("bad-length");
  const authenticated = (typeByte & PAYLOAD_AUTHENTICATED) !== 0;
  if (!authenticated && end !== bytes.length) return drop("bad-length");
  return {
    kind: "v20",
    payloadType,
    encrypted: (typeByte & PAYLOAD_ENCRYPTED) !== 0,
    authenticated,
    sessionId: u32le(bytes, 6),
    seq: u32le(bytes, 10),
    payload: bytes.subarray(RMCP_HEADER + V20_HEADER, end),
    trailer: bytes.subarray(end),
    raw: bytes,
  };
}

/**
 * Check an IPMI 2.0 integrity trailer's shape and return the bytes its
 * AuthCode covers (from the AuthType byte through Next Header).
 *
 * @param packet The packet.
 * @param codeLength AuthCode length of the session's integrity algorithm.
 * @returns Covered bytes and the received AuthCode, or `null` if malformed.
 */
export function integrityParts(
  packet: Extract<RmcpPacket, { kind: "v20" }>,
  codeLength: number,
): { readonly covered: Uint8Array; readonly code: Uint8Array } | null {
  const t = packet.trailer;
  if (t.length < codeLength + 2) return null;
  const padLength = t[t.length - codeLength - 2]!;
  if (t[t.length - codeLength - 1] !== NEXT_HEADER) return null;
  if (padLength !== t.length - codeLength - 2 || padLength > 3) return null;
  const raw = packet.raw;
  return {
    covered: raw.subarray(RMCP_HEADER, raw.length - codeLength),
    code: raw.subarray(raw.length - codeLength),
  };
}

/**
 * An ASF Presence Pong answering `tag` (ASF 2.0 §3.2.4.3): IPMI supported,
 * ASF 1.0 entities, no OEM data.
 *
 * @param tag Message tag of the ping.
 * @returns The datagram.
 */
export function encodeAsfPong(tag: number): Uint8Array {
  return Uint8Array.of(
    RMCP_VERSION,
    0,
    RMCP_SEQ_NO_ACK,
    RmcpClass.Asf,
    0x00,
    0x00,
    0x11,
    0xbe,
    AsfType.PresencePong,
    tag & 0xff,
    0x00,
    0x10,
    0x00,
    0x00,
    0x11,
    0xbe,
    0,
    0,
    0,
    0,
    0x81,
    0x00,
    0,
    0,
    0,
    0,
    0,
    0,
  );
}

/**
 * An IPMI 1.5 session-less datagram (auth type none, session 0).
 *
 * @param message IPMI LAN message.
 * @returns The datagram.
 */
export function encodeV15(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(RMCP_HEADER + 10 + message.length);
  out.set([RMCP_VERSION, 0, RMCP_SEQ_NO_ACK, RmcpClass.Ipmi, AuthType.None]);
  out[RMCP_HEADER + 9] = message.length;
  out.set(message, RMCP_HEADER + 10);
  return out;
}

/** How an outbound RMCP+ packet is protected. */
export interface OutboundProtection {
  /** Whether the payload (already encrypted by the caller) is marked encrypted. */
  readonly encrypted: boolean;
  /**
   * AuthCode over the covered bytes, or `null` for an unauthenticated packet.
   *
   * @param covered From AuthType through Next Header.
   * @returns The AuthCode.
   */
  readonly sign: ((covered: Uint8Array) => Uint8Array) | null;
}

/**
 * An IPMI 2.0 (RMCP+) datagram.
 *
 * @param payloadType Payload type (bits 5:0).
 * @param sessionId Session id as the receiver knows it (0 outside a session).
 * @param seq Session sequence number (0 outside a session).
 * @param payload Payload bytes (already encrypted if `protection.encrypted`).
 * @param protection Encryption flag and signer.
 * @returns The datagram.
 */
export function encodeV20(
  payloadType: number,
  sessionId: number,
  seq: number,
  payload: Uint8Array,
  protection: OutboundProtection = { encrypted: false, sign: null },
): Uint8Array {
  const signed = protection.sign !== null;
  const bodyEnd = RMCP_HEADER + V20_HEADER + payload.length;
  const pad = signed ? (4 - ((V20_HEADER + payload.length + 2) % 4)) % 4 : 0;
  const coveredEnd = signed ? bodyEnd + pad + 2 : bodyEnd;
  const head = new Uint8Array(coveredEnd);
  head.set([RMCP_VERSION, 0, RMCP_SEQ_NO_ACK, RmcpClass.Ipmi, AuthType.RmcpPlus]);
  head[5] = (payloadType & 0x3f) | (protection.encrypted ? PAYLOAD_ENCRYPTED : 0) |
    (signed ? PAYLOAD_AUTHENTICATED : 0);
  putU32le(head, 6, sessionId);
  putU32le(head, 10, seq);
  head[14] = payload.length & 0xff;
  head[15] = payload.length >> 8;
  head.set(payload, RMCP_HEADER + V20_HEADER);
  if (!signed) return head;
  head.fill(0xff, bodyEnd, bodyEnd + pad);
  head[bodyEnd + pad] = pad;
  head[bodyEnd + pad + 1] = NEXT_HEADER;
  const code = protection.sign!(head.subarray(RMCP_HEADER));
  const out = new Uint8Array(coveredEnd + code.length);
  out.set(head);
  out.set(code, coveredEnd);
  return out;
}
