/**
 * A scenario report as text for people.
 *
 * @module
 */

import type { ScenarioReport } from "./runner.ts";

const MARK: Record<string, string> = {
  passed: "PASS",
  failed: "FAIL",
  done: "  ok",
  skipped: "skip",
};

/**
 * Format a report.
 *
 * @param r Report.
 * @returns Lines.
 */
export function formatReport(r: ScenarioReport): string[] {
  const lines = [
    `Scenario ${r.scenario}: ${
      r.passed ? "PASSED" : "FAILED"
    } (${r.assertions.passed} passed, ${r.assertions.failed} failed, ${
      (r.durationMs / 1000).toFixed(1)
    } s)`,
  ];
  if (r.description) lines.push(`  ${r.description}`);
  for (const s of r.steps) {
    const at = `${(s.atMs / 1000).toFixed(1).padStart(6)}s`;
    const label = s.name ? `${s.kind} "${s.name}"` : s.kind;
    lines.push(`  ${at} ${MARK[s.status]} ${label} [${s.bmc}]: ${s.detail}`);
  }
  return lines;
}
