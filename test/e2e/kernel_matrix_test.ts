/**
 * Issue 11 end to end: the kernel matrix tool, run as a user runs it, on real
 * Debian kernels in QEMU. The CI subset (tools/kernels.json: the installed
 * 6.1, a pre-fix 6.18 and the newest 7.x, with the wedge and sticky
 * scenarios) must give the verdicts the manifest records — so a change to
 * bmc-emu that stops reproducing a failure mode turns CI red — and every
 * other shipped scenario must give its recorded verdict on the CI's 6.1
 * kernel. Cells are always re-measured (`--fresh`), never read from a cache.
 * The CI subset also writes the HTML page (`--html`): every cell linked to
 * its own report, copied beside the page, with the cell's verdict and chart.
 */

import assert from "node:assert/strict";
import { type Cell, CELL_FIELDS } from "../../tools/matrix/cell.ts";
import { cellStem } from "../../tools/matrix/cell_report.ts";
import { expectationMet, loadManifest } from "../../tools/matrix/manifest.ts";
import { artifactDir } from "../_helpers/browser.ts";
import { e2eTest } from "./_e2e.ts";

const TOOL = new URL("../../tools/kernel-matrix.ts", import.meta.url).pathname;

async function matrix(args: string[]): Promise<{ code: number; cells: Cell[]; log: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", TOOL, "--fresh", "--json", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const log = new TextDecoder().decode(out.stderr);
  const text = new TextDecoder().decode(out.stdout);
  let cells: Cell[];
  try {
    cells = JSON.parse(text) as Cell[];
  } catch {
    throw new Error(`kernel-matrix printed no JSON (exit ${out.code}):\n${text}\n${log}`);
  }
  return { code: out.code, cells, log };
}

e2eTest("e2e kernel matrix: the CI subset gives the manifest's verdicts", async () => {
  const manifest = await loadManifest();
  const html = `${await artifactDir()}kernel-matrix/kernel-matrix.html`;
  const r = await matrix(["--ci", "--html", html]);
  assert.equal(r.code, 0, r.log);
  const page = await Deno.readTextFile(html);
  for (const c of r.cells) {
    const link = `cells/${cellStem(c)}.html`;
    assert.ok(page.includes(`<a class="report" href="${link}">`), `${link} linked from ${html}`);
    const report = await Deno.readTextFile(new URL(link, `file://${html}`));
    assert.match(report, new RegExp(`id="verdict">${c.verdict}<`), link);
    assert.match(report, /<svg class="timeline"/, link);
  }
  const ci = manifest.kernels.filter((k) => k.ci);
  assert.equal(r.cells.length, ci.length * manifest.ciScenarios.length, r.log);
  for (const c of r.cells) {
    const k = ci.find((k) => k.release === c.kernel)!;
    assert.ok(
      expectationMet(k.expect[c.scenario], c.verdict),
      `${c.kernel} ${c.scenario}: ${c.verdict}, expected ${k.expect[c.scenario]}\n${r.log}`,
    );
    assert.deepEqual(Object.keys(c), [...CELL_FIELDS]);
    if (c.verdict === "crash") {
      assert.ok(c.evidence.some((l) => /list_add|BUG|Oops/.test(l)), c.evidence.join("\n"));
    }
    if (c.verdict === "hang") {
      assert.match(c.evidence[0] ?? "", /blocked \d+(\.\d+)? s|blocked for more than/);
    }
  }
});

e2eTest("e2e kernel matrix: every other shipped scenario on the CI's 6.1 kernel", async () => {
  const manifest = await loadManifest();
  const entry = manifest.kernels.find((k) => k.ci && k.line === "6.1");
  assert.ok(entry !== undefined, "tools/kernels.json has a CI kernel on the 6.1 line");
  const others = Object.keys(entry.expect).filter((n) => !manifest.ciScenarios.includes(n));
  assert.ok(others.length >= 5, "the manifest records the other scenarios' verdicts");
  const r = await matrix([
    "--kernel",
    entry.release,
    ...others.flatMap((n) => ["--scenario", n]),
    "--check",
  ]);
  assert.equal(r.code, 0, r.log);
  assert.deepEqual(r.cells.map((c) => c.scenario).sort(), others.sort());
});
