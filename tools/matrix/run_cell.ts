/**
 * Run one matrix cell: boot the kernel attached to a fresh bmc-emu, run the
 * scenario (stopping at once if the guest kernel crashes), and classify what
 * the guest did.
 *
 * @module
 */

import type { GuestKernel } from "../../src/guest/guest_kernel.ts";
import { runGuestScenario } from "../run_scenario.ts";
import type { Cell } from "./cell.ts";
import type { Iface } from "./manifest.ts";
import { type CellObservation, classify, CRASH_LINE, HUNG_TASK_TIMEOUT_S } from "./verdict.ts";
import { CELL_CACHE_DIR } from "./cell_cache.ts";

/** Where each run's raw observation (console, evidence, BMC state) is kept, for a second look. */
export const OBSERVATIONS_DIR = `${CELL_CACHE_DIR}observations/`;

async function saveObservation(name: string, o: CellObservation): Promise<void> {
  await Deno.mkdir(OBSERVATIONS_DIR, { recursive: true });
  const file = `${OBSERVATIONS_DIR}${name.replace(/[^\w.+-]+/g, "_")}.json`;
  await Deno.writeTextFile(file, JSON.stringify(o, null, 1) + "\n");
}

/** The guest command line every cell boots with. */
export const MATRIX_APPEND = `sysctl.kernel.hung_task_timeout_secs=${HUNG_TASK_TIMEOUT_S}`;

/**
 * Run a scenario on a kernel and name the verdict.
 *
 * @param o Kernel (and its label), scenario file and name, interface.
 * @returns The finished cell.
 */
export async function runCell(o: {
  readonly kernel: GuestKernel;
  readonly label: string;
  readonly scenarioFile: string;
  readonly scenario: string;
  readonly iface: Iface;
}): Promise<Cell> {
  const started = performance.now();
  const r = await runGuestScenario(o.scenarioFile, o.kernel, {
    iface: o.iface,
    append: MATRIX_APPEND,
    stopOn: CRASH_LINE,
  });
  const observation: CellObservation = {
    console: r.console,
    evidence: r.evidence,
    bmcWatchdogRunning: r.bmcWatchdogRunning,
    ...(r.setupError === undefined ? {} : { setupError: r.setupError }),
  };
  await saveObservation(`${o.label}-${o.scenario}-${o.iface}`, observation);
  const c = classify(observation);
  const steps = r.report?.steps.filter((s) => s.status === "passed" || s.status === "failed") ??
    [];
  const failed = steps.filter((s) => s.status === "failed").map((s) => s.name ?? s.kind);
  const summary = r.stoppedBy !== undefined
    ? "scenario stopped at the crash"
    : r.report === null
    ? "scenario not run"
    : `scenario steps: ${steps.length - failed.length}/${steps.length} passed` +
      (failed.length === 0 ? "" : `; failed: ${failed.map((n) => `"${n}"`).join(", ")}`);
  return {
    kernel: o.label,
    scenario: o.scenario,
    iface: o.iface,
    verdict: c.verdict,
    evidence: [...c.evidence, summary],
    seconds: Math.round((performance.now() - started) / 1000),
  };
}
