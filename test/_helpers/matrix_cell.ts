/**
 * A kernel matrix cell made from a recorded observation (the 6.1 kernel on
 * `wedged-kcs`: the KCS interface hosed, the watchdog write stuck), for
 * the cell report's tests.
 *
 * @module
 */

import type { Cell } from "../../tools/matrix/cell.ts";
import type { CellObservation } from "../../tools/matrix/verdict.ts";
import type { GuestScenarioResult } from "../../tools/run_scenario.ts";
import type { StepResult } from "../../src/scenario/step_result.ts";

const FIXTURE = new URL("../matrix/fixtures/6.1-wedged-kcs.json", import.meta.url);
const T0 = Date.parse("2026-11-30T10:00:00Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();

/** The cell. */
export const CELL: Cell = {
  kernel: "6.1.0-57-amd64",
  scenario: "wedged-kcs",
  iface: "kcs",
  verdict: "hang",
  evidence: ["watchdog write blocked 57.4 s <in D state>", "scenario steps: 3/4 passed"],
  seconds: 158,
};

/** A step of the scenario's report. */
function step(
  index: number,
  kind: string,
  status: StepResult["status"],
  atMs: number,
  durationMs: number,
): StepResult {
  return { index, kind, bmc: "bmc0", status, detail: `${kind} ${status}`, atMs, durationMs };
}

/** The fixture's real observation as a run's result, with a few of the BMC's events. */
export async function result(
  over: Partial<GuestScenarioResult> = {},
): Promise<GuestScenarioResult> {
  const o = JSON.parse(await Deno.readTextFile(FIXTURE)) as CellObservation;
  return {
    kernel: CELL.kernel,
    console: o.console,
    evidence: o.evidence,
    bmcWatchdogRunning: o.bmcWatchdogRunning,
    report: {
      scenario: "wedged-kcs",
      description: "the KCS interface wedges",
      passed: false,
      startedAt: at(0),
      durationMs: 90_000,
      assertions: { passed: 3, failed: 1 },
      steps: [
        step(0, "wait", "passed", 0, 5_000),
        step(1, "hang", "done", 5_000, 0),
        step(2, "assert", "failed", 80_000, 0),
      ],
    },
    events: [
      {
        time: at(1_000),
        type: "watchdog.set",
        data: { running: true, initialCountdownMs: 60_000 },
      },
      { time: at(5_000), type: "hang.started", data: { mode: "wedge" } },
      { time: at(60_000), type: "hang.released", data: { durationMs: 55_000 } },
      { time: at(59_000), type: "guest.report", data: { kind: "dmesg", line: "kcs hosed" } },
    ],
    ...over,
  };
}
