/**
 * Run a scenario end to end against a kernel: boot it in QEMU attached to a
 * fresh bmc-emu, run the scenario's `guest` section (boot script, setup,
 * reactions to BMC events), stream guest evidence as `guest.report` events,
 * run the scenario with `bmc-emu ctl scenario run` (the same command a lab
 * rig uses), and report both sides.
 *
 *   deno run -A tools/run_scenario.ts [--kernel DIR] [--json] SCENARIO.json
 *
 * `--junit FILE` and `--html FILE` also write a JUnit XML or a
 * self-contained HTML report (the time line chart and the steps).
 *
 * `--kernel` takes a tree with boot/vmlinuz-* and lib/modules/<version>/
 * (`tools/fetch-kernel.sh` makes one); default: BMC_EMU_KERNEL or the
 * installed kernel. Exit 0 if the scenario passed, 1 if not, 2 on usage.
 *
 * @module
 */

import { quit, say, toolArgs } from "./_cli.ts";
import { ApiClient } from "../src/cli/api_client.ts";
import { type BmcEventType, isEventType } from "../src/core/events.ts";
import type { ScenarioReport, StepResult } from "../src/scenario/runner.ts";
import { formatStep, formatSummary } from "../src/scenario/report_text.ts";
import { type JunitSuite, junitXml, scenarioSuite } from "../src/scenario/report_junit.ts";
import { parseScenario, type Scenario } from "../src/scenario/scenario_schema.ts";
import { matchesWhere } from "../src/scenario/where.ts";
import { type GuestEvidence, summariseProbes, summariseWrites } from "./e2e/guest_evidence.ts";
import { GuestReporter } from "./e2e/guest_reporter.ts";
import { withGuest } from "./e2e/harness.ts";
import { e2eRequirements, type GuestKernel } from "./e2e/mod.ts";
import type { QemuGuest } from "../src/guest/qemu_guest.ts";
import { MAIN_TS } from "./e2e/bmc_process.ts";
import { errorMessage } from "../src/util/error_message.ts";
import { LineSplitter } from "../src/util/line_splitter.ts";
import type { TimelineEvent } from "../src/ui/assets/timeline.js";
import { eventHistory } from "../src/ui/event_history.ts";
import { scenarioHtml } from "../src/ui/report_html.ts";

/** The outcome of a guest-backed scenario run. */
export interface GuestScenarioResult {
  /** The BMC-side report (`null` if the run was stopped or setup failed). */
  readonly report: ScenarioReport | null;
  /** Guest evidence at the end. */
  readonly evidence: GuestEvidence | null;
  /** Kernel release. */
  readonly kernel: string;
  /** The guest's serial console (kernel messages). */
  readonly console: readonly string[];
  /** Whether the BMC's watchdog timer was running at the end (`null`: unknown). */
  readonly bmcWatchdogRunning: boolean | null;
  /** The console line that stopped the run early, if one did. */
  readonly stoppedBy?: string;
  /** Why a setup command failed, if one did (the scenario was not run). */
  readonly setupError?: string;
  /** The BMC's events at the end, IPMI exchanges left out (with `keepEvents`). */
  readonly events?: readonly TimelineEvent[];
}

/** Options for {@link runGuestScenario}. */
export interface GuestScenarioOptions {
  /** bmc-emu arguments (profile, …). */
  readonly bmcArgs?: string[];
  /** Interface override. */
  readonly iface?: Iface;
  /** Extra kernel command line. */
  readonly append?: string;
  /**
   * A console line matching this ends the run at once (a kernel crash):
   * the scenario is stopped once the report is complete (or after 5 s).
   */
  readonly stopOn?: RegExp;
  /** Called with each scenario step as it completes. */
  readonly onStep?: (step: StepResult) => void;
  /** Keep the BMC's events of the run in the result (for `--html`). */
  readonly keepEvents?: boolean;
}

/**
 * Run the guest reactions of a scenario: when a matching BMC event arrives,
 * run the guest command in the background.
 */
function react(
  scenario: Scenario,
  api: ApiClient,
  guest: QemuGuest,
  signal: AbortSignal,
): Promise<void> {
  const reactions = scenario.guest?.on ?? [];
  if (reactions.length === 0) return Promise.resolve();
  const types = [...new Set(reactions.map((r) => r.event))].join(",");
  return (async () => {
    try {
      for await (
        const m of api.events(`/api/v1/bmcs/${scenario.bmc}/events?types=${types}`, { signal })
      ) {
        if (m.event === "stream.open" || !isEventType(m.event)) continue;
        const e = JSON.parse(m.data) as { type: BmcEventType; data: Record<string, unknown> };
        for (const r of reactions) {
          if (r.event !== e.type || (r.where !== undefined && !matchesWhere(e.data, r.where))) {
            continue;
          }
          await guest.run(`(${r.run}) >/dev/null 2>&1 &`, 10_000).catch(() => {});
        }
      }
    } catch {
      // Stream closed at the end of the run.
    }
  })();
}

/** Guest interface types. */
const IFACES = ["kcs", "bt", "ssif"] as const;
type Iface = typeof IFACES[number];

/**
 * Run a scenario file with `bmc-emu ctl scenario run --json`, handing each
 * step to `onStep` as ctl prints it.
 *
 * @param file Scenario file.
 * @param apiUrl The BMC process's API.
 * @param signal Stops ctl.
 * @param onStep Called with each completed step.
 * @returns The report ctl printed last.
 */
async function runWithCtl(
  file: string,
  apiUrl: string,
  signal: AbortSignal | undefined,
  onStep: (step: StepResult) => void,
): Promise<ScenarioReport> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN_TS, "ctl", "--api", apiUrl, "--json", "scenario", "run", file],
    stdout: "piped",
    stderr: "piped",
    ...(signal === undefined ? {} : { signal }),
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let report: ScenarioReport | null = null;
  let last = "";
  for await (
    const line of child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(
      new LineSplitter(),
    )
  ) {
    if (line.trim() === "") continue;
    last = line;
    const { type, ...rest } = JSON.parse(line) as Record<string, unknown>;
    if (type === "step") onStep(rest as unknown as StepResult);
    else if (type === "report") report = rest as unknown as ScenarioReport;
  }
  const status = await child.status;
  if (report === null) {
    throw new Error(
      `ctl scenario run exited ${status.code} without a report: ${
        (await stderr).trim() || last.trim()
      }`,
    );
  }
  return report;
}

/**
 * Boot a guest on `kernel` and run the scenario in `file` against it.
 *
 * @param file Scenario file (validated here, run by `ctl scenario run`).
 * @param kernel Guest kernel.
 * @param options bmc-emu arguments (profile, …); interface override.
 * @returns Report and evidence.
 */
export async function runGuestScenario(
  file: string,
  kernel: GuestKernel,
  options: GuestScenarioOptions = {},
): Promise<GuestScenarioResult> {
  const scenario = parseScenario(JSON.parse(await Deno.readTextFile(file)), file);
  let result: GuestScenarioResult | null = null;
  const iface = options.iface ?? scenario.guest?.iface ?? "kcs";
  await withGuest({
    kernel,
    iface,
    ...(scenario.guest?.boot === undefined
      ? {}
      : { bootScript: bootFor(scenario.guest.boot, scenario.guest.iface, iface) }),
    ...(options.append === undefined ? {} : { append: options.append }),
    bmc: { args: options.bmcArgs ?? [] },
  }, async ({ guest, bmc }) => {
    const api = new ApiClient(bmc.apiUrl, null);
    const base = { kernel: kernel.version, console: guest.console.lines };
    const watchdogRunning = () => bmcWatchdogRunning(api, scenario.bmc);
    for (const cmd of scenario.guest?.setup ?? []) {
      try {
        await guest.ok(cmd, 60_000);
      } catch (error) {
        const evidence = await new GuestReporter({ guest, api, bmc: scenario.bmc }).poll()
          .catch(() => null);
        result = {
          ...base,
          report: null,
          evidence,
          bmcWatchdogRunning: await watchdogRunning(),
          setupError: errorMessage(error).split("\n").slice(0, 3).join(" "),
        };
        return;
      }
    }
    const reporter = new GuestReporter({ guest, api, bmc: scenario.bmc });
    const stop = new AbortController();
    const reactions = react(scenario, api, guest, stop.signal);
    const crash = options.stopOn === undefined
      ? null
      : watchForCrash(guest, options.stopOn, stop.signal);
    reporter.start();
    try {
      const ctl = new AbortController();
      crash?.then((line) => line !== null && ctl.abort());
      const report = await runWithCtl(file, bmc.apiUrl, ctl.signal, options.onStep ?? (() => {}))
        .catch((error) => {
          if (ctl.signal.aborted) return null;
          throw error;
        });
      const evidence = await reporter.poll().catch(() => reporter.last);
      const stoppedBy = ctl.signal.aborted ? await crash! : null;
      result = {
        ...base,
        report,
        evidence,
        bmcWatchdogRunning: await watchdogRunning(),
        ...(stoppedBy === null ? {} : { stoppedBy }),
        ...(options.keepEvents
          ? {
            events: await eventHistory((p, o) => api.events(p, o), scenario.bmc).catch(() => []),
          }
          : {}),
      };
    } finally {
      stop.abort();
      await reporter.stop();
      await reactions;
      await crash;
    }
  });
  return result!;
}

/**
 * The boot script for `iface`: a scenario's `load-ipmi <its iface> …` line is
 * re-aimed at an overriding interface (its driver parameters dropped, since
 * they belong to the other driver); any other script is used as written.
 */
function bootFor(boot: string, scenarioIface: string, iface: string): string {
  if (iface === scenarioIface) return boot;
  return boot.replace(new RegExp(`^load-ipmi ${scenarioIface}\\b[^\\n;&|]*`), `load-ipmi ${iface}`);
}

/** The BMC's watchdog state, or `null` if it cannot be read. */
async function bmcWatchdogRunning(api: ApiClient, bmc: string): Promise<boolean | null> {
  try {
    const state = await api.json("GET", `/api/v1/bmcs/${bmc}`);
    const running = (state["watchdog"] as { running?: unknown } | undefined)?.running;
    return typeof running === "boolean" ? running : null;
  } catch {
    return null;
  }
}

/**
 * Resolve with the first console line matching `pattern`, once the report
 * after it is complete (the end-of-trace marker, or 5 s); `null` when
 * `signal` aborts first.
 */
async function watchForCrash(
  guest: QemuGuest,
  pattern: RegExp,
  signal: AbortSignal,
): Promise<string | null> {
  const aborted = new Promise<null>((resolve) => {
    if (signal.aborted) resolve(null);
    signal.addEventListener("abort", () => resolve(null), { once: true });
  });
  const ONE_DAY_MS = 86_400_000;
  const hit = await Promise.race([
    guest.console.waitFor(pattern, { timeoutMs: ONE_DAY_MS, fromStart: true, what: "a crash" })
      .catch(() => null),
    aborted,
  ]);
  if (hit === null) return null;
  await Promise.race([
    guest.console.waitFor(/---\[ end trace|<\/TASK>/, { timeoutMs: 5_000 }).catch(() => null),
    aborted,
  ]);
  return hit;
}

/**
 * A result as a JUnit suite: the scenario's waits and assertions, or one
 * failed case saying why the scenario did not run.
 *
 * @param r Result.
 * @returns The suite.
 */
export function guestSuite(r: GuestScenarioResult): JunitSuite {
  if (r.report !== null) return scenarioSuite(r.report);
  const why = r.stoppedBy !== undefined
    ? `the guest kernel crashed: ${r.stoppedBy}`
    : r.setupError ?? "not run";
  return {
    name: "scenario",
    timestamp: new Date().toISOString(),
    cases: [{ name: `guest ${r.kernel}`, classname: "scenario", seconds: 0, failure: why }],
  };
}

/**
 * The guest side of a result, for people.
 *
 * @param r Result.
 * @returns Lines.
 */
export function formatGuestSide(r: GuestScenarioResult): string[] {
  const e = r.evidence;
  const lines0: string[] = [];
  if (e === null) return [`Guest (${r.kernel}): no evidence collected`];
  if (r.setupError !== undefined) lines0.push(`  setup failed: ${r.setupError}`);
  if (r.stoppedBy !== undefined) lines0.push(`  run stopped at: ${r.stoppedBy}`);
  const lines = [`Guest (${r.kernel}), uptime ${e.uptime.toFixed(1)} s:`, ...lines0];
  if (e.writes.length > 0) {
    lines.push("  /dev/watchdog writes:", ...summariseWrites(e.writes).map((l) => `    ${l}`));
  }
  if (e.probes.length > 0) {
    lines.push(
      "  ordinary requests (ipmitool mc info):",
      ...summariseProbes(e.probes).map((l) => `    ${l}`),
    );
  }
  if (e.dState.length > 0) {
    lines.push(
      "  processes in D state:",
      ...e.dState.map((p) => `    ${p.pid} ${p.comm} (${p.wchan})`),
    );
  }
  const notable = e.dmesg.filter((l) =>
    !/IPMI message handler: version|ipmi device interface|Trying |probing via/.test(l)
  );
  if (notable.length > 0) lines.push("  kernel log:", ...notable.slice(-25).map((l) => `    ${l}`));
  return lines;
}

const USAGE = `Usage: deno run -A tools/run_scenario.ts [options] SCENARIO.json

Boots a guest kernel in QEMU attached to a fresh bmc-emu, runs the scenario's
guest section, runs the scenario with \`bmc-emu ctl scenario run\`, and prints
both the BMC-side report and what the guest kernel did.

Options:
  --kernel DIR     kernel tree: boot/vmlinuz-* + lib/modules/<version>/
                   (tools/fetch-kernel.sh SUITE makes one; default:
                   BMC_EMU_KERNEL, else the installed kernel)
  --iface IFACE    kcs | bt | ssif: override the scenario's interface (a
                   custom guest boot script is used as written)
  --profile NAME   firmware profile for bmc-emu (default: generic)
  --json           JSON lines: each step as it completes ({"type": "step"}),
                   then the result ({"type": "result"})
  --junit FILE     also write a JUnit XML report (each wait and assertion a
                   test case), for CI systems to show as test results
  --html FILE      also write a self-contained HTML report: the time line
                   chart (watchdog countdown, host actions, resets, hangs,
                   fault hits) with the steps on it as PASS/FAIL, and the
                   step table
  -h, --help       this help

Exit status: 0 passed, 1 failed (or the guest could not run), 2 usage.`;

if (import.meta.main) {
  const { values, positionals } = toolArgs("run_scenario", USAGE, {
    options: {
      kernel: { type: "string" },
      iface: { type: "string" },
      profile: { type: "string" },
      json: { type: "boolean" },
      junit: { type: "string" },
      html: { type: "string" },
    },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    quit("run_scenario", `one scenario file\n\n${USAGE}`);
  }
  const iface = values.iface;
  if (iface !== undefined && !IFACES.includes(iface as Iface)) {
    quit("run_scenario", `--iface must be one of ${IFACES.join(", ")}, got "${iface}"`);
  }
  const req = await e2eRequirements(values.kernel);
  if (!req.ok) {
    quit("run_scenario", req.reason, 1);
  }
  if (!values.json) say(`Booting ${req.setup.kernel.version} and running ${file} …`);
  const result = await runGuestScenario(file, req.setup.kernel, {
    bmcArgs: values.profile === undefined ? [] : ["--profile", values.profile],
    ...(iface === undefined ? {} : { iface: iface as Iface }),
    keepEvents: values.html !== undefined,
    onStep: (step) =>
      say(values.json ? JSON.stringify({ type: "step", ...step }) : formatStep(step)),
  });
  if (values.junit !== undefined) {
    await Deno.writeTextFile(values.junit, junitXml([guestSuite(result)]));
  }
  if (values.html !== undefined && result.report !== null) {
    const notes = [`kernel ${result.kernel}`, ...formatGuestSide(result)];
    await Deno.writeTextFile(
      values.html,
      scenarioHtml(result.report, result.events ?? [], { notes }),
    );
    if (!values.json) say(`HTML report: ${values.html}`);
  }
  const { events: _events, ...printed } = result;
  if (values.json) say(JSON.stringify({ type: "result", ...printed }));
  else {
    if (result.report !== null) say(formatSummary(result.report));
    for (const line of formatGuestSide(result)) say(line);
  }
  Deno.exit(result.report?.passed ? 0 : 1);
}
