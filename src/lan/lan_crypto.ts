/**
 * RMCP+ cryptography from the platform (`node:crypto`): the cipher suites
 * bmc-emu offers, RAKP HMACs, session key derivation (SIK, K1, K2; IPMI
 * v2.0 §13.31–13.32), integrity AuthCodes (HMAC-SHA1-96, HMAC-SHA256-128)
 * and AES-CBC-128 payload confidentiality (§13.29). Nothing is hand-written
 * but the byte layouts.
 *
 * @module
 */

import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { Buffer } from "node:buffer";
import { AuthAlg, ConfAlg, IntegrityAlg } from "./constants.ts";

/** One cipher suite (IPMI v2.0 table 22-20). */
export interface CipherSuite {
  /** Cipher suite id. */
  readonly id: number;
  /** Authentication (RAKP) algorithm. */
  readonly auth: number;
  /** Integrity algorithm. */
  readonly integrity: number;
  /** Confidentiality algorithm. */
  readonly conf: number;
}

/** The suites bmc-emu implements, in the order it lists them. */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  { id: 0, auth: AuthAlg.None, integrity: IntegrityAlg.None, conf: ConfAlg.None },
  { id: 1, auth: AuthAlg.HmacSha1, integrity: IntegrityAlg.None, conf: ConfAlg.None },
  { id: 2, auth: AuthAlg.HmacSha1, integrity: IntegrityAlg.HmacSha1_96, conf: ConfAlg.None },
  { id: 3, auth: AuthAlg.HmacSha1, integrity: IntegrityAlg.HmacSha1_96, conf: ConfAlg.AesCbc128 },
  { id: 15, auth: AuthAlg.HmacSha256, integrity: IntegrityAlg.None, conf: ConfAlg.None },
  {
    id: 16,
    auth: AuthAlg.HmacSha256,
    integrity: IntegrityAlg.HmacSha256_128,
    conf: ConfAlg.None,
  },
  {
    id: 17,
    auth: AuthAlg.HmacSha256,
    integrity: IntegrityAlg.HmacSha256_128,
    conf: ConfAlg.AesCbc128,
  },
];

/**
 * The suite with these algorithms among `enabled` ids.
 *
 * @param auth Authentication algorithm.
 * @param integrity Integrity algorithm.
 * @param conf Confidentiality algorithm.
 * @param enabled Enabled suite ids.
 * @returns The suite, or `undefined`.
 */
export function findSuite(
  auth: number,
  integrity: number,
  conf: number,
  enabled: ReadonlySet<number>,
): CipherSuite | undefined {
  return CIPHER_SUITES.find((s) =>
    enabled.has(s.id) && s.auth === auth && s.integrity === integrity && s.conf === conf
  );
}

type Hash = "sha1" | "sha256";

function hashOf(authAlg: number): Hash {
  return authAlg === AuthAlg.HmacSha256 ? "sha256" : "sha1";
}

/**
 * HMAC of the concatenated parts.
 *
 * @param hash Hash name.
 * @param key Key.
 * @param parts Message parts.
 * @returns The MAC.
 */
export function hmac(hash: Hash, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * The RAKP HMAC of an authentication algorithm (empty for RAKP-none).
 *
 * @param authAlg Authentication algorithm.
 * @param key Key (Kuid or SIK).
 * @param parts Message parts.
 * @returns The MAC.
 */
export function rakpHmac(authAlg: number, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  if (authAlg === AuthAlg.None) return new Uint8Array(0);
  return hmac(hashOf(authAlg), key, ...parts);
}

/**
 * Length of RAKP 4's Integrity Check Value for an authentication algorithm:
 * HMAC-SHA1-96 (12) for RAKP-HMAC-SHA1, HMAC-SHA256-128 (16) for -SHA256.
 *
 * @param authAlg Authentication algorithm.
 * @returns Bytes.
 */
export function rakp4IcvLength(authAlg: number): number {
  return authAlg === AuthAlg.None ? 0 : authAlg === AuthAlg.HmacSha256 ? 16 : 12;
}

/** Length of the constants K1 and K2 are derived from. */
const KEY_CONSTANT = 20;

/** Session keys derived after RAKP. */
export interface SessionKeys {
  /** Session Integrity Key. */
  readonly sik: Uint8Array;
  /** K1: integrity key. */
  readonly k1: Uint8Array;
  /** K2: confidentiality key (its first 16 bytes are the AES key). */
  readonly k2: Uint8Array;
}

/**
 * Derive SIK = HMAC_KG(Rm | Rc | ROLEm | ULENGTHm | UNAMEm), K1 = HMAC_SIK(01…),
 * K2 = HMAC_SIK(02…) with 20-byte constants (IPMI v2.0 §13.31, §13.32). Without a BMC key, KG is Kuid.
 *
 * @param authAlg Authentication algorithm.
 * @param kg Key-generating key.
 * @param rm Remote console random number.
 * @param rc BMC random number.
 * @param roleAndName ROLEm, ULENGTHm and UNAMEm bytes.
 * @returns The keys (empty for RAKP-none).
 */
export function deriveSessionKeys(
  authAlg: number,
  kg: Uint8Array,
  rm: Uint8Array,
  rc: Uint8Array,
  roleAndName: Uint8Array,
): SessionKeys {
  if (authAlg === AuthAlg.None) {
    const empty = new Uint8Array(0);
    return { sik: empty, k1: empty, k2: empty };
  }
  const hash = hashOf(authAlg);
  const sik = hmac(hash, kg, rm, rc, roleAndName);
  // The constants are 20 bytes for every hash (what consoles implement).
  return {
    sik,
    k1: hmac(hash, sik, new Uint8Array(KEY_CONSTANT).fill(1)),
    k2: hmac(hash, sik, new Uint8Array(KEY_CONSTANT).fill(2)),
  };
}

/**
 * AuthCode length of an integrity algorithm.
 *
 * @param integrityAlg Integrity algorithm.
 * @returns Bytes (0 for none).
 */
export function authCodeLength(integrityAlg: number): number {
  if (integrityAlg === IntegrityAlg.HmacSha1_96) return 12;
  if (integrityAlg === IntegrityAlg.HmacSha256_128) return 16;
  return 0;
}

/**
 * The integrity AuthCode over `covered` with K1, truncated.
 *
 * @param integrityAlg Integrity algorithm.
 * @param k1 Integrity key.
 * @param covered From AuthType through Next Header.
 * @returns AuthCode.
 */
export function integrityCode(
  integrityAlg: number,
  k1: Uint8Array,
  covered: Uint8Array,
): Uint8Array {
  const hash: Hash = integrityAlg === IntegrityAlg.HmacSha256_128 ? "sha256" : "sha1";
  return hmac(hash, k1, covered).subarray(0, authCodeLength(integrityAlg));
}

/**
 * Constant-time comparison of equal-length MACs (different lengths: false).
 *
 * @param a One MAC.
 * @param b The other.
 * @returns Whether they are equal.
 */
export function macEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Random bytes from the platform.
 *
 * @param n How many.
 * @returns Bytes.
 */
export function random(n: number): Uint8Array {
  return new Uint8Array(randomBytes(n));
}

const AES_BLOCK = 16;

/**
 * Encrypt a payload with AES-CBC-128 the RMCP+ way: random IV first, then
 * the data padded with 1, 2, 3, … and a pad-length byte to a whole block.
 *
 * @param k2 Confidentiality key (first 16 bytes used).
 * @param plain Payload.
 * @param iv Initialisation vector (random if omitted; tests pass one).
 * @returns IV and ciphertext.
 */
export function aesEncrypt(
  k2: Uint8Array,
  plain: Uint8Array,
  iv: Uint8Array = random(AES_BLOCK),
): Uint8Array {
  const pad = (AES_BLOCK - ((plain.length + 1) % AES_BLOCK)) % AES_BLOCK;
  const padded = new Uint8Array(plain.length + pad + 1);
  padded.set(plain);
  for (let i = 0; i < pad; i++) padded[plain.length + i] = i + 1;
  padded[padded.length - 1] = pad;
  const cipher = createCipheriv("aes-128-cbc", k2.subarray(0, AES_BLOCK), iv);
  cipher.setAutoPadding(false);
  const body = new Uint8Array(Buffer.concat([cipher.update(padded), cipher.final()]));
  const out = new Uint8Array(AES_BLOCK + body.length);
  out.set(iv);
  out.set(body, AES_BLOCK);
  return out;
}

/**
 * Decrypt an AES-CBC-128 payload and strip the confidentiality trailer.
 *
 * @param k2 Confidentiality key.
 * @param data IV and ciphertext.
 * @returns Plain payload, or `null` if the length or the padding is wrong.
 */
export function aesDecrypt(k2: Uint8Array, data: Uint8Array): Uint8Array | null {
  if (data.length < 2 * AES_BLOCK || data.length % AES_BLOCK !== 0) return null;
  const decipher = createDecipheriv(
    "aes-128-cbc",
    k2.subarray(0, AES_BLOCK),
    data.subarray(0, AES_BLOCK),
  );
  decipher.setAutoPadding(false);
  const plain = new Uint8Array(
    Buffer.concat([decipher.update(data.subarray(AES_BLOCK)), decipher.final()]),
  );
  const pad = plain[plain.length - 1]!;
  if (pad >= AES_BLOCK || pad + 1 > plain.length) return null;
  const end = plain.length - 1 - pad;
  for (let i = 0; i < pad; i++) if (plain[end + i] !== i + 1) return null;
  return plain.subarray(0, end);
}
