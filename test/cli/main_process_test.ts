import assert from "node:assert/strict";
import { type CliResult, runMain } from "../_helpers/cli.ts";

function run(args: string[]): Promise<CliResult> {
  return runMain(args);
}

Deno.test("bmc-emu --help and serve --help exit 0 and explain the options", async () => {
  const top = await run(["--help"]);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /serve\s+run emulated BMCs/);
  const serve = await run(["serve", "--help"]);
  assert.equal(serve.code, 0);
  for (
    const flag of [
      "--vm-listen",
      "--vm-connect",
      "--profile",
      "--state-dir",
      "--ephemeral",
      "--log-level",
      "--log-format",
    ]
  ) {
    assert.ok(serve.stdout.includes(flag), `help mentions ${flag}`);
  }
});

Deno.test("a usage error exits 2 with a hint", async () => {
  const r = await run(["serve", "--vm-listen", "nonsense"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--vm-listen/);
  assert.match(r.stderr, /Try 'bmc-emu serve --help'/);
  assert.equal((await run(["frobnicate"])).code, 2);
});

Deno.test("start-up failures exit 1 and say why", async () => {
  const bad = await run([
    "serve",
    "--ephemeral",
    "--profile",
    "no-such-profile",
    "--vm-listen",
    "tcp:127.0.0.1:0",
  ]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /no-such-profile.*is not a shipped profile/);
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  const busy = await run(["serve", "--ephemeral", "--vm-listen", `tcp:127.0.0.1:${port}`]);
  assert.equal(busy.code, 1);
  assert.match(
    busy.stderr,
    new RegExp(`VM listen tcp:127\\.0\\.0\\.1:${port}: address already in use`),
  );
  const apiBusy = await run([
    "serve",
    "--ephemeral",
    "--vm-listen",
    "tcp:127.0.0.1:0",
    "--api-listen",
    `127.0.0.1:${port}`,
  ]);
  assert.equal(apiBusy.code, 1);
  assert.match(
    apiBusy.stderr,
    new RegExp(`API listen 127\\.0\\.0\\.1:${port}: address already in use`),
  );
});

Deno.test("the README's 'deno task start' starts a BMC and stops cleanly on SIGTERM", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    // The last --vm-listen wins, so the test does not need port 9002.
    args: [
      "task",
      "start",
      "--vm-listen",
      "tcp:127.0.0.1:0",
      "--api-listen",
      "127.0.0.1:0",
      "--ephemeral",
      "--log-format",
      "json",
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const { LineWaiter } = await import("../../src/guest/line_waiter.ts");
  const { readLines } = await import("../../src/guest/read_lines.ts");
  const log = new LineWaiter();
  const out = new LineWaiter();
  const readers = [
    readLines(child.stderr, (l) => log.push(l)),
    readLines(child.stdout, (l) => out.push(l)),
  ];
  try {
    await log.waitFor(/"msg":"BMC started".*"profile":"generic"/, {
      timeoutMs: 20_000,
      fromStart: true,
    });
    await out.waitFor(/isa-ipmi-kcs,bmc=bmc0/, { timeoutMs: 5000, fromStart: true });
  } finally {
    child.kill("SIGTERM");
  }
  const status = await child.status;
  await Promise.all(readers);
  assert.ok(
    status.code === 0 || status.signal === "SIGTERM",
    `exit ${status.code} ${status.signal}`,
  );
});

Deno.test("serve --check-profile prints every problem of a broken profile and exits 1", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = await run(["serve", "--check-profile", "generic"]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /generic\.json: OK — profile "generic", manufacturer 32473/);
    const broken = `${dir}/broken.json`;
    await Deno.writeTextFile(
      broken,
      JSON.stringify({
        name: "Broken Name",
        description: "x",
        identity: { deviceId: 300, deviceRevision: 1, firmwareRevision: "1.0" },
        sensors: [{ kind: "threshold", name: "T", number: 1, type: "temperature" }],
      }),
    );
    const bad = await run(["serve", "--check-profile", broken]);
    assert.equal(bad.code, 1);
    for (const field of ["name", "identity.deviceId", "identity.firmwareRevision", "sensors[0]"]) {
      assert.ok(bad.stdout.includes(`  ${field}`), `names ${field}:\n${bad.stdout}`);
    }
    const semantic = `${dir}/semantic.json`;
    await Deno.writeTextFile(
      semantic,
      JSON.stringify({
        name: "semantic",
        description: "x",
        identity: {
          deviceId: 32,
          deviceRevision: 1,
          firmwareRevision: "1.00",
          additionalSupport: 0,
          manufacturerId: 1,
          productId: 1,
        },
        sensors: [{
          kind: "threshold",
          name: "T",
          number: 1,
          type: "temperature",
          unit: "degrees-c",
          range: [0, 100],
          reading: 20,
          thresholds: { unc: 90, ucr: 80 },
        }],
      }),
    );
    const s = await run(["serve", "--check-profile", semantic]);
    assert.equal(s.code, 1);
    assert.match(s.stdout, /sensors\[0\]\.number: 1 is already used by watchdogSensorNumber/);
    assert.match(s.stdout, /sensors\[0\]\.thresholds: must be ordered/);
    const missing = await run(["serve", "--check-profile", `${dir}/nope.json`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /cannot be read/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--version on every command prints deno.json's version", async () => {
  const pkg = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  for (
    const args of [["--version"], ["version"], ["serve", "--version"], ["ctl", "--version"], [
      "guest",
      "--version",
    ]]
  ) {
    const r = await run(args);
    assert.equal(r.code, 0, args.join(" "));
    assert.equal(r.stdout.trim(), `bmc-emu ${pkg.version}`, args.join(" "));
  }
});

Deno.test("guest --help explains the options and the demo", async () => {
  const r = await run(["guest", "--help"]);
  assert.equal(r.code, 0);
  for (
    const flag of ["--kernel", "--iface", "--bmc", "--run", "--qemu", "Ctrl-a x", "deno task demo"]
  ) {
    assert.ok(r.stdout.includes(flag), `guest help mentions ${flag}`);
  }
});

Deno.test("serve --check-config lists every problem of a broken config with its path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = `${dir}/rack.json`;
    await Deno.writeTextFile(
      bad,
      JSON.stringify({
        bmcs: [
          { id: "a", vm: { listen: "tcp:127.0.0.1:9100" } },
          { id: "a", vm: { listen: "tcp:127.0.0.1:9101" }, profile: "no-such-profile" },
          { id: "bad id", vm: { listen: "banana" } },
        ],
      }),
    );
    const r = await run(["serve", "--check-config", bad]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /4 problems/);
    for (
      const field of [
        "bmcs\\[2\\]\\.id:",
        "bmcs\\[2\\]\\.vm\\.listen: must be tcp:HOST:PORT",
        'bmcs\\[1\\]\\.id: repeats the id "a"',
        "bmcs\\[1\\]\\.profile: .*no-such-profile",
      ]
    ) {
      assert.match(r.stdout, new RegExp(field));
    }
    const good = `${dir}/ok.json`;
    await Deno.writeTextFile(
      good,
      JSON.stringify({
        bmcs: [{ id: "a", vm: { listen: "tcp:127.0.0.1:0" }, profile: "dell-idrac9" }],
      }),
    );
    const ok = await run(["serve", "--check-config", good]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /OK — 1 BMC/);
    assert.equal(
      (await run(["serve", "--check-config", good, "--ephemeral"])).code,
      2,
      "nothing else with it",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
