import assert from "node:assert/strict";
import { CompletionCode } from "../../src/codec/constants.ts";
import { fail, ok } from "../../src/core/command.ts";
import { Dispatcher, responseTo } from "../../src/core/dispatcher.ts";
import { StreamLogger } from "../../src/log/stream_logger.ts";

function setup() {
  const lines: string[] = [];
  const log = new StreamLogger({ write: (l) => lines.push(l), format: "json" });
  const d = new Dispatcher<null>([
    { netfn: 0x06, cmd: 0x01, length: 0, handle: () => ok(1, 2) },
    { netfn: 0x06, cmd: 0x2e, length: 1, handle: () => ok() },
    { netfn: 0x06, cmd: 0x30, length: [1, 3], handle: () => fail(0xcc) },
    {
      netfn: 0x06,
      cmd: 0x99,
      length: 0,
      handle: () => {
        throw new Error("boom");
      },
    },
    { netfn: 0x06, cmd: 0x9a, length: 0, handle: () => ({ cc: 0, data: new Uint8Array(400) }) },
  ], log);
  const call = (cmd: number, data: number[] = [], lun = 0, netfn = 0x06) =>
    d.dispatch(null, { netfn, lun, cmd, data: Uint8Array.from(data) });
  return { call, lines };
}

Deno.test("Dispatcher.dispatch() applies the central checks", async (t) => {
  const { call, lines } = setup();
  await t.step(
    "known command runs its handler",
    () => assert.deepEqual([...call(0x01).data], [1, 2]),
  );
  await t.step(
    "request too long → 0xC7",
    () => assert.equal(call(0x01, [0]).cc, CompletionCode.RequestDataLengthInvalid),
  );
  await t.step("request too short → 0xC7", () => assert.equal(call(0x2e, []).cc, 0xc7));
  await t.step("range lengths", () => {
    assert.equal(call(0x30, [1, 2, 3]).cc, 0xcc);
    assert.equal(call(0x30, [1, 2, 3, 4]).cc, 0xc7);
  });
  await t.step(
    "non-zero LUN → 0xC2",
    () => assert.equal(call(0x01, [], 1).cc, CompletionCode.InvalidForLun),
  );
  await t.step(
    "unknown command → 0xC1",
    () => assert.equal(call(0x77).cc, CompletionCode.InvalidCommand),
  );
  await t.step("unknown netfn → 0xC1", () => assert.equal(call(0x01, [], 0, 0x30).cc, 0xc1));
  await t.step("handler exception → 0xFF and a log line", () => {
    assert.equal(call(0x99).cc, CompletionCode.Unspecified);
    assert.match(lines.at(-1)!, /"level":"error".*handler failed.*boom/);
  });
  await t.step("oversized reply → 0xFF and a log line", () => {
    assert.equal(call(0x9a).cc, 0xff);
    assert.match(lines.at(-1)!, /oversized/);
  });
});

Deno.test("responseTo() echoes netfn|1, LUN and command", () => {
  const r = responseTo({ netfn: 0x0a, lun: 2, cmd: 0x44, data: new Uint8Array() }, ok(7));
  assert.deepEqual({ ...r, data: [...r.data] }, {
    netfn: 0x0b,
    lun: 2,
    cmd: 0x44,
    cc: 0,
    data: [7],
  });
});
