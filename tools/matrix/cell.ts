/**
 * One cell of the kernel matrix: a scenario run on one kernel and interface,
 * and the verdict it got. The JSON shape (`--json`, `tools/scenarios/matrix.json`)
 * is used by checks outside the project: keep exactly these field names.
 *
 * @module
 */

import type { Iface } from "./manifest.ts";
import type { Verdict } from "./verdict.ts";

/** A finished cell. */
export interface Cell {
  /** Kernel release, with ` + PATCH` for a patched driver. */
  readonly kernel: string;
  /** Scenario name. */
  readonly scenario: string;
  /** Guest interface. */
  readonly iface: Iface;
  /** What the kernel did. */
  readonly verdict: Verdict;
  /** Lines that justify the verdict. */
  readonly evidence: readonly string[];
  /** How long the cell ran, s. */
  readonly seconds: number;
}

/** The public fields of a cell, in the order `--json` prints them. */
export const CELL_FIELDS = [
  "kernel",
  "scenario",
  "iface",
  "verdict",
  "evidence",
  "seconds",
] as const;

/** The identity of a cell within a matrix. */
export function cellId(c: Pick<Cell, "kernel" | "scenario" | "iface">): string {
  return `${c.kernel}|${c.scenario}|${c.iface}`;
}

/** Only the public fields, in their order (what `--json` prints). */
export function publicCell(c: Cell): Cell {
  return {
    kernel: c.kernel,
    scenario: c.scenario,
    iface: c.iface,
    verdict: c.verdict,
    evidence: [...c.evidence],
    seconds: c.seconds,
  };
}

/**
 * Merge new cells into a set of results: a new cell replaces the old one
 * with the same kernel, scenario and interface.
 *
 * @param old Previous results.
 * @param fresh New cells.
 * @returns Merged, sorted by kernel, scenario, interface.
 */
export function mergeCells(old: readonly Cell[], fresh: readonly Cell[]): Cell[] {
  const byId = new Map(old.map((c) => [cellId(c), c]));
  for (const c of fresh) byId.set(cellId(c), c);
  return [...byId.values()].sort((a, b) =>
    a.kernel.localeCompare(b.kernel, "en", { numeric: true }) ||
    a.scenario.localeCompare(b.scenario) || a.iface.localeCompare(b.iface)
  );
}
