import assert from "node:assert/strict";
import { AppCmd, NetFn, VmCmd } from "../../src/codec/constants.ts";
import { startRuntime, TCP_ANY, unixEndpoint } from "../_helpers/runtime.ts";
import { QEMU_HELLO, VmPeer } from "../_helpers/vm_peer.ts";
import { vmTransportSuite } from "./vm_transport_case.ts";
import { freePort } from "../../tools/free_port.ts";

vmTransportSuite(
  "TCP",
  () => Promise.resolve({ endpoint: TCP_ANY, cleanup: () => Promise.resolve() }),
);
vmTransportSuite("UNIX", unixEndpoint);

Deno.test("--vm-connect: bmc-emu dials a QEMU that listens, retrying until it appears", async () => {
  // A port nobody listens on: the BMC dials it before anyone does.
  const port = freePort();
  await using bmc = await startRuntime({
    connect: { transport: "tcp", hostname: "127.0.0.1", port },
  });
  const failed = JSON.parse(await bmc.logged(/QEMU not reachable yet/));
  using qemu = Deno.listen({ hostname: "127.0.0.1", port });
  bmc.clock.advance(failed.retryInMs); // the retry, on the runtime's clock
  const conn = await qemu.accept();
  const peer = VmPeer.wrap(conn);
  try {
    await peer.write(QEMU_HELLO);
    const r = await peer.call(3, NetFn.App, AppCmd.GetDeviceId);
    assert.equal(r.response.cc, 0);
    assert.equal(peer.controls[0], VmCmd.Version);
    assert.equal(bmc.runtime.connection().connected, true);
  } finally {
    await peer.close();
  }
});

Deno.test("a host action is only sent when QEMU advertised it", async () => {
  await using bmc = await startRuntime({ listen: TCP_ANY });
  const peer = await VmPeer.connect(bmc.runtime.endpoint, false);
  try {
    await peer.write(Uint8Array.of(0xff, 0x01, 0xa1, 0x08, 0x3f & ~0x02, 0xa1)); // no RESET cap
    const r = await peer.call(1, NetFn.Chassis, 0x02, [0x03]);
    assert.equal(r.response.cc, 0xd5);
    assert.ok(!peer.controls.includes(VmCmd.Reset));
    const nmi = await peer.call(2, NetFn.Chassis, 0x02, [0x04]);
    assert.equal(nmi.response.cc, 0);
    await peer.until(() => peer.controls.includes(VmCmd.SendNmi));
    // The NMI goes out after the response, not before.
    const respAt = peer.raw.lastIndexOf(0xa0);
    const nmiAt = peer.raw.lastIndexOf(0x07);
    assert.ok(nmiAt > respAt, "control after response");
  } finally {
    await peer.close();
  }
});
