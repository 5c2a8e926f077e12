/**
 * `deno task start` with a LAN and a console endpoint prints them next to
 * the QEMU arguments, and the ipmitool line it prints works as printed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { IPMITOOL, run } from "./_serve.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test({
  name:
    "deno task start prints the LAN and console endpoints after the QEMU arguments; its ipmitool line works",
  ignore: !IPMITOOL,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bmc-banner-" });
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "start",
        "--ephemeral",
        "--api-listen",
        "off",
        "--vm-listen",
        "tcp:127.0.0.1:0",
        "--lan-listen",
        "127.0.0.1:0",
        "--console-listen",
        `unix:${dir}/console.sock`,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    try {
      const deadline = Date.now() + 30_000;
      while (!/sol activate\n/.test(out) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        out += value;
      }
      const attach = out.indexOf("Attach a QEMU guest to this BMC with:");
      const lan = out.search(/IPMI over LAN bmc0: udp 127\.0\.0\.1:\d+\n/);
      const serial = out.indexOf(`Serial console bmc0: unix:${dir}/console.sock`);
      assert.ok(attach >= 0 && lan > attach && serial > lan, out);
      assert.ok(
        out.includes(
          `-chardev socket,id=bmc0-console,path=${dir}/console.sock,reconnect=1 -serial chardev:bmc0-console`,
        ),
        out,
      );
      assert.match(out, /bmc-info -h 127\.0\.0\.1:\d+ -u admin -p admin --driver-type=LAN_2_0/);
      const sol = /and watch it \(~\. leaves\) with: (ipmitool -I lanplus .*) sol activate\n/.exec(
        out,
      );
      assert.ok(sol, out);
      const line = /^ {2}(ipmitool -I lanplus -H \S+ -p \d+ -U admin -P admin) mc info$/m.exec(out);
      assert.ok(line, out);
      assert.equal(sol[1], line[1]);
      const [cmd, ...args] = line[1]!.split(" ");
      const info = await run(cmd!, [...args, "mc", "info"]);
      assert.equal(info.code, 0, info.out);
      assert.match(info.out, /IPMI Version\s+: 2.0/);
    } finally {
      child.kill("SIGTERM");
      await reader.cancel().catch(() => {});
      await child.status;
      await Deno.remove(dir, { recursive: true });
    }
  },
});
