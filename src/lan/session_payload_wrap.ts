/**
 * A payload inside an active RMCP+ session (IPMI v2.0 ch. 13): checked
 * and opened on the way in (integrity code, replay window, decryption as the
 * session's cipher suite demands), and encrypted, numbered and signed on the
 * way out.
 *
 * @module
 */

import { PayloadType } from "./constants.ts";
import { aesDecrypt, aesEncrypt, authCodeLength, integrityCode, macEqual } from "./lan_crypto.ts";
import { type DropReason, encodeV20, integrityParts, type RmcpPacket } from "./rmcp_packet.ts";
import type { LanSession } from "./session_table.ts";

/**
 * The plain payload of a packet that arrived in `session`, or why it is
 * dropped. An accepted sequence number is taken from the session's window.
 *
 * @param session The active session the packet names.
 * @param p The packet.
 * @returns The payload, or the drop reason.
 */
export function unwrapSessionPayload(
  session: LanSession,
  p: Extract<RmcpPacket, { kind: "v20" }>,
): Uint8Array | DropReason {
  const suite = session.suite;
  const keys = session.keys!;
  if (suite.integrity !== 0) {
    if (!p.authenticated) return "bad-auth-code";
    const parts = integrityParts(p, authCodeLength(suite.integrity));
    if (parts === null) return "bad-trailer";
    if (!macEqual(integrityCode(suite.integrity, keys.k1, parts.covered), parts.code)) {
      return "bad-auth-code";
    }
  } else if (p.authenticated) {
    return "bad-trailer";
  }
  if (!session.window.accept(p.seq)) return "replay";
  if (!p.encrypted) {
    if (suite.conf !== 0 && p.payloadType === PayloadType.Ipmi) return "not-encrypted";
    return p.payload;
  }
  if (suite.conf === 0) return "bad-encryption";
  return aesDecrypt(keys.k2, p.payload) ?? "bad-encryption";
}

/**
 * The datagram that carries `payload` to the console of `session`: encrypted
 * and signed as its suite says, with the session's next outbound sequence
 * number (which this takes).
 *
 * @param session The active session.
 * @param payloadType Payload type (IPMI or SOL).
 * @param payload Plain payload.
 * @returns The datagram.
 */
export function wrapSessionPayload(
  session: LanSession,
  payloadType: number,
  payload: Uint8Array,
): Uint8Array {
  const suite = session.suite;
  const keys = session.keys!;
  const encrypted = suite.conf !== 0;
  const body = encrypted ? aesEncrypt(keys.k2, payload) : payload;
  const seq = session.outSeq;
  session.outSeq = (seq + 1) >>> 0 || 1;
  const sign = suite.integrity === 0
    ? null
    : (covered: Uint8Array) => integrityCode(suite.integrity, keys.k1, covered);
  return encodeV20(payloadType, session.consoleId, seq, body, { encrypted, sign });
}
