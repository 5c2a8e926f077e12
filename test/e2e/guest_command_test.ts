/**
 * Issue 15: `bmc-emu guest`, as a user runs it — a real QEMU guest against a
 * BMC started by the command itself, or against a running bmc-emu.
 */

import assert from "node:assert/strict";
import { BmcProcess, MAIN_TS } from "../../tools/e2e/bmc_process.ts";
import { e2eTest } from "./_e2e.ts";

async function guest(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN_TS, "guest", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

e2eTest("e2e guest --run: a guest against its own BMC prints the profile's identity", async () => {
  const r = await guest(["--run", "ipmitool mc info"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Manufacturer ID\s+: 32473/);
  assert.match(r.stdout, /IPMI Version\s+: 2\.0/);
});

e2eTest("e2e guest --run: the exit status is the command's", async () => {
  const r = await guest(["--iface", "bt", "--run", "test -e /dev/ipmi0 && exit 7"]);
  assert.equal(r.code, 7, r.stderr);
});

e2eTest(
  "e2e guest --bmc: attaches to a running bmc-emu, which sees the guest's requests",
  async () => {
    const bmc = await BmcProcess.start({ args: ["--profile", "dell-idrac9"] });
    try {
      const r = await guest(["--bmc", bmc.apiUrl, "--run", "ipmitool mc info"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Manufacturer ID\s+: 674/, "the running BMC's Dell identity");
    } finally {
      await bmc.stop();
    }
  },
);

e2eTest(
  "e2e guest: bad arguments are usage errors, without a terminal the console is refused",
  async () => {
    const bad = await guest(["--iface", "usb", "--run", "true"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--iface must be one of kcs, bt, ssif, got "usb"/);
    const noTty = await guest([]);
    assert.equal(noTty.code, 2);
    assert.match(noTty.stderr, /needs a terminal; use --run CMD/);
    const noKernel = await guest(["--kernel", "/nonexistent", "--run", "true"]);
    assert.equal(noKernel.code, 1);
    assert.match(noKernel.stderr, /neither a directory nor a kernel release/);
  },
);
