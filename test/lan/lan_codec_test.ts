import assert from "node:assert/strict";
import { decodeLanRequest, encodeLanResponse } from "../../src/lan/lan_message.ts";
import {
  aesDecrypt,
  aesEncrypt,
  deriveSessionKeys,
  integrityCode,
  rakpHmac,
} from "../../src/lan/lan_crypto.ts";
import {
  encodeAsfPong,
  encodeV15,
  encodeV20,
  integrityParts,
  parseRmcp,
} from "../../src/lan/rmcp_packet.ts";
import { SeqWindow } from "../../src/lan/seq_window.ts";
import { AuthAlg, IntegrityAlg } from "../../src/lan/constants.ts";
import { lanRequest } from "./_console.ts";

async function webHmac(hash: "SHA-1" | "SHA-256", key: Uint8Array, data: Uint8Array) {
  const k = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(key),
    { name: "HMAC", hash },
    false,
    [
      "sign",
    ],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, new Uint8Array(data)));
}

const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

Deno.test("parseRmcp() rejects every malformed datagram with a reason", async (t) => {
  const cases: [string, number[], string][] = [
    ["empty", [], "short"],
    ["RMCP header only", [6, 0, 0xff, 7], "short"],
    ["wrong version", [5, 0, 0xff, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "not-rmcp"],
    ["RMCP ACK", [6, 0, 0xff, 0x86, 0], "rmcp-ack"],
    ["unknown class", [6, 0, 0xff, 0x08, 0], "unknown-class"],
    ["ASF but not a ping", [6, 0, 0xff, 6, 0, 0, 0x11, 0xbe, 0x40, 0, 0, 0], "asf-not-ping"],
    ["ASF with another IANA", [6, 0, 0xff, 6, 0, 0, 0x11, 0xbf, 0x80, 0, 0, 0], "asf-not-ping"],
    ["v1.5 short", [6, 0, 0xff, 7, 0, 0, 0, 0, 0], "short"],
    ["v1.5 length beyond", [6, 0, 0xff, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 1], "bad-length"],
    ["v2.0 short header", [6, 0, 0xff, 7, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0], "short"],
    ["v2.0 length beyond", [6, 0, 0xff, 7, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 1], "bad-length"],
    ["v2.0 unauthenticated with trailing bytes", [
      6,
      0,
      0xff,
      7,
      6,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
    ], "bad-length"],
    ["v2.0 OEM explicit", [6, 0, 0xff, 7, 6, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "oem-payload"],
  ];
  for (const [name, input, reason] of cases) {
    await t.step(
      name,
      () => assert.deepEqual(parseRmcp(Uint8Array.from(input)), { kind: "drop", reason }),
    );
  }
  await t.step(
    "oversized",
    () => assert.deepEqual(parseRmcp(new Uint8Array(2000)), { kind: "drop", reason: "oversized" }),
  );
});

Deno.test("encodeV15() and encodeV20() round-trip through parseRmcp()", () => {
  const msg = lanRequest(0x06, 0x38, [0x8e, 0x04]);
  const v15 = parseRmcp(encodeV15(msg));
  assert.equal(v15.kind, "v15");
  if (v15.kind === "v15") assert.deepEqual(v15.message, msg);
  const k1 = bytes(20, 7);
  const signed = encodeV20(0, 0x11223344, 5, msg, {
    encrypted: false,
    sign: (c) => integrityCode(IntegrityAlg.HmacSha1_96, k1, c),
  });
  const p = parseRmcp(signed);
  assert.equal(p.kind, "v20");
  if (p.kind !== "v20") return;
  assert.equal(p.sessionId, 0x11223344);
  assert.equal(p.seq, 5);
  assert.equal(p.authenticated, true);
  assert.deepEqual(p.payload, msg);
  const parts = integrityParts(p, 12)!;
  assert.equal(parts.covered.length % 4, 0);
  assert.deepEqual(parts.code, integrityCode(IntegrityAlg.HmacSha1_96, k1, parts.covered));
  assert.equal(integrityParts(p, 16), null);
});

Deno.test("encodeAsfPong() answers with the ping's tag and IPMI supported", () => {
  const pong = encodeAsfPong(0x33);
  assert.equal(pong.length, 28);
  assert.deepEqual([...pong.subarray(8, 12)], [0x40, 0x33, 0, 0x10]);
  assert.equal(pong[20], 0x81);
});

Deno.test("decodeLanRequest() checks both checksums; encodeLanResponse() echoes seq and swaps addresses", () => {
  const m = lanRequest(0x06, 0x01, [], 9);
  const req = decodeLanRequest(m)!;
  assert.deepEqual([req.netfn, req.cmd, req.rqSeq, req.rqAddr], [0x06, 0x01, 9, 0x81]);
  const bad1 = m.slice();
  bad1[2]! ^= 1;
  assert.equal(decodeLanRequest(bad1), null);
  const bad2 = m.slice();
  bad2[bad2.length - 1]! ^= 1;
  assert.equal(decodeLanRequest(bad2), null);
  assert.equal(decodeLanRequest(m.subarray(0, 6)), null);
  const rsp = encodeLanResponse(req, 0, Uint8Array.of(0xaa));
  assert.deepEqual([...rsp.subarray(0, 2)], [0x81, 0x07 << 2]);
  assert.deepEqual([rsp[3], rsp[4], rsp[5], rsp[6], rsp[7]], [0x20, 9 << 2, 0x01, 0x00, 0xaa]);
  assert.equal(rsp.reduce((a, b) => a + b, 0) - rsp[0]! - rsp[1]! - rsp[2]! & 0xff, 0);
});

Deno.test("RAKP HMACs and session keys match the spec's layout computed with WebCrypto", async () => {
  const kuid = new TextEncoder().encode("secret");
  const rm = bytes(16, 0x11);
  const rc = bytes(16, 0x22);
  const guid = bytes(16, 0x33);
  const sidm = Uint8Array.of(1, 2, 3, 4);
  const sidc = Uint8Array.of(5, 6, 7, 8);
  const roleName = Uint8Array.of(0x14, 5, ...new TextEncoder().encode("admin"));
  for (
    const [alg, hash] of [[AuthAlg.HmacSha1, "SHA-1"], [AuthAlg.HmacSha256, "SHA-256"]] as const
  ) {
    // RAKP 2: SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm
    const rakp2 = Uint8Array.from([...sidm, ...sidc, ...rm, ...rc, ...guid, ...roleName]);
    assert.deepEqual(
      rakpHmac(alg, kuid, sidm, sidc, rm, rc, guid, roleName),
      await webHmac(hash, kuid, rakp2),
    );
    // SIK: Rm | Rc | ROLEm | ULENGTHm | UNAMEm; K1/K2 from 20-byte constants.
    const keys = deriveSessionKeys(alg, kuid, rm, rc, roleName);
    const sik = await webHmac(hash, kuid, Uint8Array.from([...rm, ...rc, ...roleName]));
    assert.deepEqual(keys.sik, sik);
    assert.deepEqual(keys.k1, await webHmac(hash, sik, bytes(20, 1)));
    assert.deepEqual(keys.k2, await webHmac(hash, sik, bytes(20, 2)));
  }
});

Deno.test("aesEncrypt()/aesDecrypt() round-trip every length with the RMCP+ pad", () => {
  const k2 = bytes(20, 9);
  const iv = bytes(16, 4);
  for (let n = 0; n < 40; n++) {
    const plain = Uint8Array.from({ length: n }, (_, i) => i);
    const enc = aesEncrypt(k2, plain, iv);
    assert.equal((enc.length - 16) % 16, 0);
    assert.deepEqual(aesDecrypt(k2, enc), plain);
  }
  assert.equal(aesDecrypt(k2, bytes(20, 0)), null);
  assert.equal(aesDecrypt(k2, bytes(16, 0)), null);
  const tampered = aesEncrypt(k2, bytes(3, 1), iv);
  tampered[tampered.length - 1]! ^= 0xff;
  assert.equal(aesDecrypt(k2, tampered), null);
});

Deno.test("SeqWindow accepts each number once within 16 ahead and 32 behind", () => {
  const w = new SeqWindow();
  assert.equal(w.accept(0), false);
  assert.equal(w.accept(100), true);
  assert.equal(w.accept(100), false);
  assert.equal(w.accept(116), true);
  assert.equal(w.accept(133), false);
  assert.equal(w.accept(101), true);
  assert.equal(w.accept(101), false);
  assert.equal(w.accept(84), false);
  assert.equal(w.accept(85), true);
  const wrap = new SeqWindow();
  assert.equal(wrap.accept(0xffffffff), true);
  assert.equal(wrap.accept(3), true);
  assert.equal(wrap.accept(0xfffffffe), true);
});
