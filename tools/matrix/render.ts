/**
 * The kernel matrix for people: a Markdown table (scenario × kernel, the
 * verdict in each cell) and an SVG heat map coloured by verdict, with the
 * evidence in each cell's tooltip and listed below the map.
 *
 * @module
 */

import type { Cell } from "./cell.ts";
import { type Verdict, VERDICT_MEANING, VERDICTS } from "./verdict.ts";

/** Cell colours: red for a crash, shades towards green for a kept watchdog. */
export const VERDICT_COLOUR: Readonly<Record<Verdict, string>> = {
  crash: "#b2182b",
  hang: "#e66101",
  "no-ipmi": "#7b3294",
  "protection-lost": "#fdb863",
  degraded: "#fee08b",
  recovered: "#a6d96a",
  protected: "#1a9641",
};

function compareKernels(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Rows (scenario, or scenario on a non-KCS interface) and columns (kernels) of a matrix. */
export function axes(cells: readonly Cell[]): { rows: string[]; columns: string[] } {
  const rowOf = (c: Cell) => c.iface === "kcs" ? c.scenario : `${c.scenario} (${c.iface})`;
  const rows = [...new Set(cells.map(rowOf))].sort();
  const columns = [...new Set(cells.map((c) => c.kernel))].sort(compareKernels);
  return { rows, columns };
}

function find(cells: readonly Cell[], row: string, column: string): Cell | undefined {
  return cells.find((c) =>
    c.kernel === column && (c.iface === "kcs" ? c.scenario : `${c.scenario} (${c.iface})`) === row
  );
}

/** Shorten a kernel label for column heads: `6.18.9+deb13-amd64` → `6.18.9`. */
export function shortKernel(label: string): string {
  return label.replace(/\+deb\d+(\.\d+)?-amd64|-amd64/g, "");
}

/**
 * The matrix as a Markdown table: one row per scenario (per interface), one
 * column per kernel.
 *
 * @param cells Cells.
 * @returns Lines.
 */
export function markdownTable(cells: readonly Cell[]): string[] {
  if (cells.length === 0) return ["(no cells)"];
  const { rows, columns } = axes(cells);
  const head = `| Scenario | ${columns.map((k) => `\`${shortKernel(k)}\``).join(" | ")} |`;
  const rule = `| --- | ${columns.map(() => "---").join(" | ")} |`;
  const body = rows.map((r) =>
    `| \`${r}\` | ${
      columns.map((k) => {
        const c = find(cells, r, k);
        return c === undefined ? "" : c.verdict === "crash" ? "**crash**" : c.verdict;
      }).join(" | ")
    } |`
  );
  return [head, rule, ...body];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!,
  );
}

/**
 * The matrix as an SVG heat map: scenario × kernel, coloured by verdict; each
 * cell's tooltip carries its evidence, and the notable evidence (crashes,
 * hangs) is printed below the map with the legend.
 *
 * @param cells Cells.
 * @param title Heading.
 * @param href A cell's link (its HTML report), if it has one.
 * @returns SVG document.
 */
export function svgHeatMap(
  cells: readonly Cell[],
  title: string,
  href: (c: Cell) => string | undefined = () => undefined,
): string {
  const { rows, columns } = axes(cells);
  const longest = Math.max(0, ...columns.map((k) => shortKernel(k).length));
  // Column heads are rotated 40°: leave room above for the longest one, and to the right.
  const cw = 96, ch = 26, left = 250, top = 60 + Math.ceil(longest * 6.5 * 0.64);
  const width = Math.max(left + columns.length * cw + 20 + Math.ceil(longest * 6.5 * 0.77), 980);
  const notes = cells.filter((c) => c.verdict === "crash" || c.verdict === "hang")
    .sort((a, b) => compareKernels(a.kernel, b.kernel));
  const legendY = top + rows.length * ch + 30;
  const notesY = legendY + 30 + VERDICTS.length * 0;
  const height = notesY + notes.length * 16 + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  columns.forEach((k, i) => {
    const x = left + i * cw + cw / 2;
    out.push(
      `<text x="${x}" y="${top - 8}" transform="rotate(-40 ${x} ${top - 8})">${
        escapeXml(shortKernel(k))
      }</text>`,
    );
  });
  rows.forEach((r, j) => {
    const y = top + j * ch;
    out.push(
      `<text x="${left - 8}" y="${y + ch / 2 + 4}" text-anchor="end">${escapeXml(r)}</text>`,
    );
    columns.forEach((k, i) => {
      const c = find(cells, r, k);
      const x = left + i * cw;
      if (c === undefined) {
        out.push(`<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="#eeeeee"/>`);
        return;
      }
      const tip = `${c.kernel} · ${c.scenario} · ${c.iface}: ${c.verdict} (${c.seconds} s)\n${
        c.evidence.join("\n")
      }`;
      const dark = c.verdict === "crash" || c.verdict === "no-ipmi" || c.verdict === "protected";
      const link = href(c);
      out.push(
        (link === undefined ? "" : `<a class="cell" href="${escapeXml(link)}">`) +
          `<g><title>${escapeXml(tip)}</title><rect x="${x}" y="${y}" width="${cw - 2}" height="${
            ch - 2
          }" fill="${VERDICT_COLOUR[c.verdict]}"/>` +
          `<text x="${x + cw / 2 - 1}" y="${
            y + ch / 2 + 4
          }" text-anchor="middle" font-size="10" fill="${
            dark ? "#ffffff" : "#000000"
          }">${c.verdict}</text></g>` + (link === undefined ? "" : "</a>"),
      );
    });
  });
  let lx = 10;
  for (const v of VERDICTS) {
    out.push(
      `<g><title>${escapeXml(VERDICT_MEANING[v])}</title><rect x="${lx}" y="${
        legendY - 12
      }" width="14" height="14" fill="${VERDICT_COLOUR[v]}"/><text x="${
        lx + 18
      }" y="${legendY}">${v}</text></g>`,
    );
    lx += 30 + v.length * 7;
  }
  notes.forEach((c, i) => {
    out.push(
      `<text x="10" y="${notesY + i * 16}" font-size="11">${
        escapeXml(truncate(
          `${shortKernel(c.kernel)} ${c.scenario}${
            c.iface === "kcs" ? "" : ` (${c.iface})`
          }: ${c.verdict}: ${c.evidence.slice(0, 2).join(" · ")}`,
          Math.floor((width - 20) / 6.2),
        ))
      }</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
