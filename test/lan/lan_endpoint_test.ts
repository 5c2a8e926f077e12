import assert from "node:assert/strict";
import { LanEndpoint } from "../../src/lan/lan_endpoint.ts";
import { UserTable } from "../../src/lan/users.ts";
import { RakpStatus } from "../../src/lan/constants.ts";
import { encodeV20, parseRmcp } from "../../src/lan/rmcp_packet.ts";
import { type LogFields, type Logger, NullLogger } from "../../src/log/logger.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { testBmc } from "../_helpers/test_bmc.ts";
import { lanRequest, TestConsole } from "./_console.ts";

const PEER = { address: "127.0.0.1", port: 40000 };

function rig(
  options: {
    limits?: { maxActive?: number; maxPending?: number };
    log?: Logger;
    store?: MemoryStore;
  } = {},
) {
  const t = testBmc();
  const sent: Uint8Array[] = [];
  const toGuest: Uint8Array[] = [];
  const store = options.store ?? new MemoryStore();
  const lan = new LanEndpoint({
    bmc: t.bmc,
    clock: t.clock,
    events: t.events,
    log: options.log ?? t.bmc.log,
    users: new UserTable([
      { id: 2, name: "admin", password: "secret", privilege: 4 },
      { id: 3, name: "bob", password: "bobpw", privilege: 2 },
    ], store),
    address: { ip: [127, 0, 0, 1], netmask: [255, 0, 0, 0], mac: [2, 0, 0, 0, 0, 1], port: 623 },
    send: (bytes) => void sent.push(bytes),
    toGuest: (b) => void toGuest.push(b),
    store,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  });
  const wire = {
    send: (b: Uint8Array) => lan.receive(b, PEER),
    take: () => sent.splice(0),
  };
  return {
    ...t,
    lan,
    sent,
    store,
    wire,
    toGuest,
    console: (consoleId?: number) => new TestConsole(wire, consoleId),
  };
}

Deno.test("LanEndpoint answers an ASF Presence Ping with a Pong", () => {
  const r = rig();
  r.lan.receive(Uint8Array.of(6, 0, 0xff, 6, 0, 0, 0x11, 0xbe, 0x80, 0x42, 0, 0), PEER);
  assert.equal(r.sent.length, 1);
  assert.equal(r.sent[0]![8], 0x40);
  assert.equal(r.sent[0]![9], 0x42);
  r.lan.close();
});

Deno.test("LanEndpoint answers session-less Get Channel Authentication Capabilities", () => {
  const r = rig();
  r.lan.receive(encodeV20(0, 0, 0, lanRequest(0x06, 0x38, [0x8e, 0x04])), PEER);
  const p = parseRmcp(r.sent[0]!);
  assert.equal(p.kind, "v20");
  if (p.kind !== "v20") return;
  assert.deepEqual([...p.payload.subarray(6, 15)], [0x00, 0x01, 0x80, 0x04, 0x02, 0, 0, 0, 0]);
  r.lan.close();
});

for (const suite of [1, 2, 3, 15, 16, 17]) {
  Deno.test(`LanEndpoint opens a cipher suite ${suite} session and routes requests to the core`, async () => {
    const r = rig();
    const c = r.console();
    assert.equal(await c.login({ suite, user: "admin", password: "secret" }), 0);
    const [priv] = await c.request(0x06, 0x3b, [0x04]);
    assert.deepEqual([priv!.cc, ...priv!.data], [0, 4]);
    const [id] = await c.request(0x06, 0x01);
    assert.equal(id!.cc, 0);
    assert.equal(id!.data[0], 0x20);
    const ev = r.events.events.find((e) => e.type === "ipmi.request");
    assert.equal(ev?.data.channel, "lan");
    assert.equal(ev?.data.user, "admin");
    r.lan.close();
  });
}

Deno.test("LanEndpoint: wrong password fails RAKP 3 with 0x0F; unknown user fails RAKP 1 with 0x0D", async () => {
  const r = rig();
  assert.equal(
    await r.console().login({ suite: 3, user: "admin", password: "wrong" }),
    RakpStatus.InvalidIntegrityCheck,
  );
  assert.equal(
    await r.console().login({ suite: 3, user: "nobody", password: "x" }),
    RakpStatus.UnauthorizedName,
  );
  assert.equal(r.lan.stats.authFailures, 2);
  assert.equal(r.lan.sessions().length, 0);
  r.lan.close();
});

Deno.test("LanEndpoint: a User session cannot power off (0xD4); asking for more than the user has fails RAKP", async () => {
  const r = rig();
  assert.equal(
    await r.console().login({ suite: 17, user: "bob", password: "bobpw" }),
    RakpStatus.UnauthorizedRole,
  );
  const c = r.console();
  assert.equal(await c.login({ suite: 17, user: "bob", password: "bobpw", role: 0x12 }), 0);
  const [off] = await c.request(0x00, 0x02, [0x00]);
  assert.equal(off!.cc, 0xd4);
  const [up] = await c.request(0x06, 0x3b, [0x04]);
  assert.equal(up!.cc, 0x81);
  const [status] = await c.request(0x00, 0x01);
  assert.equal(status!.cc, 0);
  r.lan.close();
});

Deno.test("LanEndpoint drops replays, bad AuthCodes and unknown sessions", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 3, user: "admin", password: "secret" });
  const packet = c.wrap(0, lanRequest(0x06, 0x01));
  r.lan.receive(packet, PEER);
  assert.equal(r.sent.splice(0).length, 1);
  r.lan.receive(packet, PEER);
  assert.equal(r.sent.splice(0).length, 0);
  const bad = c.wrap(0, lanRequest(0x06, 0x01));
  bad[bad.length - 1]! ^= 1;
  r.lan.receive(bad, PEER);
  assert.equal(r.sent.splice(0).length, 0);
  c.bmcId ^= 1;
  assert.deepEqual(await c.request(0x06, 0x01), []);
  assert.deepEqual(r.lan.stats.dropped, { "replay": 1, "bad-auth-code": 1, "unknown-session": 1 });
  r.lan.close();
});

Deno.test("LanEndpoint ends a session after 60 s idle and on a BMC reset", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 3, user: "admin", password: "secret" });
  r.clock.advance(59_999);
  assert.equal((await c.request(0x06, 0x01)).length, 1);
  r.clock.advance(60_000);
  assert.deepEqual(await c.request(0x06, 0x01), []);
  const d = r.console();
  await d.login({ suite: 3, user: "admin", password: "secret" });
  r.lan.dropSessions("BMC reset");
  assert.deepEqual(await d.request(0x06, 0x01), []);
  r.lan.close();
});

Deno.test("LanEndpoint bounds sessions: active limit answers 0x01, pending ones are evicted", async () => {
  const r = rig({ limits: { maxActive: 2, maxPending: 4 } });
  for (let i = 0; i < 2; i++) {
    assert.equal(await r.console().login({ suite: 3, user: "admin", password: "secret" }), 0);
  }
  assert.equal(
    await r.console().login({ suite: 3, user: "admin", password: "secret" }),
    RakpStatus.InsufficientResources,
  );
  r.lan.close();
  const f = rig({ limits: { maxActive: 2, maxPending: 4 } });
  for (let i = 0; i < 1000; i++) {
    f.lan.receive(
      encodeV20(
        0x10,
        0,
        0,
        Uint8Array.from([
          i & 0xff,
          0,
          0,
          0,
          1,
          2,
          3,
          4,
          0,
          0,
          0,
          8,
          1,
          0,
          0,
          0,
          1,
          0,
          0,
          8,
          1,
          0,
          0,
          0,
          2,
          0,
          0,
          8,
          1,
          0,
          0,
          0,
        ]),
      ),
      PEER,
    );
  }
  f.sent.splice(0);
  assert.equal(await f.console().login({ suite: 3, user: "admin", password: "secret" }), 0);
  f.lan.close();
});

Deno.test("LanEndpoint: a fault rule matching channel lan affects LAN requests only", async () => {
  const r = rig();
  r.bmc.faults.add({
    match: { channel: "lan", netfn: 0x06, cmd: 0x01 },
    action: { type: "error", cc: 0xc0 },
    limits: { skip: 0, count: null, probability: 1, seed: 1, untilWallMs: null, durationMs: null },
  });
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  assert.equal((await c.request(0x06, 0x01))[0]!.cc, 0xc0);
  assert.equal(r.send(0x06, 0x01).cc, 0);
  r.lan.close();
});

Deno.test("LanEndpoint: a Platform Event Message over LAN is logged with the requester as generator", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]); // Set Session Privilege Level: administrator
  // ipmitool event 1 over LAN: EvM Rev 4, temperature 0x30, threshold, upper critical going high.
  const [reply] = await c.request(0x04, 0x02, [0x04, 0x01, 0x30, 0x01, 0x09, 0xff, 0xff]);
  assert.equal(reply!.cc, 0);
  const entry = r.send(0x0a, 0x43, [0, 0, 0, 0, 0, 0xff]);
  assert.equal(entry.cc, 0);
  const record = [...entry.data.subarray(2)];
  assert.deepEqual(record.slice(7, 16), [0x81, 0x00, 0x04, 0x01, 0x30, 0x01, 0x09, 0xff, 0xff]);
  r.lan.close();
});

Deno.test("LanEndpoint carries SOL: activation, one instance, input acked once, output retried until acked", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  const [act] = await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]);
  assert.equal(act!.cc, 0);
  assert.equal(act!.data.length, 12);
  const d = r.console();
  await d.login({ suite: 3, user: "admin", password: "secret" });
  await d.request(0x06, 0x3b, [0x04]);
  assert.equal((await d.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0x80);
  // Console input: acked, written once even when retransmitted.
  await c.solSend([1, 0, 0, 0, 0x6c, 0x73, 0x0d]);
  await c.solSend([1, 0, 0, 0, 0x6c, 0x73, 0x0d]);
  assert.equal(r.toGuest.length, 1);
  assert.deepEqual([...c.sol.splice(0)[1]!], [0, 1, 3, 0]);
  // Guest output: accumulated, sent, retried, then acked.
  r.lan.sol.output(new TextEncoder().encode("login: "));
  r.clock.advance(60);
  c.unwrap(r.sent.splice(0));
  const first = c.sol.splice(0)[0]!;
  assert.equal(new TextDecoder().decode(first.subarray(4)), "login: ");
  r.clock.advance(100);
  c.unwrap(r.sent.splice(0));
  assert.equal(c.sol.splice(0)[0]![0], first[0]);
  await c.solSend([0, first[0]!, 7, 0]);
  r.clock.advance(1000);
  assert.equal(r.sent.splice(0).length, 0);
  assert.equal((await c.request(0x06, 0x49, [1, 1, 0, 0, 0, 0]))[0]!.cc, 0);
  r.lan.close();
});

Deno.test("LanEndpoint: users changed over LAN persist in the store", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 3, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  const name = [...new TextEncoder().encode("carol"), ...new Array(11).fill(0)];
  assert.equal((await c.request(0x06, 0x45, [4, ...name]))[0]!.cc, 0);
  const pw = [...new TextEncoder().encode("carolpw"), ...new Array(9).fill(0)];
  assert.equal((await c.request(0x06, 0x47, [4, 2, ...pw]))[0]!.cc, 0);
  assert.equal((await c.request(0x06, 0x47, [4, 1, ...pw]))[0]!.cc, 0);
  assert.equal((await c.request(0x06, 0x47, [4, 3, ...pw]))[0]!.cc, 0);
  assert.equal((await c.request(0x06, 0x47, [4, 3, ...new Array(16).fill(0x41)]))[0]!.cc, 0x80);
  assert.equal((await c.request(0x06, 0x43, [0x91, 4, 3]))[0]!.cc, 0);
  assert.equal(
    await r.console().login({ suite: 3, user: "carol", password: "carolpw", role: 0x13 }),
    0,
  );
  r.lan.close();
});

Deno.test("LanEndpoint survives 100 000 random datagrams without throwing or growing", () => {
  const r = rig({ limits: { maxActive: 4, maxPending: 8 } });
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (let i = 0; i < 100_000; i++) {
    const n = next() % 80;
    const b = new Uint8Array(n);
    for (let j = 0; j < n; j++) b[j] = next();
    if (n > 4 && i % 2 === 0) b.set([6, 0, 0xff, 7, 6], 0);
    if (n > 6 && i % 4 === 0) b[5] = [0x10, 0x12, 0x14, 0x00, 0x01][i % 5]!;
    r.lan.receive(b, PEER);
    r.sent.length = 0;
  }
  assert.ok(r.lan.stats.received === 100_000);
  assert.ok(r.lan.sessions().length <= 4);
  r.lan.close();
});

Deno.test("a hang of one interface leaves the other working", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 3, user: "admin", password: "secret" });
  r.bmc.startHang({ mode: "silent", channel: "system" }, "test");
  assert.equal((await c.request(0x06, 0x01))[0]!.cc, 0);
  assert.equal(
    r.bmc.handle({ netfn: 0x06, lun: 0, cmd: 0x01, data: new Uint8Array(0) }).kind,
    "drop",
  );
  r.bmc.startHang({ mode: "wedge", channel: "lan" }, "test");
  assert.deepEqual(await c.request(0x06, 0x01), []);
  assert.equal(r.send(0x06, 0x01).cc, 0);
  r.bmc.releaseHang(null);
  assert.equal((await c.request(0x06, 0x01))[0]!.cc, 0);
  r.lan.close();
});

Deno.test("LanEndpoint: LAN parameter 24 gives one privilege nibble per cipher suite id, by id", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  const [p24] = await c.request(0x0c, 0x02, [0x01, 24, 0, 0]);
  // Suites 1, 2, 3 and 15 enabled: nibbles 1-3 and 15 are Administrator (4), 0 and 4-14 unused;
  // 16 and 17 have no nibble in this parameter.
  assert.deepEqual([p24!.cc, ...p24!.data], [0, 0x11, 0x00, 0x40, 0x44, 0, 0, 0, 0, 0, 0x40]);
  r.lan.close();
});

/**
 * Two administrator sessions, SOL active in the first (`c`); the second (`d`)
 * sends `netfn`/`cmd`/`data`. Returns d's answer code and the SOL packets c got.
 */
async function solOtherSessionSends(
  r: ReturnType<typeof rig>,
  netfn: number,
  cmd: number,
  data: number[],
) {
  const c = r.console();
  const d = r.console(0xb0b1b2b3);
  for (const x of [c, d]) {
    await x.login({ suite: 17, user: "admin", password: "secret" });
    await x.request(0x06, 0x3b, [0x04]);
  }
  assert.equal((await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0);
  r.lan.receive(d.wrap(0, lanRequest(netfn, cmd, data)), PEER);
  const out = r.sent.splice(0);
  const cc = d.unwrap(out)[0]!.cc;
  c.unwrap(out);
  return { c, d, cc, notices: c.sol.splice(0).map((p) => [...p]) };
}

Deno.test("LanEndpoint: SOL taken away by another session tells its console 'SOL deactivating'", async () => {
  const r = rig();
  const { d, cc, notices } = await solOtherSessionSends(r, 0x06, 0x49, [1, 1, 0, 0, 0, 0]);
  assert.equal(cc, 0);
  // Status bit 4 (SOL deactivating), no data, no sequence number.
  assert.deepEqual(notices, [[0, 0, 0, 0x10]]);
  // Deactivating one's own SOL sends no such packet.
  assert.equal((await d.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0);
  assert.equal((await d.request(0x06, 0x49, [1, 1, 0, 0, 0, 0]))[0]!.cc, 0);
  assert.deepEqual(d.sol, []);
  r.lan.close();
});

Deno.test("LanEndpoint: Set/Get User Payload Access gate SOL per user and persist", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  assert.deepEqual((await c.request(0x06, 0x4d, [0x01, 2]))[0], {
    cc: 0,
    data: Uint8Array.of(2, 0, 0, 0),
  });
  assert.deepEqual((await c.request(0x06, 0x4d, [0x01, 5]))[0]!.data, Uint8Array.of(0, 0, 0, 0));
  // Disable SOL (operation 01b in bits 7:6) for user 2: activation is refused with 0xD4.
  assert.equal((await c.request(0x06, 0x4c, [0x01, 0x42, 0x02, 0, 0, 0]))[0]!.cc, 0);
  assert.deepEqual((await c.request(0x06, 0x4d, [0x01, 2]))[0]!.data, Uint8Array.of(0, 0, 0, 0));
  assert.equal((await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0xd4);
  assert.equal(new UserTable([], r.store).get(2)!.sol, false);
  assert.equal((await c.request(0x06, 0x4c, [0x01, 0x02, 0x02, 0, 0, 0]))[0]!.cc, 0);
  assert.equal((await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0);
  // Malformed: short, user 16, operation 10b.
  assert.equal((await c.request(0x06, 0x4d, [0x01]))[0]!.cc, 0xc7);
  assert.equal((await c.request(0x06, 0x4d, [0x01, 16]))[0]!.cc, 0xcc);
  assert.equal((await c.request(0x06, 0x4c, [0x01, 0x82, 0x02, 0, 0, 0]))[0]!.cc, 0xcc);
  r.lan.close();
});

Deno.test("LanEndpoint logs a refused handshake with the RAKP message that carried the status", async () => {
  const refusals: LogFields[] = [];
  const log = new class extends NullLogger {
    override info(message: string, fields?: LogFields): void {
      if (message === "RMCP+ session refused") refusals.push(fields ?? {});
    }
  }();
  const r = rig({ log });
  await r.console().login({ suite: 3, user: "nobody", password: "x" });
  await r.console().login({ suite: 3, user: "admin", password: "wrong" });
  assert.deepEqual(refusals.map((f) => [f.step, f.status]), [
    ["rakp2", RakpStatus.UnauthorizedName],
    ["rakp4", RakpStatus.InvalidIntegrityCheck],
  ]);
  r.lan.close();
});

Deno.test("LanEndpoint: SOL 'force encryption' refuses activation in a session without confidentiality (0x84)", async () => {
  const r = rig();
  const admin = async (suite: number, consoleId?: number) => {
    const c = r.console(consoleId);
    await c.login({ suite, user: "admin", password: "secret" });
    await c.request(0x06, 0x3b, [0x04]);
    return c;
  };
  const c = await admin(17);
  assert.equal((await c.request(0x0c, 0x21, [0x01, 0x02, 0x82]))[0]!.cc, 0);
  const plain = await admin(2, 0xb0b1b2b3);
  assert.equal((await plain.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0x84);
  assert.equal((await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0);
  r.lan.close();
});

Deno.test("LanEndpoint: SOL parameters set over LAN persist; the volatile bit rate restarts as the non-volatile one", async () => {
  const store = new MemoryStore();
  const r = rig({ store });
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  for (const set of [[1, 0], [2, 0x83], [3, 10, 50], [4, 5, 20], [5, 0x09], [6, 0x07]]) {
    assert.equal((await c.request(0x0c, 0x21, [0x01, ...set]))[0]!.cc, 0, `parameter ${set[0]}`);
  }
  r.lan.close();
  const again = rig({ store });
  const d = again.console();
  await d.login({ suite: 17, user: "admin", password: "secret" });
  await d.request(0x06, 0x3b, [0x04]);
  const get = async (
    param: number,
  ) => [...(await d.request(0x0c, 0x22, [0x01, param, 0, 0]))[0]!.data.subarray(1)];
  assert.deepEqual(
    [await get(1), await get(2), await get(3), await get(4), await get(5), await get(6)],
    [[0], [0x83], [10, 50], [5, 20], [0x09], [0x09]],
  );
  again.lan.close();
});

Deno.test("LanEndpoint: Set Channel Access accepts what Get reports and refuses other modes (0x83) and limits", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  const set = async (access: number, limit: number) =>
    (await c.request(0x06, 0x40, [0x01, access, limit]))[0]!.cc;
  assert.equal(await set(0x82, 0x84), 0); // volatile: always available; limit Administrator
  assert.equal(await set(0x00, 0x00), 0); // nothing set
  assert.equal(await set(0x80, 0x00), 0x83); // disabled
  assert.equal(await set(0x42, 0x00), 0); // non-volatile: always available
  assert.equal(await set(0x92, 0x00), 0xcc); // per-message authentication off
  assert.equal(await set(0x00, 0x83), 0xcc); // Operator limit
  assert.deepEqual((await c.request(0x06, 0x41, [0x01, 0x80]))[0]!.data, Uint8Array.of(0x02, 0x04));
  r.lan.close();
});

Deno.test("LanEndpoint: a user whose limit is set to 'no access' (0x0F) cannot log in at any level", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  assert.equal((await c.request(0x06, 0x43, [0x91, 3, 0x0f]))[0]!.cc, 0);
  for (const role of [0x12, 0x14]) {
    assert.equal(
      await r.console(0xb0b1b2b3).login({ suite: 17, user: "bob", password: "bobpw", role }),
      RakpStatus.UnauthorizedName,
    );
  }
  assert.equal((await c.request(0x06, 0x43, [0x91, 3, 0x02]))[0]!.cc, 0);
  assert.equal(
    await r.console(0xb0b1b2b3).login({ suite: 17, user: "bob", password: "bobpw", role: 0x12 }),
    0,
  );
  r.lan.close();
});

Deno.test("LanEndpoint: Set User Name refuses a name another user has (0xCC)", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  const name = (id: number, text: string) => {
    const bytes = new Uint8Array(16);
    bytes.set(new TextEncoder().encode(text));
    return c.request(0x06, 0x45, [id, ...bytes]);
  };
  assert.equal((await name(5, "admin"))[0]!.cc, 0xcc);
  assert.equal((await name(5, "carol"))[0]!.cc, 0);
  assert.equal((await name(5, "carol"))[0]!.cc, 0, "renaming a user to its own name");
  assert.equal((await name(2, "carol"))[0]!.cc, 0xcc);
  r.lan.close();
});

Deno.test("LanEndpoint: Set User Access stores callback-only, link authentication and IPMI messaging; messaging off blocks login (0x0D)", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  const access = async () => (await c.request(0x06, 0x44, [0x01, 3]))[0]!.data[3];
  assert.equal(await access(), 0x12); // configured: IPMI messaging on, User
  // As ipmitool channel setaccess 1 3 callin=off ipmi=off link=on privilege=2 sends it.
  assert.equal((await c.request(0x06, 0x43, [0xe1, 3, 0x02]))[0]!.cc, 0);
  assert.equal(await access(), 0x62);
  assert.equal(new UserTable([], r.store).get(3)!.linkAuth, true, "persisted");
  assert.equal(
    await r.console(0xb0b1b2b3).login({ suite: 17, user: "bob", password: "bobpw", role: 0x12 }),
    RakpStatus.UnauthorizedName,
  );
  // Bit 7 clear: the access bits stay as they are, only the limit changes.
  assert.equal((await c.request(0x06, 0x43, [0x01, 3, 0x03]))[0]!.cc, 0);
  assert.equal(await access(), 0x63);
  assert.equal((await c.request(0x06, 0x43, [0x91, 3, 0x02]))[0]!.cc, 0);
  assert.equal(await access(), 0x12);
  assert.equal(
    await r.console(0xb0b1b2b3).login({ suite: 17, user: "bob", password: "bobpw", role: 0x12 }),
    0,
  );
  r.lan.close();
});

Deno.test("LanEndpoint: SOL 'force authentication' refuses activation in a session without integrity (0xD4)", async () => {
  const r = rig();
  const c = r.console();
  await c.login({ suite: 17, user: "admin", password: "secret" });
  await c.request(0x06, 0x3b, [0x04]);
  assert.equal((await c.request(0x0c, 0x21, [0x01, 0x02, 0x42]))[0]!.cc, 0);
  for (const suite of [1, 15]) {
    const plain = r.console(0xb0b1b2b3 + suite);
    await plain.login({ suite, user: "admin", password: "secret" });
    await plain.request(0x06, 0x3b, [0x04]);
    assert.equal(
      (await plain.request(0x06, 0x48, [1, 1, 0x06, 0, 0, 0]))[0]!.cc,
      0xd4,
      `suite ${suite}`,
    );
  }
  const integrity = r.console(0xc0c1c2c3);
  await integrity.login({ suite: 2, user: "admin", password: "secret" });
  await integrity.request(0x06, 0x3b, [0x04]);
  assert.equal((await integrity.request(0x06, 0x48, [1, 1, 0x46, 0, 0, 0]))[0]!.cc, 0);
  r.lan.close();
});

Deno.test("LanEndpoint: disabling SOL (parameter 1) ends the active SOL session and refuses activation (0x81)", async () => {
  const r = rig();
  const { c, d, cc, notices } = await solOtherSessionSends(r, 0x0c, 0x21, [0x01, 0x01, 0x00]);
  assert.equal(cc, 0);
  assert.deepEqual(notices, [[0, 0, 0, 0x10]]);
  assert.deepEqual((await d.request(0x06, 0x4a, [0x01]))[0]!.data, Uint8Array.of(1, 0, 0));
  assert.equal((await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0x81);
  assert.equal((await d.request(0x0c, 0x21, [0x01, 0x01, 0x01]))[0]!.cc, 0);
  assert.equal((await c.request(0x06, 0x48, [1, 1, 0xc6, 0, 0, 0]))[0]!.cc, 0);
  r.lan.close();
});
