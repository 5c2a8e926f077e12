import assert from "node:assert/strict";
import { lanSpecs, parseLanFlags } from "../../src/cli/serve_lan.ts";
import { UsageError } from "../../src/cli/usage_error.ts";
import { lanSecurityProblem, parseLanUser, qemuConsoleArgs } from "../../src/lan/lan_config.ts";
import { parseServeArgs } from "../../src/cli/serve_args.ts";

Deno.test("parseLanFlags() reads --lan-listen, repeated --lan-user and --console-listen", () => {
  const o = parseLanFlags({
    "lan-listen": "127.0.0.1:623",
    "lan-user": ["admin:s3cret", "bob:pw:user"],
    "console-listen": "unix:/run/bmc0-console.sock",
  });
  assert.deepEqual(o.lan, { hostname: "127.0.0.1", port: 623 });
  assert.deepEqual(o.users, [
    { id: 2, name: "admin", password: "s3cret", privilege: 4 },
    { id: 3, name: "bob", password: "pw", privilege: 2 },
  ]);
  assert.deepEqual(o.console, { transport: "unix", path: "/run/bmc0-console.sock" });
  assert.throws(() => parseLanFlags({ "lan-listen": "nope" }), UsageError);
  assert.throws(
    () => parseLanFlags({ "lan-user": ["a:b"] }),
    /needs --lan-listen or --redfish-listen/,
  );
  // Redfish's users are the BMC's too: --lan-user without IPMI over LAN.
  const redfishOnly = parseLanFlags({ "redfish-listen": "127.0.0.1:0", "lan-user": ["a:b"] });
  assert.equal(redfishOnly.lan, null);
  assert.deepEqual(redfishOnly.users, [{ id: 2, name: "a", password: "b", privilege: 4 }]);
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
  assert.equal(o.source.bmc.lan?.lan?.port, 6230);
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
  const refused = lanSpecs(
    "bmc0",
    {
      lan: { hostname: "0.0.0.0", port: 623 },
      console: null,
    },
    null,
    null,
  );
  assert.ok("problem" in refused);
  const ok = lanSpecs(
    "bmc0",
    {
      lan: { hostname: "127.0.0.1", port: 0 },
      console: { transport: "unix", path: "/tmp/c.sock" },
    },
    null,
    "/state",
  );
  assert.ok(!("problem" in ok));
  assert.equal(ok.lan?.users[0]?.name, "admin");
  assert.equal(ok.console?.logFile, "/state/bmc0-console.log");
});

Deno.test("qemuConsoleArgs() connects -serial to the console endpoint over TCP or UNIX", () => {
  assert.deepEqual(qemuConsoleArgs({ transport: "tcp", hostname: "127.0.0.1", port: 9100 }, "b1"), [
    "-chardev",
    "socket,id=b1-console,host=127.0.0.1,port=9100,reconnect=1",
    "-serial",
    "chardev:b1-console",
  ]);
});
