/**
 * The VM protocol and IPMI codec: pure functions from bytes to values and
 * back. Imports nothing else from the project.
 *
 * @example Decode a request split across reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeVmRequest, VmFrameDecoder } from "@bmc-emu/bmc-emu/codec";
 * const decoder = new VmFrameDecoder();
 * decoder.push(new Uint8Array([0x00, 0x18]));
 * const [frame] = decoder.push(new Uint8Array([0x01, 0xe7, 0xa0]));
 * assert.equal(frame?.kind, "message");
 * const { request } = decodeVmRequest((frame as { body: Uint8Array }).body);
 * assert.equal(request.cmd, 0x01);
 * ```
 *
 * @module
 */

export * from "./checksum.ts";
export * from "./constants.ts";
export type * from "./ipmi_types.ts";
export * from "./names.ts";
export * from "./vm_control.ts";
export * from "./vm_frame.ts";
export * from "./vm_message.ts";
export * from "./fru.ts";
export * from "./sdr.ts";
export * from "./sensor_constants.ts";
export * from "./sensor_factors.ts";
