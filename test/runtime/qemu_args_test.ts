import assert from "node:assert/strict";
import { parseQemuVersion, qemuIpmiArgs, reconnectOption } from "../../src/runtime/qemu_args.ts";
import { detectQemuVersion } from "../../src/guest/qemu_version.ts";

Deno.test("parseQemuVersion() reads QEMU's --version line", () => {
  assert.deepEqual(
    parseQemuVersion("QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)\nCopyright (c)"),
    { major: 7, minor: 2 },
  );
  assert.deepEqual(
    parseQemuVersion("QEMU emulator version 10.0.3 (Debian 1:10.0.3+ds-0+deb12u1~bpo12+1)"),
    {
      major: 10,
      minor: 0,
    },
  );
  assert.equal(parseQemuVersion("bash: qemu: command not found"), null);
});

Deno.test("reconnectOption() spells the redial option for each QEMU", () => {
  assert.equal(reconnectOption(undefined), "reconnect=1");
  assert.equal(reconnectOption({ major: 7, minor: 2 }), "reconnect=1");
  assert.equal(reconnectOption({ major: 9, minor: 1 }, 2), "reconnect=2");
  assert.equal(reconnectOption({ major: 9, minor: 2 }), "reconnect-ms=1000");
  assert.equal(reconnectOption({ major: 10, minor: 0 }), "reconnect-ms=1000");
  assert.equal(reconnectOption({ major: 11, minor: 1 }, 2), "reconnect-ms=2000");
});

Deno.test("qemuIpmiArgs() uses the version's spelling; a listening QEMU needs none", () => {
  const endpoint = { transport: "tcp", hostname: "127.0.0.1", port: 9002 } as const;
  const q10 = qemuIpmiArgs({
    endpoint,
    qemuRole: "client",
    iface: "kcs",
    qemuVersion: { major: 10, minor: 0 },
  });
  assert.equal(q10[1], "socket,id=bmc0-chr,host=127.0.0.1,port=9002,reconnect-ms=1000");
  const server = qemuIpmiArgs({
    endpoint,
    qemuRole: "server",
    iface: "bt",
    qemuVersion: { major: 11, minor: 0 },
  });
  assert.equal(server[1], "socket,id=bmc0-chr,host=127.0.0.1,port=9002,server=on,wait=off");
});

Deno.test("detectQemuVersion asks the QEMU of BMC_EMU_QEMU by default", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-qemu-" });
  const saved = Deno.env.get("BMC_EMU_QEMU");
  try {
    const fake = `${dir}/qemu`;
    await Deno.writeTextFile(
      fake,
      "#!/bin/sh\necho 'QEMU emulator version 11.1.3 (Debian 1:11.1.3+ds-2~bpo13+1)'\n",
    );
    await Deno.chmod(fake, 0o755);
    Deno.env.set("BMC_EMU_QEMU", fake);
    assert.deepEqual(await detectQemuVersion(), { major: 11, minor: 1 });
    assert.equal(await detectQemuVersion(`${dir}/none`), null);
  } finally {
    if (saved === undefined) Deno.env.delete("BMC_EMU_QEMU");
    else Deno.env.set("BMC_EMU_QEMU", saved);
    await Deno.remove(dir, { recursive: true });
  }
});
