/**
 * Cipher suite 0 (no authentication, integrity or confidentiality) is
 * offered only by a profile that lists it in `lan.cipherSuites`: real
 * ipmitool against `serve` with the generic profile and with a copy of it
 * that enables suite 0.
 *
 * @module
 */

import assert from "node:assert/strict";
import { IPMITOOL, lanplus, run, serve, USERS } from "./_serve.ts";

const GENERIC = new URL("../../firmware-profiles/generic.json", import.meta.url);

Deno.test({
  name:
    "ipmitool -C 0 is refused by default and works under a profile whose lan.cipherSuites lists 0",
  ignore: !IPMITOOL,
  async fn(t) {
    await t.step("generic profile: suite 0 is neither listed nor accepted", async () => {
      const s = await serve(USERS);
      try {
        const ciphers = await run("ipmitool", [
          ...lanplus(s, 17),
          "channel",
          "getciphers",
          "ipmi",
          "1",
        ]);
        assert.equal(ciphers.code, 0, ciphers.out);
        assert.doesNotMatch(ciphers.out, /^0\s/m);
        assert.match(ciphers.out, /^17\s/m);
        const zero = await run("ipmitool", [...lanplus(s, 0), "mc", "info"]);
        assert.notEqual(zero.code, 0, zero.out);
      } finally {
        await s.stop();
      }
    });
    await t.step(
      "a profile listing 0: ipmitool -C 0 opens a session, suite 1 is not offered",
      async () => {
        const dir = await Deno.makeTempDir({ prefix: "bmc-suite0-" });
        try {
          const profile = JSON.parse(await Deno.readTextFile(GENERIC));
          delete profile.$schema;
          profile.name = "generic-suite0";
          profile.lan = { cipherSuites: [0, 3, 17] };
          const path = `${dir}/generic-suite0.json`;
          await Deno.writeTextFile(path, JSON.stringify(profile));
          const s = await serve([...USERS, "--profile", path]);
          try {
            const info = await run("ipmitool", [...lanplus(s, 0), "mc", "info"]);
            assert.equal(info.code, 0, info.out);
            assert.match(info.out, /IPMI Version\s+: 2.0/);
            // No authentication: the user name must be known, the password is not checked.
            const anyPassword = await run("ipmitool", [
              ...lanplus(s, 0, "admin", "wrong"),
              "mc",
              "info",
            ]);
            assert.equal(anyPassword.code, 0, anyPassword.out);
            const unknown = await run("ipmitool", [...lanplus(s, 0, "nobody", "x"), "mc", "info"]);
            assert.notEqual(unknown.code, 0, unknown.out);
            const ciphers = await run("ipmitool", [
              ...lanplus(s, 3),
              "channel",
              "getciphers",
              "ipmi",
              "1",
            ]);
            assert.match(ciphers.out, /^0\s+N\/A\s+none\s+none\s+none/m);
            assert.doesNotMatch(ciphers.out, /^1\s/m);
            const one = await run("ipmitool", [...lanplus(s, 1), "mc", "info"]);
            assert.notEqual(one.code, 0, one.out);
          } finally {
            await s.stop();
          }
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      },
    );
  },
});
