import assert from "node:assert/strict";
import { roundOrder, SOCKET_PEERS, spread } from "../../tools/bench-compare.ts";
import { bareReply } from "../../tools/bench/bare_responder.ts";
import { VmFrameDecoder } from "../../src/codec/vm_frame.ts";
import { decodeVmResponse, encodeVmRequest } from "../../src/codec/vm_message.ts";
import { MIX_REQUESTS, wellFormed } from "../../tools/load/mix.ts";

Deno.test("roundOrder() rotates the peers so each is first once in as many rounds", () => {
  const orders = [0, 1, 2, 3].map((i) => roundOrder(SOCKET_PEERS, i));
  assert.deepEqual(orders[0], ["ipmi_sim", "bare-deno", "bmc-emu"]);
  assert.deepEqual(orders[1], ["bare-deno", "bmc-emu", "ipmi_sim"]);
  assert.deepEqual(orders[2], ["bmc-emu", "ipmi_sim", "bare-deno"]);
  assert.deepEqual(orders[3], orders[0]);
});

Deno.test("spread() gives the median with min and max, rounded", () => {
  assert.deepEqual(spread([5, 1, 3, 4, 2]), { median: 3, min: 1, max: 5 });
  assert.deepEqual(spread([1, 2, 3, 4]), { median: 2.5, min: 1, max: 4 });
  assert.deepEqual(spread([1.23456], 2), { median: 1.23, min: 1.23, max: 1.23 });
});

Deno.test("bareReply() answers every mix request well formed, with its seq (escaped ones too)", () => {
  for (const [name, r] of Object.entries(MIX_REQUESTS)) {
    for (const seq of [0x00, 0xa0, 0xaa]) {
      const wire = encodeVmRequest(seq, { netfn: r.netfn, lun: 0, cmd: r.cmd, data: r.data });
      const [request] = new VmFrameDecoder().push(wire);
      assert.equal(request?.kind, "message");
      const body = request!.kind === "message" ? request!.body : new Uint8Array();
      const [reply] = new VmFrameDecoder({ minMessageBytes: 5 }).push(bareReply(body, body.length));
      assert.equal(reply?.kind, "message", `${name} seq ${seq}: a valid frame`);
      const { seq: got, response } = decodeVmResponse(
        reply!.kind === "message" ? reply!.body : body,
      );
      assert.equal(got, seq);
      const answer = {
        matches: response.netfn === (r.netfn | 1) && response.cmd === r.cmd,
        cc: response.cc,
        data: response.data,
      };
      assert.ok(wellFormed(r, answer), `${name}: well formed`);
    }
  }
});
