/**
 * A scenario report as one self-contained HTML page: the same time line
 * chart as the dashboard (inline SVG, no script, no external file) with the
 * waits and assertions as PASS/FAIL markers, and the steps as a table. For
 * a CI job to keep as an artifact.
 *
 * @module
 */

import type { ScenarioReport } from "../scenario/runner.ts";
import { escapeHtml } from "./assets/format.js";
import { buildTimeline, legendHtml, type TimelineEvent, timelineSvg } from "./assets/timeline.js";

/** What else the page shows. */
export interface ScenarioHtmlOptions {
  /** Page title. @default "Scenario <name>" */
  readonly title?: string;
  /** Lines shown under the steps (the guest side: kernel, evidence). */
  readonly notes?: readonly string[];
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:1rem;color:#0f172a}
table{border-collapse:collapse}th,td{border:1px solid #cbd5e1;padding:.2rem .4rem;text-align:left;vertical-align:top}
.PASS{color:#15803d;font-weight:600}.FAIL{color:#b91c1c;font-weight:600}.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;list-style:none;padding:0;font-size:.85rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border:1px solid #94a3b8}pre{white-space:pre-wrap}
.tl-item:focus{outline:3px solid #f59e0b;stroke:#f59e0b;stroke-width:2}`;

function verdict(status: string): string {
  return status === "passed" ? "PASS" : status === "failed" ? "FAIL" : status;
}

/**
 * The report page.
 *
 * @param report The scenario's report.
 * @param events The BMC's events during the run (oldest first; others are ignored).
 * @param options Title and notes.
 * @returns The HTML text.
 */
export function scenarioHtml(
  report: ScenarioReport,
  events: readonly TimelineEvent[],
  options: ScenarioHtmlOptions = {},
): string {
  const start = Date.parse(report.startedAt);
  const from = Number.isNaN(start) ? 0 : start;
  const to = from + Math.max(1000, report.durationMs);
  const steps: TimelineEvent[] = report.steps
    .filter((s) => s.status === "passed" || s.status === "failed")
    .map((s) => ({
      time: new Date(from + s.atMs + s.durationMs).toISOString(),
      type: "scenario.step",
      data: { status: s.status, name: s.name ?? s.kind },
    }));
  const all = [...events.filter((e) => e.type !== "scenario.step"), ...steps]
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const title = options.title ?? `Scenario ${report.scenario}`;
  const svg = timelineSvg(buildTimeline(all, { from, to }), { title: `${title}: time line` });
  const rows = report.steps.map((s) =>
    `<tr class="step"><td>${s.index}</td><td class="${verdict(s.status)}">${
      escapeHtml(verdict(s.status))
    }</td><td>${escapeHtml(s.kind)}</td><td>${escapeHtml(s.name ?? "")}</td><td>${
      (s.atMs / 1000).toFixed(1)
    } s</td><td>${escapeHtml(s.detail)}</td></tr>`
  ).join("\n");
  const notes = options.notes?.length
    ? `<h2>Notes</h2><pre>${escapeHtml(options.notes.join("\n"))}</pre>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}: <span class="${report.passed ? "PASS" : "FAIL"}" id="verdict">${
    report.passed ? "PASS" : "FAIL"
  }</span></h1>
<p>${escapeHtml(report.description)}</p>
<p>Started ${escapeHtml(report.startedAt)}, ${
    (report.durationMs / 1000).toFixed(1)
  } s; assertions ${report.assertions.passed} passed, ${report.assertions.failed} failed.</p>
<h2>Time line</h2>
${svg}
${legendHtml()}
<h2>Steps</h2>
<table><thead><tr><th>#</th><th>Verdict</th><th>Kind</th><th>Name</th><th>At</th><th>Detail</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${notes}
</body></html>
`;
}
