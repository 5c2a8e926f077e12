/**
 * A kernel matrix cell's evidence as one self-contained HTML page (the
 * scenario reports' page, `src/ui/report_html.ts`): the verdict, the BMC's
 * time line during the run with the scenario's steps on it, why the cell
 * got its verdict, the guest side and the tail of the console. Kept next
 * to the cell's raw observation, named by kernel, scenario and interface.
 *
 * @module
 */

import { reportHtml } from "../../src/ui/report_html.ts";
import { formatGuestSide, type GuestScenarioResult } from "../run_scenario.ts";
import type { Cell } from "./cell.ts";
import { CELL_CACHE_DIR } from "./cell_cache.ts";
import { VERDICT_COLOUR } from "./render.ts";
import { VERDICT_MEANING } from "./verdict.ts";

/** Where each run's raw observation (console, evidence, BMC state) and HTML report are kept. */
export const OBSERVATIONS_DIR = `${CELL_CACHE_DIR}observations/`;

/** Console lines the page shows (the tail; the observation keeps them all). */
export const CONSOLE_TAIL = 200;

/**
 * The file name stem of a cell's observation and report.
 *
 * @param c The cell (its kernel label, scenario and interface).
 * @returns A name safe in a path.
 */
export function cellStem(c: Pick<Cell, "kernel" | "scenario" | "iface">): string {
  return `${c.kernel}-${c.scenario}-${c.iface}`.replace(/[^\w.+-]+/g, "_");
}

/**
 * Where a cell's HTML report is written.
 *
 * @param c The cell.
 * @param dir Directory. @default OBSERVATIONS_DIR
 * @returns The path.
 */
export function cellReportPath(
  c: Pick<Cell, "kernel" | "scenario" | "iface">,
  dir: string = OBSERVATIONS_DIR,
): string {
  return `${dir}${cellStem(c)}.html`;
}

/** The chart's window: the scenario's run, or the span of the events when it was stopped. */
function window(r: GuestScenarioResult): { from: number; to: number } {
  if (r.report !== null) {
    const from = Date.parse(r.report.startedAt);
    if (!Number.isNaN(from)) return { from, to: from + Math.max(1000, r.report.durationMs) };
  }
  const times = (r.events ?? []).map((e) => Date.parse(e.time)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) return { from: 0, to: 1000 };
  const from = Math.min(...times);
  return { from, to: Math.max(from + 1000, Math.max(...times) + 500) };
}

/**
 * A cell's report page.
 *
 * @param cell The finished cell.
 * @param r What the run observed (with `events` for the chart).
 * @returns The HTML text.
 */
export function cellHtml(cell: Cell, r: GuestScenarioResult): string {
  const { from, to } = window(r);
  const run = r.report === null
    ? r.stoppedBy !== undefined
      ? `The scenario was stopped when the kernel crashed: ${r.stoppedBy}`
      : `The scenario did not run${r.setupError === undefined ? "" : `: ${r.setupError}`}.`
    : `Scenario started ${r.report.startedAt}, ${(r.report.durationMs / 1000).toFixed(1)} s; ` +
      `assertions ${r.report.assertions.passed} passed, ${r.report.assertions.failed} failed.`;
  return reportHtml({
    title: `${cell.kernel} · ${cell.scenario} · ${cell.iface}`,
    verdict: cell.verdict,
    verdictColour: VERDICT_COLOUR[cell.verdict],
    intro: [
      `${cell.verdict}: ${VERDICT_MEANING[cell.verdict]}`,
      `Kernel matrix cell, ${cell.seconds} s. ${run}`,
    ],
    events: r.events ?? [],
    from,
    to,
    ...(r.report === null ? {} : { steps: r.report.steps }),
    sections: [
      { heading: "Why this verdict", lines: cell.evidence },
      { heading: "Guest side", lines: formatGuestSide(r) },
      {
        heading: `Console (last ${Math.min(CONSOLE_TAIL, r.console.length)} lines)`,
        lines: r.console.slice(-CONSOLE_TAIL),
      },
    ],
  });
}
