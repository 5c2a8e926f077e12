import assert from "node:assert/strict";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { UsageError } from "../../src/cli/usage_error.ts";

Deno.test("parseServeArgs() applies the documented defaults", () => {
  const o = parseServeArgs([]);
  assert.notEqual(o, "help");
  if (o === "help") return;
  assert.equal(o.id, "bmc0");
  assert.equal(o.profile, "generic");
  assert.deepEqual(o.vm, {
    mode: "listen",
    endpoint: { transport: "tcp", hostname: "127.0.0.1", port: 9002 },
  });
  assert.equal(o.stateDir, ".bmc-state");
  assert.equal(o.logLevel, "info");
});

Deno.test("parseServeArgs() reads endpoints, state and logging options", () => {
  const o = parseServeArgs([
    "--vm-connect",
    "unix:/run/q.sock",
    "--ephemeral",
    "--log-format",
    "json",
    "--id",
    "rack1-3",
  ]);
  if (o === "help") throw new Error("unexpected help");
  assert.deepEqual(o.vm, { mode: "connect", endpoint: { transport: "unix", path: "/run/q.sock" } });
  assert.equal(o.stateDir, null);
  assert.equal(o.logFormat, "json");
  assert.equal(o.id, "rack1-3");
  assert.equal(parseServeArgs(["--help"]), "help");
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
