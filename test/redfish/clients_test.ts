/**
 * Real Redfish clients against a real `serve --config` process with a VM
 * peer: Debian's python3-sushy (Ironic's library) and redfishtool. Ignored
 * with the reason when a client is missing; failed instead when `CI=true`.
 */

import assert from "node:assert/strict";
import { NetFn, SensorEventCmd, VmCmd } from "../../src/codec/constants.ts";
import { BmcProcess } from "../../tools/e2e/bmc_process.ts";
import { fromFileUrl } from "../../src/util/file_url.ts";
import { PYTHON, runs } from "../_helpers/programs.ts";
import { VmPeer } from "../_helpers/vm_peer.ts";

const SUSHY_SCRIPT = fromFileUrl(new URL("./sushy_client.py", import.meta.url));
const strict = Deno.env.get("CI") === "true";
const USER = "root";
const PASSWORD = "redfish-pw";

const haveSushy = await runs(PYTHON, ["-c", "import sushy"]);
const haveRedfishtool = await runs("redfishtool", ["-h"]);
const haveOpenssl = await runs("openssl", ["version"]);

function clientTest(
  name: string,
  present: boolean,
  missing: string,
  fn: () => Promise<void>,
): void {
  const ignore = !present && !strict;
  Deno.test({
    name: ignore ? `${name} (ignored: ${missing})` : name,
    ignore,
    sanitizeResources: false,
    sanitizeOps: false,
    fn: () => {
      if (!present) throw new Error(`Redfish client missing with CI=true: ${missing}`);
      return fn();
    },
  });
}

/** A serve process with one BMC, its Redfish service, and a VM peer attached. */
async function startBmc(tls?: "self-signed"): Promise<
  { bmc: BmcProcess; peer: VmPeer; redfish: string; [Symbol.asyncDispose](): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-redfish-" });
  const config = `${dir}/bmcs.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      stateDir: null,
      bmcs: [{
        id: "bmc0",
        profile: "generic",
        vm: { listen: "tcp:127.0.0.1:0" },
        redfish: { listen: "127.0.0.1:0", ...(tls === undefined ? {} : { tls }) },
        users: [{ id: 2, name: USER, password: PASSWORD, privilege: "administrator" }],
      }],
    }),
  );
  const bmc = await BmcProcess.start({ args: ["--config", config] });
  const entry = bmc.entries().find((e) => e.msg === "Redfish listening");
  assert.ok(entry, "Redfish listening is logged");
  const peer = await VmPeer.connect(bmc.vmEndpoint());
  await peer.until(() => true);
  return {
    bmc,
    peer,
    redfish: String(entry.url),
    async [Symbol.asyncDispose]() {
      await peer.close();
      await bmc.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function command(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, out: dec.decode(out.stdout) + dec.decode(out.stderr) };
}

clientTest(
  "sushy: sessions, systems, managers, resets reach the VM, SEL, sensors, Manager.Reset",
  haveSushy,
  "python3-sushy is not installed (apt-get install python3-sushy)",
  async () => {
    await using t = await startBmc();
    // What a guest panic writes (panic_op=event): an OS Critical Stop event.
    const pem = await t.peer.call(1, NetFn.SensorEvent, SensorEventCmd.PlatformEvent, [
      0x41,
      0x04,
      0x20,
      0x00,
      0x6f,
      0xa1,
      0x00,
      0x00,
    ]);
    assert.equal(pem.response.cc, 0);
    const run = await command(PYTHON, [
      SUSHY_SCRIPT,
      t.redfish,
      USER,
      PASSWORD,
      t.bmc.apiUrl,
      "bmc0",
    ]);
    const steps = Object.fromEntries(
      run.out.split("\n").filter((l) => l.startsWith("{")).map((l) => {
        const j = JSON.parse(l);
        return [j.step, j];
      }),
    );
    assert.ok(steps["after-reset"], `sushy script failed:\n${run.out}`);
    assert.equal(run.code, 0);
    assert.deepEqual(steps.collections.systems, ["/redfish/v1/Systems/1"]);
    assert.deepEqual(steps.collections.managers, ["/redfish/v1/Managers/1"]);
    assert.equal(steps.system.power, "On");
    assert.equal(steps.system.manufacturer, "bmc-emu");
    assert.ok(steps.system.resets.includes("ForceRestart"));
    assert.ok(!steps.system.resets.includes("On"), "the vm backend cannot power on");
    // ForceRestart and PowerCycle reached the VM as resets; ForceOff as power off.
    const controls = t.peer.controls.filter((op) => op === VmCmd.Reset || op === VmCmd.PowerOff);
    assert.deepEqual(controls, [VmCmd.Reset, VmCmd.Reset, VmCmd.PowerOff]);
    assert.equal(steps["force-off"].redfish_power, "Off");
    assert.equal(steps["force-off"].api_power, "off", "the BMC's own HTTP API sees it");
    const sel = steps.sel.entries;
    assert.equal(sel.length, 1);
    assert.equal(sel[0].SensorType, "OS Stop/Shutdown");
    assert.equal(sel[0].Severity, "Critical");
    assert.ok(Object.keys(steps.sensors.temperatures).length > 0);
    assert.equal(steps.manager.type, "BMC");
    // The generic profile resets in disconnect mode: Redfish goes away (connections refused or
    // cut) and comes back, as the guest's VM link does.
    assert.ok(
      steps["manager-reset"].statuses.includes(0),
      JSON.stringify(steps["manager-reset"]),
    );
    assert.ok(steps["manager-reset"].statuses.includes(200));
    await t.peer.waitClosed();
    assert.ok(
      t.bmc.entries().some((e) => e.msg === "BMC reset" && e.origin === "redfish"),
      "Manager.Reset ran the BMC reset",
    );
  },
);

clientTest(
  "redfishtool (as written: -r 127.0.0.1:PORT -u -p, HTTPS self-signed): Systems, reset ForceOff, Managers, Chassis",
  haveRedfishtool && haveOpenssl,
  "redfishtool or openssl is not installed (apt-get install redfishtool openssl)",
  async () => {
    await using t = await startBmc("self-signed");
    assert.match(t.redfish, /^https:/);
    const host = t.redfish.replace(/^https?:\/\//, "");
    const base = ["-r", host, "-u", USER, "-p", PASSWORD];
    const systems = await command("redfishtool", [...base, "Systems"]);
    assert.equal(systems.code, 0, systems.out);
    assert.match(systems.out, /"@odata.id": "\/redfish\/v1\/Systems\/1"/);
    const system = await command("redfishtool", [...base, "Systems", "-I", "1"]);
    assert.equal(system.code, 0, system.out);
    assert.match(system.out, /"PowerState": "On"/);
    const off = await command("redfishtool", [...base, "Systems", "-I", "1", "reset", "ForceOff"]);
    assert.equal(off.code, 0, off.out);
    await t.peer.until(() => t.peer.controls.includes(VmCmd.PowerOff), 5000, "power off");
    const state = await (await fetch(`${t.bmc.apiUrl}/api/v1/bmcs/bmc0`)).json();
    assert.equal(state.power.state, "off");
    const managers = await command("redfishtool", [...base, "Managers"]);
    assert.equal(managers.code, 0, managers.out);
    assert.match(managers.out, /\/redfish\/v1\/Managers\/1/);
    const chassis = await command("redfishtool", [...base, "Chassis"]);
    assert.equal(chassis.code, 0, chassis.out);
    assert.match(chassis.out, /\/redfish\/v1\/Chassis\/1/);
    const wrong = await command("redfishtool", ["-r", host, "-u", USER, "-p", "nope", "Systems"]);
    assert.notEqual(wrong.code, 0, "a wrong password is refused");
  },
);
