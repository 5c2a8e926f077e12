import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseConfig } from "../../src/runtime/config_file.ts";

const ok = {
  bmcs: [
    { id: "a", vm: { listen: "tcp:127.0.0.1:9002" } },
    {
      id: "b",
      profile: "qemu-default",
      vm: { connect: "unix:/run/b.sock" },
      qmp: "unix:/run/b-qmp.sock",
      stateFile: null,
    },
  ],
};

Deno.test("parseConfig() accepts BMCs with listen/connect endpoints, qmp and state files", () => {
  const c = parseConfig(ok, "rack.json");
  assert.equal(c.stateDir, ".bmc-state");
  assert.equal(c.bmcs[0]!.profile, "generic");
  assert.deepEqual(c.bmcs[1]!.vm, { connect: { transport: "unix", path: "/run/b.sock" } });
  assert.deepEqual(c.bmcs[1]!.qmp, { transport: "unix", path: "/run/b-qmp.sock" });
  assert.equal(c.bmcs[1]!.stateFile, null);
});

Deno.test("parseConfig() names the file and the field of every problem", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    ["no BMCs", { bmcs: [] }, /field "bmcs" must declare at least one BMC/],
    [
      "bad id",
      { bmcs: [{ id: "a b", vm: { listen: "tcp:127.0.0.1:1" } }] },
      /field "bmcs\[0\]\.id" must be 1-64/,
    ],
    [
      "bad endpoint",
      { bmcs: [{ id: "a", vm: { listen: "tcp:nowhere" } }] },
      /field "bmcs\[0\]\.vm\.listen" must be tcp:HOST:PORT/,
    ],
    ["both listen and connect", {
      bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:1", connect: "tcp:127.0.0.1:2" } }],
    }, /bmcs\[0\]\.vm/],
    ["duplicate id", {
      bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:1" } }, {
        id: "a",
        vm: { listen: "tcp:127.0.0.1:2" },
      }],
    }, /field "bmcs\[1\]\.id" repeats the id "a"/],
    ["duplicate endpoint", {
      bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:1" } }, {
        id: "b",
        vm: { listen: "tcp:127.0.0.1:1" },
      }],
    }, /field "bmcs\[1\]\.vm\.listen" repeats the endpoint/],
    [
      "unknown key",
      { bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:1" }, colour: 1 }] },
      /field "bmcs\[0\]" has unknown key "colour"/,
    ],
    [
      "unknown command in a fault rule",
      {
        bmcs: [{
          id: "a",
          vm: { listen: "tcp:127.0.0.1:1" },
          faults: [{ action: { type: "drop" } }, {
            match: { netfn: "app", cmd: "get-nothing" },
            action: { type: "drop" },
          }],
        }],
      },
      /field "bmcs\[0\]\.faults\[1\]\.match\.cmd" names unknown command "get-nothing"/,
    ],
    [
      "bad LAN address",
      { bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:1" }, lan: { listen: "623" } }] },
      /field "bmcs\[0\]\.lan\.listen" must be HOST:PORT, got "623"/,
    ],
    [
      "cipher suite 0 in a config",
      {
        bmcs: [{
          id: "a",
          vm: { listen: "tcp:127.0.0.1:1" },
          lan: { listen: "127.0.0.1:623", cipherSuites: [17, 0] },
        }],
      },
      /field "bmcs\[0\]\.lan\.cipherSuites\[1\]" must be one of 1, 2, 3, 15, 16, 17 \(suite 0 only through a profile's lan\.cipherSuites\)/,
    ],
    [
      "bad API address",
      { api: { listen: "localhost" }, bmcs: ok.bmcs },
      /field "api\.listen" must be HOST:PORT or off, got "localhost"/,
    ],
    [
      "short token",
      { api: { token: "x" }, bmcs: ok.bmcs },
      /field "api\.token" must be at least 16 characters/,
    ],
  ];
  for (const [name, json, message] of cases) {
    await t.step(
      name,
      () =>
        assert.throws(
          () => parseConfig(json, "rack.json"),
          (e: unknown) =>
            e instanceof ConfigError && /^Cannot load config "rack\.json"/.test(e.message) &&
            message.test(e.message),
        ),
    );
  }
  await t.step("port 0 may repeat", () => {
    parseConfig({
      bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:0" } }, {
        id: "b",
        vm: { listen: "tcp:127.0.0.1:0" },
      }],
    }, "x");
  });
});

Deno.test("loadConfig() reports unreadable and non-JSON files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/bad.json`, "{");
    await assert.rejects(() => loadConfig(`${dir}/bad.json`), /bad\.json": is not valid JSON/);
    await assert.rejects(() => loadConfig(`${dir}/none.json`), /none\.json": cannot be read/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
