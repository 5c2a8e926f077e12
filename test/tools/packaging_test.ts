/**
 * The Containerfile and the systemd unit, checked without building or
 * installing them (`tools/build-image.sh` builds the image; README
 * "Packaging"): what they copy exists and is not ignored, and the `serve`
 * command lines they run are ones `serve` accepts.
 */

import assert from "node:assert/strict";
import { parseServeArgs } from "../../src/cli/serve_args.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, root));

/** The instructions of a Containerfile, continuation lines joined. */
function instructions(text: string): { op: string; args: string }[] {
  return text.replace(/\\\n/g, " ").split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(" ") };
    });
}

Deno.test("Containerfile: every COPY source exists and is not excluded by .containerignore", async () => {
  const steps = instructions(await read("Containerfile"));
  const ignored = (await read(".containerignore")).split("\n").map((l) => l.trim())
    .filter((l) => l !== "");
  const copies = steps.filter((s) => s.op === "COPY");
  assert.ok(copies.length >= 4, "copies the project");
  for (const copy of copies) {
    const sources = copy.args.split(/\s+/).slice(0, -1);
    for (const source of sources) {
      const stat = await Deno.stat(new URL(source, root));
      assert.ok(stat.isFile || stat.isDirectory, source);
      const top = source.replace(/\/$/, "").split("/")[0]!;
      assert.ok(!ignored.includes(top), `${source} is excluded by .containerignore`);
    }
  }
  assert.match(steps.find((s) => s.op === "FROM")!.args, /debian:bookworm/);
});

Deno.test("Containerfile: the default command is a serve command line serve accepts", async () => {
  const steps = instructions(await read("Containerfile"));
  const entry = JSON.parse(steps.find((s) => s.op === "ENTRYPOINT")!.args) as string[];
  const cmd = JSON.parse(steps.find((s) => s.op === "CMD")!.args) as string[];
  assert.deepEqual(entry.slice(0, 3), ["deno", "run", "-A"]);
  assert.equal(cmd[0], "serve");
  const options = parseServeArgs(
    cmd.slice(1),
    (name) => name === "BMC_EMU_API_TOKEN" ? "secret" : undefined,
  );
  assert.ok(typeof options === "object" && "source" in options);
  assert.equal(options.apiToken, "secret");
  assert.deepEqual(options.api, { hostname: "0.0.0.0", port: 8623 });
});

Deno.test("the systemd unit runs serve --check-config, then serve --config, both accepted", async () => {
  const unit = await read("packaging/bmc-emu.service");
  const exec = (key: string) => {
    const line = unit.split("\n").find((l) => l.startsWith(`${key}=`));
    assert.ok(line, key);
    const argv = line.slice(key.length + 1).split(/\s+/);
    const serve = argv.indexOf("serve");
    assert.ok(serve > 0, `${key} runs serve`);
    return argv.slice(serve + 1);
  };
  assert.deepEqual(parseServeArgs(exec("ExecStartPre")), {
    checkConfig: "/etc/bmc-emu/rack.json",
  });
  const start = parseServeArgs(exec("ExecStart"));
  assert.ok(typeof start === "object" && "source" in start);
  assert.deepEqual(start.source, { kind: "config", file: "/etc/bmc-emu/rack.json" });
  assert.equal(start.stateDir, "/var/lib/bmc-emu");
  assert.match(unit, /^KillSignal=SIGTERM$/m);
});
