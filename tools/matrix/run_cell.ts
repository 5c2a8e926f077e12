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
import { cellHtml, cellReportPath, cellStem, OBSERVATIONS_DIR } from "./cell_report.ts";

/** Keep a run's raw observation, for a second look. */
async function saveObservation(cell: Cell, o: CellObservation): Promise<void> {
  await Deno.mkdir(OBSERVATIONS_DIR, { recursive: true });
  const file = `${OBSERVATIONS_DIR}${cellStem(cell)}.json`;
  await Deno.writeTextFile(file, JSON.stringify(o, null, 1) + "\n");
}

/** The guest command line every cell boots with. */
export const MATRIX_APPEND = `sysctl.kernel.hung_task_timeout_secs=${HUNG_TASK_TIMEOUT_S}`;

/**
 * Run a scenario on a kernel and name the verdict.
 *
 * @param o Kernel (and its label), scenario file and name, interface.
 * @returns The finished cell (its observation and HTML report written under
 *   `OBSERVATIONS_DIR`, {@link cellReportPath}).
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
    keepEvents: true,
  });
  const observation: CellObservation = {
    console: r.console,
    evidence: r.evidence,
    bmcWatchdogRunning: r.bmcWatchdogRunning,
    ...(r.setupError === undefined ? {} : { setupError: r.setupError }),
  };
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
  const cell: Cell = {
    kernel: o.label,
    scenario: o.scenario,
    iface: o.iface,
    verdict: c.verdict,
    evidence: [...c.evidence, summary],
    seconds: Math.round((performance.now() - started) / 1000),
  };
  await saveObservation(cell, observation);
  await Deno.writeTextFile(cellReportPath(cell), cellHtml(cell, r));
  return cell;
}
