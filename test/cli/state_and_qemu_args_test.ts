/**
 * A state file is bound to the profile it was written under; `serve
 * --config` prints QEMU arguments per BMC; `ctl qemu-args` spells them for
 * the QEMU that will run them. Real `serve` processes.
 */

import assert from "node:assert/strict";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { claimState, StateProfileMismatch } from "../../src/runtime/state_profile.ts";
import { BmcProcess } from "../../tools/e2e/bmc_process.ts";
import { runMain, spawnMain } from "../_helpers/cli.ts";

Deno.test("claimState records the profile on first use and refuses another one", () => {
  const store = new MemoryStore();
  claimState(store, "generic");
  claimState(store, "generic");
  assert.throws(() => claimState(store, "dell-idrac9"), StateProfileMismatch);
  assert.equal(store.getValue("profile"), "generic");
});

Deno.test("a state file written under generic is refused under dell-idrac9 until --reset-state", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-state-" });
  try {
    const generic = await BmcProcess.start({ args: ["--state-dir", dir, "--profile", "generic"] });
    await generic.stop();
    const serve = (...extra: string[]) =>
      runMain([
        "serve",
        "--state-dir",
        dir,
        "--vm-listen",
        "tcp:127.0.0.1:0",
        "--api-listen",
        "127.0.0.1:0",
        ...extra,
      ], { timeoutMs: 20_000 });
    const refused = await serve("--profile", "dell-idrac9");
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /was written under profile "generic", not "dell-idrac9".*--reset-state.*another|own state file/,
    );
    const nothing = await runMain(["serve", "--ephemeral", "--reset-state"]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /--reset-state has nothing to reset with --ephemeral/);
    const reset = await BmcProcess.start({
      args: ["--state-dir", dir, "--profile", "dell-idrac9", "--reset-state"],
    });
    try {
      await reset.log.waitFor(/state file emptied/, { timeoutMs: 5_000, fromStart: true });
    } finally {
      await reset.stop();
    }
    // The file now belongs to dell-idrac9: it opens without --reset-state.
    const again = await BmcProcess.start({
      args: ["--state-dir", dir, "--profile", "dell-idrac9"],
    });
    await again.stop();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve --config prints QEMU arguments for every BMC; ctl qemu-args spells them per QEMU version", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-qemu-args-" });
  try {
    await Deno.writeTextFile(
      `${dir}/rack.json`,
      JSON.stringify({
        stateDir: null,
        api: { listen: "127.0.0.1:0" },
        bmcs: [
          { id: "n1", vm: { listen: "tcp:127.0.0.1:0" } },
          { id: "n2", vm: { listen: `unix:${dir}/n2.sock` } },
        ],
      }),
    );
    await using serve = spawnMain(["serve", "--config", `${dir}/rack.json`]);
    const api = (await serve.stdout.waitFor(/^Control API: /, {
      timeoutMs: 20_000,
      fromStart: true,
      what: "the banner",
    })).match(/http:\/\/[\d.:]+/)![0];
    assert.match(
      serve.stdout.text,
      /n1 .*\n {4}-chardev socket,id=bmc0-chr,host=127\.0\.0\.1,port=\d+,reconnect=1 -device ipmi-bmc-extern,id=bmc0,chardev=bmc0-chr -device isa-ipmi-kcs/,
    );
    assert.match(
      serve.stdout.text,
      new RegExp(`n2 .*\\n {4}-chardev socket,id=bmc0-chr,path=${dir}/n2\\.sock,`),
    );

    const fake = `${dir}/qemu-10`;
    await Deno.writeTextFile(
      fake,
      "#!/bin/sh\necho 'QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-1~bpo12+1)'\n",
    );
    await Deno.chmod(fake, 0o755);
    const ten = await runMain([
      "ctl",
      "--api",
      api,
      "--bmc",
      "n2",
      "qemu-args",
      "--iface",
      "ssif",
      "--qemu",
      fake,
    ]);
    assert.equal(ten.code, 0, ten.stderr);
    assert.equal(
      ten.stdout.trim(),
      `-chardev socket,id=bmc0-chr,path=${dir}/n2.sock,reconnect-ms=1000 -device ipmi-bmc-extern,id=bmc0,chardev=bmc0-chr -device smbus-ipmi,bmc=bmc0,address=0x10`,
    );
    const json = await runMain([
      "ctl",
      "--api",
      api,
      "--bmc",
      "n1",
      "--json",
      "qemu-args",
      "--qemu",
      fake,
    ]);
    assert.equal(JSON.parse(json.stdout).qemu, "10.0");
    const missing = await runMain([
      "ctl",
      "--api",
      api,
      "--bmc",
      "n1",
      "qemu-args",
      "--qemu",
      `${dir}/none`,
    ]);
    assert.equal(missing.code, 0);
    assert.match(missing.stdout, /reconnect=1 /);
    assert.match(missing.stderr, /cannot run/);
    assert.equal((await runMain(["ctl", "--api", api, "qemu-args", "--iface", "isa"])).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
