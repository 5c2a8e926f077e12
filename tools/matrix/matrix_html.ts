/**
 * The kernel matrix as one self-contained HTML page: the heat map (each
 * cell a link to its HTML report) and a table of the cells — verdict,
 * time, the most telling evidence line and the report's link.
 *
 * @module
 */

import { escapeHtml } from "../../src/ui/assets/format.js";
import type { Cell } from "./cell.ts";
import { shortKernel, svgHeatMap, VERDICT_COLOUR } from "./render.ts";

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:1rem;color:#0f172a}
table{border-collapse:collapse}th,td{border:1px solid #cbd5e1;padding:.2rem .4rem;text-align:left;vertical-align:top}
.map{overflow-x:auto}a:focus{outline:3px solid #f59e0b}.v{font-weight:600;padding:0 .3rem;border-radius:3px}`;

/**
 * The page.
 *
 * @param cells Cells.
 * @param title Heading.
 * @param href A cell's report link (relative to the page), if it has one.
 * @returns The HTML text.
 */
export function matrixHtml(
  cells: readonly Cell[],
  title: string,
  href: (c: Cell) => string | undefined,
): string {
  const rows = cells.map((c) => {
    const link = href(c);
    return `<tr class="cell"><td><code>${escapeHtml(shortKernel(c.kernel))}</code></td><td>${
      escapeHtml(c.scenario)
    }</td><td>${escapeHtml(c.iface)}</td><td><span class="v" style="background:${
      VERDICT_COLOUR[c.verdict]
    }33;border-left:.5rem solid ${VERDICT_COLOUR[c.verdict]}">${
      escapeHtml(c.verdict)
    }</span></td><td>${c.seconds} s</td><td>${escapeHtml(c.evidence[0] ?? "")}</td><td>${
      link === undefined ? "–" : `<a class="report" href="${escapeHtml(link)}">report</a>`
    }</td></tr>`;
  }).join("\n");
  const map = svgHeatMap(cells, title, href);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${cells.length} cells. A cell's report has the BMC's time line during the run, the steps, the evidence and the console.</p>
<div class="map">${map}</div>
<table><thead><tr><th>Kernel</th><th>Scenario</th><th>Interface</th><th>Verdict</th><th>Time</th><th>Evidence</th><th>Report</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
