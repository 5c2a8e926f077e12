/**
 * Clients the LAN front-end was first built without, against a real `serve`
 * (no guest): what a lab engineer runs with FreeIPMI's configuration tools
 * and ipmitool's less common commands. Each check is one short client run.
 * Skips what is not installed.
 *
 * @module
 */

import assert from "node:assert/strict";

import { FREEIPMI, freeipmi, IPMITOOL, lanplus, run, serve, USERS } from "./_serve.ts";

Deno.test({
  name:
    "cipher suite privileges read by id: ipmitool lan print and bmc-config Rmcpplus_Conf_Privilege",
  ignore: !IPMITOOL || !FREEIPMI,
  async fn() {
    const s = await serve(USERS);
    try {
      const lan = await run("ipmitool", [...lanplus(s, 17), "lan", "print", "1"]);
      assert.equal(lan.code, 0, lan.out);
      // ids 0-14: 0 unused, 1-3 Administrator, 4-14 unused.
      assert.match(lan.out, /Cipher Suite Priv Max\s+: XaaaXXXXXXXXXXX/);
      const cfg = await run("bmc-config", [
        ...freeipmi(s),
        "--checkout",
        "--section=Rmcpplus_Conf_Privilege",
      ]);
      // bmc-config exits 1 whenever an id it knows (0-17) is not offered; the values matter.
      assert.match(cfg.out, /EndSection/, cfg.out);
      for (const id of [1, 2, 3, 15]) {
        assert.match(
          cfg.out,
          new RegExp(`Maximum_Privilege_Cipher_Suite_Id_${id}\\s+Administrator`),
        );
      }
      assert.doesNotMatch(cfg.out, /Cipher_Suite_Id_\d+\s+Unused/);
    } finally {
      await s.stop();
    }
  },
});
