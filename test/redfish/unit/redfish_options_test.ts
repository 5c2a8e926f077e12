/**
 * How the Redfish service is asked for: the single-BMC flags, the config
 * file's `bmcs[].redfish` and `bmcs[].users`, and the loopback rule.
 */

import assert from "node:assert/strict";
import { parseServeArgs } from "../../../src/cli/serve_args.ts";
import { UsageError } from "../../../src/cli/usage_error.ts";
import { DEFAULT_LAN_USERS } from "../../../src/lan/lan_config.ts";
import {
  parseRedfishListen,
  redfishListenOf,
  redfishRefusal,
} from "../../../src/redfish/redfish_options.ts";
import { parseConfig } from "../../../src/runtime/config_file.ts";

Deno.test("serve --redfish-listen and --redfish-tls parse into the BMC's Redfish options", () => {
  const options = parseServeArgs([
    "--redfish-listen",
    "127.0.0.1:8443",
    "--redfish-tls",
    "cert.pem,key.pem",
  ]);
  assert.ok(options !== "help" && "source" in options && options.source.kind === "flags");
  assert.deepEqual(options.source.bmc.redfish, {
    listen: "127.0.0.1:8443",
    tls: { cert: "cert.pem", key: "key.pem" },
  });
  // The flags' entry becomes the same service as a config file's.
  assert.deepEqual(redfishListenOf(options.source.bmc.redfish!), {
    hostname: "127.0.0.1",
    port: 8443,
    tls: { certFile: "cert.pem", keyFile: "key.pem" },
  });
  const self = parseServeArgs(["--redfish-listen", "[::1]:0", "--redfish-tls", "self-signed"]);
  assert.ok(self !== "help" && "source" in self && self.source.kind === "flags");
  assert.equal(self.source.bmc.redfish?.tls, "self-signed");
  assert.throws(() => parseServeArgs(["--redfish-tls", "a,b"]), UsageError);
  assert.throws(() => parseServeArgs(["--redfish-listen", "nope"]), /HOST:PORT/);
  assert.throws(
    () => parseServeArgs(["--redfish-listen", "127.0.0.1:1", "--redfish-tls", "only-one"]),
    /CERT,KEY/,
  );
  assert.throws(
    () => parseServeArgs(["--config", "x.json", "--redfish-listen", "127.0.0.1:1"]),
    /--redfish-listen cannot be combined with --config/,
  );
});

Deno.test("config bmcs[].redfish and bmcs[].users are validated", () => {
  const config = parseConfig({
    bmcs: [{
      id: "a",
      vm: { listen: "tcp:127.0.0.1:0" },
      redfish: { listen: "127.0.0.1:0", tls: { cert: "c.pem", key: "k.pem" } },
      users: [{ id: 2, name: "root", password: "s3cret-pw", privilege: "operator" }],
    }],
  }, "x.json");
  assert.deepEqual(config.bmcs[0]!.redfish, {
    listen: "127.0.0.1:0",
    tls: { cert: "c.pem", key: "k.pem" },
  });
  const selfSigned = parseConfig({
    bmcs: [{
      id: "a",
      vm: { listen: "tcp:127.0.0.1:0" },
      redfish: { listen: "x:1", tls: "self-signed" },
    }],
  }, "x.json");
  assert.equal(selfSigned.bmcs[0]!.redfish?.tls, "self-signed");
  assert.throws(
    () =>
      parseConfig(
        { bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:0" }, redfish: { port: 1 } }] },
        "x.json",
      ),
    /bmcs\[0\]\.redfish/,
  );
  // The address is checked with the rest of the file, naming the field.
  assert.throws(
    () =>
      parseConfig(
        { bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:0" }, redfish: { listen: "x:99999" } }] },
        "x.json",
      ),
    /field "bmcs\[0\]\.redfish\.listen" must be HOST:PORT, got "x:99999"/,
  );
  assert.deepEqual(parseRedfishListen("[::1]:8000", undefined, "x"), {
    hostname: "::1",
    port: 8000,
    tls: null,
  });
});

Deno.test("Redfish off loopback needs configured users with passwords of their own", () => {
  const listen = (hostname: string) => ({ hostname, port: 443, tls: null });
  assert.equal(redfishRefusal(listen("127.0.0.1"), null), null);
  assert.match(redfishRefusal(listen("0.0.0.0"), null)!, /Refusing to serve Redfish on 0\.0\.0\.0/);
  assert.match(redfishRefusal(listen("0.0.0.0"), DEFAULT_LAN_USERS)!, /well-known/);
  assert.equal(
    redfishRefusal(listen("0.0.0.0"), [{ id: 2, name: "ops", password: "x7-long", privilege: 4 }]),
    null,
  );
});
