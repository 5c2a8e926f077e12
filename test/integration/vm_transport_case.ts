/**
 * The VM transport conformance suite, run over TCP and over UNIX sockets
 * (like Hono's shared router cases).
 *
 * @module
 */

import assert from "node:assert/strict";
import { AppCmd, NetFn, VmCmd } from "../../src/codec/constants.ts";
import { encodeVmRequest } from "../../src/codec/vm_message.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import { Prng } from "../../src/util/prng.ts";
import { startRuntime, type TestRuntime } from "../_helpers/runtime.ts";
import { waitForEvent } from "../../src/events/wait_for_event.ts";
import { VmPeer } from "../_helpers/vm_peer.ts";

/**
 * Register the suite.
 *
 * @param label Transport label for test names.
 * @param endpointFactory Creates a fresh listen endpoint and its cleanup.
 */
export function vmTransportSuite(
  label: string,
  endpointFactory: () => Promise<{ endpoint: Endpoint; cleanup: () => Promise<void> }>,
): void {
  const withBmc = async (
    fn: (endpoint: Endpoint, logs: string[], bmc: TestRuntime) => Promise<void>,
  ): Promise<void> => {
    const { endpoint, cleanup } = await endpointFactory();
    try {
      await using bmc = await startRuntime({ listen: endpoint });
      await fn(bmc.runtime.endpoint, bmc.logs, bmc);
    } finally {
      await cleanup();
    }
  };

  Deno.test(`${label}: a QEMU peer completes the handshake and Get Device ID`, () =>
    withBmc(async (endpoint) => {
      const peer = await VmPeer.connect(endpoint);
      try {
        const r = await peer.call(0x00, NetFn.App, AppCmd.GetDeviceId);
        assert.equal(r.response.cc, 0);
        assert.equal(r.response.netfn, 0x07);
        assert.equal(r.response.data[6], 0xd9, "manufacturer id from the profile");
        // Version, ATN state and IRQ state are the first frames, in this order.
        assert.deepEqual(peer.raw.slice(0, 7), [0xff, 0x01, 0xa1, 0x00, 0xa1, 0x06, 0xa1]);
        const escaped = await peer.call(0xa0, NetFn.App, AppCmd.GetDeviceId);
        assert.equal(escaped.seq, 0xa0);
      } finally {
        await peer.close();
      }
    }));

  Deno.test(`${label}: global enables bit 0 sends 05 A1 and 06 A1`, () =>
    withBmc(async (endpoint) => {
      const peer = await VmPeer.connect(endpoint);
      try {
        await peer.call(1, NetFn.App, AppCmd.SetBmcGlobalEnables, [0x09]);
        assert.equal(peer.controls.at(-1), VmCmd.EnableIrq);
        await peer.call(2, NetFn.App, AppCmd.SetBmcGlobalEnables, [0x08]);
        assert.equal(peer.controls.at(-1), VmCmd.DisableIrq);
        const tail = peer.raw.join(",");
        assert.ok(tail.includes("5,161"), "05 A1 on the wire");
        assert.ok(tail.includes("6,161"), "06 A1 on the wire");
      } finally {
        await peer.close();
      }
    }));

  Deno.test(`${label}: a second client is refused while the first keeps working`, () =>
    withBmc(async (endpoint, logs) => {
      const first = await VmPeer.connect(endpoint);
      try {
        await first.call(1, NetFn.App, AppCmd.GetDeviceId);
        const second = await VmPeer.connect(endpoint);
        await second.waitClosed();
        await second.close();
        assert.equal(second.responses.length, 0);
        assert.ok(
          logs.some((l) => l.includes("VM connection refused") && l.includes("already serves")),
        );
        for (let i = 0; i < 5; i++) {
          const extra = await VmPeer.connect(endpoint);
          await extra.waitClosed();
          await extra.close();
        }
        const warned = logs.filter((l) =>
          l.includes("VM connection refused") && l.includes("warn")
        );
        assert.equal(warned.length, 1, "refusals after the first are rate-limited");
        const again = await first.call(2, NetFn.App, AppCmd.GetDeviceId);
        assert.equal(again.response.cc, 0);
      } finally {
        await first.close();
      }
    }));

  Deno.test(`${label}: the peer dropping mid-request and reconnecting works`, () =>
    withBmc(async (endpoint, _logs, bmc) => {
      const first = await VmPeer.connect(endpoint);
      // Half a frame, then gone.
      const frame = encodeVmRequest(7, {
        netfn: NetFn.App,
        lun: 0,
        cmd: AppCmd.GetDeviceId,
        data: new Uint8Array(),
      });
      await first.write(frame.subarray(0, 2));
      await first.close();
      // The BMC notices the peer is gone; then a reconnect is served.
      const gone = { types: new Set(["vm.disconnected"]) };
      await waitForEvent(bmc.bus, bmc.clock, gone, { timeoutMs: 60_000, after: 0 });
      const second = await VmPeer.connect(endpoint);
      await second.call(8, NetFn.App, AppCmd.GetDeviceId);
      assert.equal(second.controls[0], VmCmd.Version, "greeted again");
      await second.close();
    }));

  Deno.test(`${label}: 1 MB of random bytes leaves the BMC answering the next valid request`, () =>
    withBmc(async (endpoint) => {
      const peer = await VmPeer.connect(endpoint);
      try {
        const prng = new Prng(20261122);
        for (let i = 0; i < 16; i++) await peer.write(prng.bytes(65536));
        // A terminator ends whatever partial frame the garbage left.
        await peer.write(Uint8Array.of(0xa0));
        const r = await peer.call(0x42, NetFn.App, AppCmd.GetDeviceId, [], 10_000);
        assert.equal(r.response.cmd, AppCmd.GetDeviceId);
        assert.equal(r.response.data.length, 15);
      } finally {
        await peer.close();
      }
    }));
}
