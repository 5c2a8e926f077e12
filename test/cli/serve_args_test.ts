import assert from "node:assert/strict";
import {
  parseApiListen,
  parseServeArgs,
  type ServeOptions,
  VERSION,
} from "../../src/cli/serve_args.ts";
import denoConfig from "../../deno.json" with { type: "json" };
import { UsageError } from "../../src/cli/usage_error.ts";

function options(argv: string[], env: Record<string, string> = {}): ServeOptions {
  const o = parseServeArgs(argv, (name) => env[name]);
  if (o === "help" || "checkProfile" in o || "checkConfig" in o) {
    throw new Error("unexpected help or check");
  }
  return o;
}

Deno.test("the version reported is deno.json's", () => {
  assert.equal(VERSION, denoConfig.version);
});

Deno.test("--check-profile stands alone", () => {
  assert.deepEqual(parseServeArgs(["--check-profile", "x.json"]), { checkProfile: "x.json" });
  assert.throws(
    () => parseServeArgs(["--check-profile", "x.json", "--id", "a"]),
    (e) =>
      e instanceof UsageError && /--check-profile cannot be combined with --id/.test(e.message),
  );
});

Deno.test("parseServeArgs() applies the documented defaults", () => {
  const o = options([]);
  assert.equal(o.source.kind, "flags");
  if (o.source.kind !== "flags") return;
  assert.equal(o.source.bmc.id, "bmc0");
  assert.equal(o.source.bmc.profile, "generic");
  assert.deepEqual(o.source.bmc.vm, {
    listen: { transport: "tcp", hostname: "127.0.0.1", port: 9002 },
  });
  assert.equal(o.source.bmc.qmp, undefined);
  assert.deepEqual(o.source.bmc.faults, []);
  assert.equal(o.stateDir, undefined, "the default .bmc-state is applied when planning");
  assert.equal(o.api, undefined, "the default 127.0.0.1:8623 is applied when planning");
  assert.equal(o.logLevel, "info");
});

Deno.test("parseServeArgs() reads endpoints, state, API and logging options", () => {
  const o = options(
    [
      "--vm-connect",
      "unix:/run/q.sock",
      "--ephemeral",
      "--log-format",
      "json",
      "--id",
      "rack1-3",
      "--qmp",
      "tcp:127.0.0.1:4444",
      "--api-listen",
      "[::1]:9000",
    ],
    { BMC_EMU_API_TOKEN: "t0k3n-from-the-environment" },
  );
  if (o.source.kind !== "flags") throw new Error("flags expected");
  assert.deepEqual(o.source.bmc.vm, { connect: { transport: "unix", path: "/run/q.sock" } });
  assert.deepEqual(o.source.bmc.qmp, { transport: "tcp", hostname: "127.0.0.1", port: 4444 });
  assert.equal(o.stateDir, null);
  assert.equal(o.logFormat, "json");
  assert.equal(o.source.bmc.id, "rack1-3");
  assert.deepEqual(o.api, { hostname: "::1", port: 9000 });
  assert.equal(o.apiToken, "t0k3n-from-the-environment");
  assert.equal(parseServeArgs(["--help"]), "help");
  assert.equal(options(["--api-listen", "off"]).api, null);
});

Deno.test("parseServeArgs() accepts --config and refuses single-BMC flags with it", () => {
  const o = options(["--config", "rack.json", "--api-token", "secret-secret-secret"]);
  assert.deepEqual(o.source, { kind: "config", file: "rack.json" });
  assert.throws(
    () => parseServeArgs(["--config", "x.json", "--vm-listen", "tcp:127.0.0.1:1"]),
    /--vm-listen cannot be combined with --config/,
  );
});

Deno.test("parseServeArgs() rejects bad command lines with a precise message", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--vm-listen", "tcp:1.2.3.4"], /--vm-listen.*expected tcp:HOST:PORT/],
    [["--vm-listen", "tcp:127.0.0.1:70000"], /port 70000 is out of range/],
    [["--vm-listen", "x", "--vm-connect", "y"], /exclude each other/],
    [["--ephemeral", "--state-dir", "d"], /exclude each other/],
    [["--log-level", "loud"], /--log-level must be/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--id", "a b"], /--id must be/],
    [["--api-listen", "8623"], /--api-listen must be HOST:PORT or off/],
  ];
  for (const [argv, message] of cases) {
    await t.step(
      argv.join(" "),
      () =>
        assert.throws(
          () => parseServeArgs(argv),
          (e: unknown) => e instanceof UsageError && message.test(e.message),
        ),
    );
  }
});

Deno.test("parseApiListen() handles IPv4, IPv6 and off", () => {
  assert.deepEqual(parseApiListen("0.0.0.0:80", "x"), { hostname: "0.0.0.0", port: 80 });
  assert.deepEqual(parseApiListen("[::]:80", "x"), { hostname: "::", port: 80 });
  assert.equal(parseApiListen("off", "x"), null);
});
