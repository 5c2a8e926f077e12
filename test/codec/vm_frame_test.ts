import assert from "node:assert/strict";
import { VmChar } from "../../src/codec/constants.ts";
import { decodeVmControl, encodeVmControl } from "../../src/codec/vm_control.ts";
import {
  encodeVmFrame,
  MAX_FRAME_BODY,
  VmFrameDecoder,
  type VmFrameEvent,
} from "../../src/codec/vm_frame.ts";
import {
  decodeVmRequest,
  decodeVmResponse,
  encodeVmRequest,
  encodeVmResponse,
} from "../../src/codec/vm_message.ts";
import { Prng } from "../../src/util/prng.ts";

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/).map((b) => parseInt(b, 16)));
}

function decodeAll(bytes: Uint8Array, minMessageBytes = 4): VmFrameEvent[] {
  return new VmFrameDecoder({ minMessageBytes }).push(bytes);
}

// Golden frames observed on the wire between ipmi_sim 2.0.33 and a scripted
// QEMU stand-in (vm-protocol.md §1.2).
Deno.test("encodeVmRequest() matches the golden Get Device ID frames", async (t) => {
  await t.step("seq 00", () => {
    const bytes = encodeVmRequest(0x00, { netfn: 0x06, lun: 0, cmd: 0x01, data: new Uint8Array() });
    assert.deepEqual(bytes, hex("00 18 01 E7 A0"));
  });
  await t.step("seq A0 travels escaped", () => {
    const bytes = encodeVmRequest(0xa0, { netfn: 0x06, lun: 0, cmd: 0x01, data: new Uint8Array() });
    assert.deepEqual(bytes, hex("AA B0 18 01 47 A0"));
  });
});

Deno.test("decodeVmResponse() reads the golden ipmi_sim Get Device ID response", () => {
  const wire = hex("00 1C 01 00 00 03 09 08 02 9F 91 12 00 02 0F 00 00 00 00 7A A0");
  const [event] = decodeAll(wire, 5);
  assert.equal(event?.kind, "message");
  const { seq, response } = decodeVmResponse((event as { body: Uint8Array }).body);
  assert.equal(seq, 0);
  assert.equal(response.netfn, 0x07);
  assert.equal(response.cmd, 0x01);
  assert.equal(response.cc, 0x00);
  assert.deepEqual(response.data, hex("00 03 09 08 02 9F 91 12 00 02 0F 00 00 00 00"));
});

/** Frames covering every escaping case: seq, data, cc and checksum bytes. */
const REQUEST_VECTORS: { name: string; seq: number; netfn: number; cmd: number; data: number[] }[] =
  [
    { name: "seq 00, no data", seq: 0x00, netfn: 0x06, cmd: 0x01, data: [] },
    { name: "seq A0", seq: 0xa0, netfn: 0x06, cmd: 0x01, data: [] },
    { name: "seq A1", seq: 0xa1, netfn: 0x06, cmd: 0x01, data: [] },
    { name: "seq AA", seq: 0xaa, netfn: 0x06, cmd: 0x01, data: [] },
    {
      name: "data with A0 A1 AA",
      seq: 0x10,
      netfn: 0x0a,
      cmd: 0x44,
      data: [0xa0, 0xa1, 0xaa, 0x00, 0xff],
    },
    { name: "command byte A0", seq: 0x05, netfn: 0x2e, cmd: 0xa0, data: [1] },
    // 0x00+0x18+0x01+x ≡ -0xA0 → checksum A0 when x = 0x47
    { name: "checksum A0", seq: 0x00, netfn: 0x06, cmd: 0x01, data: [0x47] },
    { name: "checksum A1", seq: 0x00, netfn: 0x06, cmd: 0x01, data: [0x46] },
    { name: "checksum AA", seq: 0x00, netfn: 0x06, cmd: 0x01, data: [0x3d] },
    {
      name: "longest request",
      seq: 0x7f,
      netfn: 0x0a,
      cmd: 0x12,
      data: Array.from({ length: 298 }, (_, i) => i & 0xff),
    },
  ];

Deno.test("VM request frames round-trip through encode and decode", async (t) => {
  for (const v of REQUEST_VECTORS) {
    await t.step(v.name, () => {
      const wire = encodeVmRequest(v.seq, {
        netfn: v.netfn,
        lun: 0,
        cmd: v.cmd,
        data: Uint8Array.from(v.data),
      });
      assert.equal(wire[wire.length - 1], VmChar.Message);
      for (let i = 0; i < wire.length - 1; i++) {
        assert.ok(
          wire[i] !== VmChar.Message && wire[i] !== VmChar.Command,
          `raw terminator at ${i}`,
        );
      }
      const events = decodeAll(wire);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.kind, "message");
      const { seq, request } = decodeVmRequest((events[0] as { body: Uint8Array }).body);
      assert.equal(seq, v.seq);
      assert.equal(request.netfn, v.netfn);
      assert.equal(request.cmd, v.cmd);
      assert.deepEqual([...request.data], v.data);
    });
  }
});

Deno.test("VM response frames round-trip, including cc and seq A0/A1/AA", async (t) => {
  for (const seq of [0x00, 0xa0, 0xa1, 0xaa, 0xff]) {
    for (const cc of [0x00, 0xa0, 0xc1]) {
      await t.step(`seq ${seq.toString(16)} cc ${cc.toString(16)}`, () => {
        const response = { netfn: 0x07, lun: 0, cmd: 0x01, cc, data: Uint8Array.of(0xaa, 0x20) };
        const [event] = decodeAll(encodeVmResponse(seq, response), 5);
        assert.equal(event?.kind, "message");
        const decoded = decodeVmResponse((event as { body: Uint8Array }).body);
        assert.equal(decoded.seq, seq);
        assert.deepEqual({ ...decoded.response, data: [...decoded.response.data] }, {
          ...response,
          data: [0xaa, 0x20],
        });
      });
    }
  }
});

Deno.test("VM control frames round-trip, arguments escaped", () => {
  assert.deepEqual(encodeVmControl(0xff, [0x01]), hex("FF 01 A1"));
  assert.deepEqual(encodeVmControl(0x08, [0x3f]), hex("08 3F A1"));
  assert.deepEqual(encodeVmControl(0x04), hex("04 A1"));
  const odd = encodeVmControl(0x08, [0xa1]);
  assert.deepEqual(odd, hex("08 AA B1 A1"));
  const [event] = decodeAll(odd);
  assert.equal(event?.kind, "control");
  const control = decodeVmControl((event as { body: Uint8Array }).body);
  assert.equal(control.op, 0x08);
  assert.deepEqual([...control.args], [0xa1]);
});

Deno.test("VmFrameDecoder.push() gives the same frames when split at every byte offset", () => {
  const stream = new Uint8Array([
    ...encodeVmControl(0xff, [0x01]),
    ...encodeVmControl(0x08, [0x3f]),
    ...REQUEST_VECTORS.flatMap((v) => [
      ...encodeVmRequest(v.seq, {
        netfn: v.netfn,
        lun: 0,
        cmd: v.cmd,
        data: Uint8Array.from(v.data),
      }),
    ]),
  ]);
  const whole = decodeAll(stream);
  assert.equal(whole.length, 2 + REQUEST_VECTORS.length);
  for (let cut = 0; cut <= stream.length; cut++) {
    const decoder = new VmFrameDecoder();
    const events = [
      ...decoder.push(stream.subarray(0, cut)),
      ...decoder.push(stream.subarray(cut)),
    ];
    assert.deepEqual(events, whole, `split at ${cut}`);
  }
  // One byte at a time, as QEMU's socket chardev delivers them.
  const decoder = new VmFrameDecoder();
  const bytewise = [...stream].flatMap((b) => decoder.push(Uint8Array.of(b)));
  assert.deepEqual(bytewise, whole);
});

Deno.test("VmFrameDecoder.push() reports why it dropped bytes, then resynchronises", async (t) => {
  const good = encodeVmRequest(0x01, { netfn: 0x06, lun: 0, cmd: 0x01, data: new Uint8Array() });
  const cases: { name: string; bytes: Uint8Array; reason: string; frame: string }[] = [
    {
      name: "bad checksum",
      bytes: hex("00 18 01 E6 A0"),
      reason: "bad-checksum",
      frame: "message",
    },
    { name: "too short", bytes: hex("18 E8 A0"), reason: "too-short", frame: "message" },
    {
      name: "escape before terminator",
      bytes: hex("00 18 01 E7 AA A0"),
      reason: "escape-at-terminator",
      frame: "message",
    },
    { name: "empty message frame", bytes: hex("A0"), reason: "empty", frame: "message" },
    { name: "empty control frame", bytes: hex("A1"), reason: "empty", frame: "control" },
    {
      name: "too long",
      bytes: new Uint8Array([...new Uint8Array(MAX_FRAME_BODY + 5).fill(0x11), 0xa0]),
      reason: "too-long",
      frame: "message",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const events = decodeAll(new Uint8Array([...c.bytes, ...good]));
      assert.equal(events.length, 2);
      assert.equal(events[0]!.kind, "dropped");
      assert.equal((events[0] as { reason: string }).reason, c.reason);
      assert.equal((events[0] as { frame: string }).frame, c.frame);
      assert.equal(events[1]!.kind, "message");
    });
  }
  await t.step("too long reports every byte it threw away", () => {
    const [event] = decodeAll(new Uint8Array([...new Uint8Array(1000).fill(0x11), 0xa0]));
    assert.deepEqual(event, { kind: "dropped", reason: "too-long", frame: "message", bytes: 1000 });
  });
});

Deno.test("VmFrameDecoder.push() never throws on 100 000 random chunks and stays bounded", () => {
  const prng = new Prng(0xb3c);
  const decoder = new VmFrameDecoder();
  const specials = [0xa0, 0xa1, 0xaa];
  let frames = 0;
  for (let i = 0; i < 100_000; i++) {
    const chunk = prng.bytes(1 + prng.int(64));
    // Bias towards framing bytes so every decoder path is exercised.
    for (let j = 0; j < chunk.length; j++) if (prng.int(8) === 0) chunk[j] = specials[prng.int(3)]!;
    frames += decoder.push(chunk).length;
    assert.ok(decoder.buffered <= MAX_FRAME_BODY);
  }
  assert.ok(frames > 10_000, "random data produced frames and drops");
});

Deno.test("encodeVmFrame() escapes exactly A0, A1 and AA", () => {
  for (let b = 0; b < 256; b++) {
    const out = encodeVmFrame([b], VmChar.Command);
    if (b === 0xa0 || b === 0xa1 || b === 0xaa) assert.deepEqual([...out], [0xaa, b | 0x10, 0xa1]);
    else assert.deepEqual([...out], [b, 0xa1]);
  }
});
