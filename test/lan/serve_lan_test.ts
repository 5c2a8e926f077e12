import assert from "node:assert/strict";
import { parseLanFlags } from "../../src/cli/serve_lan.ts";
import { UsageError } from "../../src/cli/usage_error.ts";
import { lanSecurityProblem, parseLanUser, qemuConsoleArgs } from "../../src/lan/lan_config.ts";
import { parseServeArgs } from "../../src/cli/serve_args.ts";
import { parseProfile } from "../../src/profile/parse_profile.ts";
import { bmcSpecOf } from "../../src/runtime/bmc_spec.ts";
import { bmcEntrySchema } from "../../src/runtime/config_file.ts";
import { profileJson } from "../_helpers/test_bmc.ts";

Deno.test("parseLanFlags() reads --lan-listen, repeated --lan-user and --console-listen", () => {
  const o = parseLanFlags({
    "lan-listen": "127.0.0.1:623",
    "lan-user": ["admin:s3cret", "bob:pw:user"],
    "console-listen": "unix:/run/bmc0-console.sock",
  });
  assert.deepEqual(o.lan, { listen: "127.0.0.1:623" });
  assert.deepEqual(o.users, [
    { id: 2, name: "admin", password: "s3cret", privilege: "administrator" },
    { id: 3, name: "bob", password: "pw", privilege: "user" },
  ]);
  assert.deepEqual(o.console, { listen: { transport: "unix", path: "/run/bmc0-console.sock" } });
  assert.throws(() => parseLanFlags({ "lan-listen": "nope" }), UsageError);
  assert.throws(
    () => parseLanFlags({ "lan-user": ["a:b"] }),
    /needs --lan-listen or --redfish-listen/,
  );
  // Redfish's users are the BMC's too: --lan-user without IPMI over LAN.
  const redfishOnly = parseLanFlags({ "redfish-listen": "127.0.0.1:0", "lan-user": ["a:b"] });
  assert.equal(redfishOnly.lan, undefined);
  assert.deepEqual(redfishOnly.users, [
    { id: 2, name: "a", password: "b", privilege: "administrator" },
  ]);
  assert.throws(
    () => parseLanFlags({ "lan-listen": "127.0.0.1:1", "lan-user": ["a:b:king"] }),
    UsageError,
  );
  assert.throws(
    () => parseLanFlags({ "lan-listen": "127.0.0.1:1", "lan-user": ["a:b", "a:c"] }),
    /repeats/,
  );
});

Deno.test("serve --lan-listen/--lan-user land in the single BMC's options; --config excludes them", () => {
  const o = parseServeArgs(["--lan-listen", "127.0.0.1:6230", "--lan-user", "admin:s3cret"]);
  assert.ok(typeof o === "object" && "source" in o && o.source.kind === "flags");
  assert.equal(o.source.bmc.lan?.listen, "127.0.0.1:6230");
  assert.equal(o.source.bmc.users?.[0]?.name, "admin");
  assert.throws(
    () => parseServeArgs(["--config", "x.json", "--lan-listen", "127.0.0.1:1"]),
    UsageError,
  );
});

Deno.test("LAN security: loopback may use the default user; other addresses need their own passwords", () => {
  assert.equal(lanSecurityProblem("127.0.0.1", null), null);
  assert.match(lanSecurityProblem("0.0.0.0", null)!, /needs users/);
  assert.match(lanSecurityProblem("0.0.0.0", [parseLanUser("admin:admin", 2)])!, /well-known/);
  assert.match(lanSecurityProblem("192.0.2.1", [parseLanUser("root:calvin", 2)])!, /well-known/);
  assert.equal(lanSecurityProblem("0.0.0.0", [parseLanUser("admin:Xk3-9qL", 2)]), null);
});

Deno.test("bmcSpecOf() derives the LAN, console, users and state file from the entry, or refuses", () => {
  const profile = parseProfile(profileJson({}), "test.json");
  const entry = (json: Record<string, unknown>) =>
    bmcEntrySchema.parse({ id: "bmc0", vm: { listen: "tcp:127.0.0.1:0" }, ...json });
  const refused = bmcSpecOf(entry({ lan: { listen: "0.0.0.0:623" } }), {
    profile,
    stateDir: null,
  });
  assert.ok("problem" in refused);
  assert.match(refused.problem, /needs users/);
  const ok = bmcSpecOf(
    entry({ lan: { listen: "127.0.0.1:0" }, console: { listen: "unix:/tmp/c.sock" } }),
    { profile, stateDir: "/state" },
  );
  assert.ok(!("problem" in ok));
  assert.equal(ok.lan?.users[0]?.name, "admin");
  assert.deepEqual(ok.lan && { hostname: ok.lan.hostname, port: ok.lan.port }, {
    hostname: "127.0.0.1",
    port: 0,
  });
  assert.equal(ok.console?.logFile, "/state/bmc0-console.log");
  assert.equal(ok.stateFile, "/state/bmc0.sqlite");
  assert.deepEqual(ok.vm, { listen: { transport: "tcp", hostname: "127.0.0.1", port: 0 } });
  // Configured users become the LAN's (privilege by number), a null state file keeps memory.
  const users = bmcSpecOf(
    entry({
      stateFile: null,
      lan: { listen: "0.0.0.0:623", cipherSuites: [3] },
      users: [{ id: 3, name: "ops", password: "Xk3-9qL", privilege: "operator" }],
      faults: [{ match: { netfn: "app", cmd: "get-device-id" }, action: { type: "drop" } }],
    }),
    { profile, stateDir: "/state", resetState: true },
  );
  assert.ok(!("problem" in users));
  assert.deepEqual(users.lan?.users, [{ id: 3, name: "ops", password: "Xk3-9qL", privilege: 3 }]);
  assert.deepEqual(users.lan?.suites, [3]);
  assert.equal(users.stateFile, null);
  assert.equal(users.resetState, true);
  assert.deepEqual(users.faults?.[0]?.match, { netfn: 0x06, cmd: 0x01 });
});

Deno.test("qemuConsoleArgs() connects -serial to the console endpoint over TCP or UNIX", () => {
  assert.deepEqual(qemuConsoleArgs({ transport: "tcp", hostname: "127.0.0.1", port: 9100 }, "b1"), [
    "-chardev",
    "socket,id=b1-console,host=127.0.0.1,port=9100,reconnect=1",
    "-serial",
    "chardev:b1-console",
  ]);
});
