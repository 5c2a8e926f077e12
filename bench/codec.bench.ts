import { encodeVmRequest, encodeVmResponse } from "../src/codec/vm_message.ts";
import { VmFrameDecoder } from "../src/codec/vm_frame.ts";

const REQUEST = encodeVmRequest(0x42, { netfn: 6, lun: 0, cmd: 0x01, data: new Uint8Array() });
const STREAM = new Uint8Array(REQUEST.length * 100);
for (let i = 0; i < 100; i++) STREAM.set(REQUEST, i * REQUEST.length);
const decoder = new VmFrameDecoder();
const DEVICE_ID = Uint8Array.of(
  0x20,
  0x01,
  0x01,
  0x00,
  0x02,
  0xbf,
  0xd9,
  0x7e,
  0x00,
  0x01,
  0x00,
  0,
  0,
  0,
  0,
);

Deno.bench("decode 100 Get Device ID request frames", { group: "codec" }, () => {
  for (const _ of decoder.push(STREAM)) { /* consume */ }
});

Deno.bench("encode a Get Device ID response frame", { group: "codec" }, () => {
  encodeVmResponse(0x42, { netfn: 7, lun: 0, cmd: 0x01, cc: 0, data: DEVICE_ID });
});
