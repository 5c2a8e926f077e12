/**
 * Reports as self-contained HTML pages: the same time line chart as the
 * dashboard (inline SVG, no script, no external file; the IPMI traffic's
 * rate and reply latency when the events include the exchanges) with a scenario's
 * waits and assertions as PASS/FAIL markers, the steps as a table, and
 * any further sections (a kernel matrix cell's evidence and console). For
 * a CI job to keep as an artifact.
 *
 * @module
 */

import type { ScenarioReport } from "../scenario/runner.ts";
import { escapeHtml } from "./assets/format.js";
import { buildTimeline, legendHtml, type TimelineEvent, timelineSvg } from "./assets/timeline.js";
import { addTraffic, type Traffic } from "./assets/traffic.js";

/** What else the page shows. */
export interface ScenarioHtmlOptions {
  /** Page title. @default "Scenario <name>" */
  readonly title?: string;
  /** Lines shown under the steps (the guest side: kernel, evidence). */
  readonly notes?: readonly string[];
}

/** A section of lines under the chart (shown preformatted). */
export interface ReportSection {
  /** Heading. */
  readonly heading: string;
  /** Its lines. */
  readonly lines: readonly string[];
}

/** One report page. */
export interface ReportPage {
  /** Title (heading and `<title>`). */
  readonly title: string;
  /** The verdict shown after the title (`PASS`, `FAIL`, `crash`, …). */
  readonly verdict: string;
  /** Its colour (CSS). */
  readonly verdictColour: string;
  /** Paragraphs under the heading (plain text). */
  readonly intro: readonly string[];
  /** The events for the chart, oldest first (IPMI exchanges make its traffic strip). */
  readonly events: readonly TimelineEvent[];
  /** The chart's window, epoch ms. */
  readonly from: number;
  /** End of the window, epoch ms. */
  readonly to: number;
  /** A scenario's steps: on the chart as PASS/FAIL markers, and as a table. */
  readonly steps?: ScenarioReport["steps"];
  /** Sections after the steps. */
  readonly sections?: readonly ReportSection[];
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:1rem;color:#0f172a}
table{border-collapse:collapse}th,td{border:1px solid #cbd5e1;padding:.2rem .4rem;text-align:left;vertical-align:top}
.PASS{color:#15803d;font-weight:600}.FAIL{color:#b91c1c;font-weight:600}.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;list-style:none;padding:0;font-size:.85rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border:1px solid #94a3b8}pre{white-space:pre-wrap;overflow-wrap:anywhere}
.tl-item:focus{outline:3px solid #f59e0b;stroke:#f59e0b;stroke-width:2}`;

/** A repeatable source of [0, 1) (the same report from the same events). */
function seeded(seed: number): () => number {
  let x = (Math.abs(Math.trunc(seed)) % 0x7fffffff) || 1;
  return () => (x = (x * 48271) % 0x7fffffff) / 0x7fffffff;
}

function verdict(status: string): string {
  return status === "passed" ? "PASS" : status === "failed" ? "FAIL" : status;
}

/** The colour of a PASS or FAIL verdict. */
const PASS_FAIL_COLOUR = { PASS: "#15803d", FAIL: "#b91c1c" } as const;

/**
 * A report page.
 *
 * @param page What it shows.
 * @returns The HTML text.
 */
export function reportHtml(page: ReportPage): string {
  const { from, to } = page;
  const steps: TimelineEvent[] = (page.steps ?? [])
    .filter((s) => s.status === "passed" || s.status === "failed")
    .map((s) => ({
      time: new Date(from + s.atMs + s.durationMs).toISOString(),
      type: "scenario.step",
      data: { status: s.status, name: s.name ?? s.kind },
    }));
  const traffic: Traffic = new Map();
  const random = seeded(from);
  const others: TimelineEvent[] = [];
  for (const e of page.events) {
    if (e.type === "ipmi.request" || e.type === "ipmi.response") addTraffic(traffic, e, random);
    else if (e.type !== "scenario.step") others.push(e);
  }
  const all = [...others, ...steps].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const tl = buildTimeline(all, { from, to, traffic });
  const svg = timelineSvg(tl, { title: `${page.title}: time line` });
  const rows = (page.steps ?? []).map((s) =>
    `<tr class="step"><td>${s.index}</td><td class="${verdict(s.status)}">${
      escapeHtml(verdict(s.status))
    }</td><td>${escapeHtml(s.kind)}</td><td>${escapeHtml(s.name ?? "")}</td><td>${
      (s.atMs / 1000).toFixed(1)
    } s</td><td>${escapeHtml(s.detail)}</td></tr>`
  ).join("\n");
  const table = page.steps === undefined ? "" : `<h2>Steps</h2>
<table><thead><tr><th>#</th><th>Verdict</th><th>Kind</th><th>Name</th><th>At</th><th>Detail</th></tr></thead>
<tbody>
${rows}
</tbody></table>
`;
  const sections = (page.sections ?? []).filter((s) => s.lines.length > 0).map((s) =>
    `<h2>${escapeHtml(s.heading)}</h2><pre>${escapeHtml(s.lines.join("\n"))}</pre>`
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(page.title)}: <span style="color:${
    escapeHtml(page.verdictColour)
  };font-weight:600" id="verdict">${escapeHtml(page.verdict)}</span></h1>
${page.intro.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
<h2>Time line</h2>
${svg}
${legendHtml({ traffic: tl.rate.length > 0 || tl.latency.length > 0 })}
${table}${sections}
</body></html>
`;
}

/**
 * The report page of a scenario run.
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
  const passFail = report.passed ? "PASS" : "FAIL";
  return reportHtml({
    title: options.title ?? `Scenario ${report.scenario}`,
    verdict: passFail,
    verdictColour: PASS_FAIL_COLOUR[passFail],
    intro: [
      report.description,
      `Started ${report.startedAt}, ${
        (report.durationMs / 1000).toFixed(1)
      } s; assertions ${report.assertions.passed} passed, ${report.assertions.failed} failed.`,
    ],
    events,
    from,
    to: from + Math.max(1000, report.durationMs),
    steps: report.steps,
    sections: [{ heading: "Notes", lines: options.notes ?? [] }],
  });
}
