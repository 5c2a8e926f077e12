/**
 * A scenario report as text for people: whole, or a step at a time as a
 * streamed run completes them.
 *
 * @module
 */

import type { ScenarioReport, StepResult } from "./runner.ts";

const MARK: Record<string, string> = {
  passed: "PASS",
  failed: "FAIL",
  done: "  ok",
  skipped: "skip",
};

/**
 * One step as a line.
 *
 * @param s Step result.
 * @returns The line.
 */
export function formatStep(s: StepResult): string {
  const at = `${(s.atMs / 1000).toFixed(1).padStart(6)}s`;
  const label = s.name ? `${s.kind} "${s.name}"` : s.kind;
  return `  ${at} ${MARK[s.status]} ${label} [${s.bmc}]: ${s.detail}`;
}

/**
 * The verdict line.
 *
 * @param r Report.
 * @returns The line.
 */
export function formatSummary(r: ScenarioReport): string {
  return `Scenario ${r.scenario}: ${
    r.passed ? "PASSED" : "FAILED"
  } (${r.assertions.passed} passed, ${r.assertions.failed} failed, ${
    (r.durationMs / 1000).toFixed(1)
  } s)`;
}

/**
 * Format a report: the verdict, the description, then every step.
 *
 * @param r Report.
 * @returns Lines.
 */
export function formatReport(r: ScenarioReport): string[] {
  const lines = [formatSummary(r)];
  if (r.description) lines.push(`  ${r.description}`);
  for (const s of r.steps) lines.push(formatStep(s));
  return lines;
}
