/**
 * The kernel matrix: shipped scenarios × real kernels → verdicts with
 * evidence. One guest at a time; finished cells are cached, so an
 * interrupted run resumes.
 *
 *   deno run -A tools/kernel-matrix.ts [--kernel RELEASE]... [--scenario NAME]...
 *     [--iface kcs|bt|ssif]... [--patch FILE | --modules DIR] [--json] [--save] [--check]
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import { quit, say, toolArgs } from "./_cli.ts";
import { errorMessage } from "../src/util/error_message.ts";
import { sha256Hex } from "../src/util/sha256_hex.ts";
import { exists, type GuestKernel } from "../src/guest/guest_kernel.ts";
import { type Cell, mergeCells, publicCell } from "./matrix/cell.ts";
import { CellCache } from "./matrix/cell_cache.ts";
import {
  expectationMet,
  type Iface,
  IFACES,
  loadManifest,
  type Manifest,
  MANIFEST_PATH,
} from "./matrix/manifest.ts";
import { resolveKernel } from "../src/guest/resolve_kernel.ts";
import { runCell } from "./matrix/run_cell.ts";
import { cellReportPath } from "./matrix/cell_report.ts";
import { matrixHtml } from "./matrix/matrix_html.ts";
import { markdownTable } from "./matrix/render.ts";
import { recordExpectations, saveResults } from "./matrix/results.ts";
import { VERDICT_MEANING, VERDICTS } from "./matrix/verdict.ts";
import { patchedKernel } from "./matrix/patched_kernel.ts";
import { type JunitCase, type JunitSuite, junitXml } from "../src/scenario/report_junit.ts";

const TOOL = "kernel-matrix";
const SCENARIO_DIR = new URL("./scenarios/", import.meta.url).pathname;
const DENO_JSON = new URL("../deno.json", import.meta.url).pathname;

const USAGE = `Usage: deno run -A tools/kernel-matrix.ts [options]

Runs shipped scenarios against real Debian kernels in QEMU, one guest at a
time, and names what each kernel did with a verdict from a fixed vocabulary:
${VERDICTS.map((v) => `  ${v.padEnd(16)}${VERDICT_MEANING[v]}`).join("\n")}

Kernels come from .cache/kernels/, the machine, or Debian's archive
(tools/fetch-kernel.sh RELEASE, fetched on first use). Finished cells are
cached under .cache/matrix/ (keyed by kernel, patch, scenario file,
interface and bmc-emu version): run it again to resume.

Options:
  --kernel RELEASE   kernel release, e.g. 6.18.9+deb13-amd64 (repeatable;
                     default: every kernel in tools/kernels.json)
  --scenario NAME    shipped scenario (tools/scenarios/NAME.json) or a file
                     (repeatable; default: every shipped scenario)
  --iface IFACE      kcs | bt | ssif (repeatable; default: kcs)
  --patch FILE       a unified diff against drivers/char/ipmi/ (paths
                     drivers/char/ipmi/... with -p1, a/ b/ prefixes): build the
                     IPMI modules out of tree for each kernel, boot with them;
                     the rows are labelled "RELEASE + FILE"
  --modules DIR      prebuilt IPMI .ko files for the kernel instead of a patch
  --ci               the manifest's CI subset (kernels marked "ci", its
                     ciScenarios) with --check
  --check            exit 1 unless every stock KCS cell has the verdict the
                     manifest expects for it
  --junit FILE       also write a JUnit XML report: one test case per cell,
                     failed where --check disagrees or the cell could not run
  --html FILE        also write an HTML page: the heat map and a table of the
                     cells, each linked to its own HTML report (the BMC's
                     time line with the steps, the evidence, the console),
                     copied to cells/ beside FILE from .cache/matrix/observations/
  --json             print the cells as a JSON array of
                     {kernel, scenario, iface, verdict, evidence, seconds}
  --save             merge the cells into tools/scenarios/matrix.json and
                     regenerate tools/scenarios/matrix.svg and the table in
                     tools/scenarios/README.md
  --record           write the measured KCS verdicts of stock kernels into the
                     manifest's "expect" (what --check and CI then assert)
  --fresh            ignore cached cells (re-run them)
  --manifest FILE    another manifest (default tools/kernels.json)
  --jobs N           guests at once (default 1; each takes about one core
                     under TCG, and timing-sensitive verdicts want a core each)
  -h, --help         this help

Without --json the Markdown table is printed. Progress goes to stderr.
Exit status: 0 done (and --check agreed), 1 a cell could not run or --check
disagreed, 2 usage.`;

/** A kernel to run, with the label its rows get. */
interface MatrixKernel {
  readonly kernel: GuestKernel;
  readonly label: string;
  readonly hash: string;
}

function progress(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${TOOL}: ${line}\n`));
}

async function shippedScenarios(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(SCENARIO_DIR)) {
    if (
      e.isFile && e.name.endsWith(".json") && !e.name.includes("schema") && e.name !== "matrix.json"
    ) {
      names.push(e.name.slice(0, -".json".length));
    }
  }
  return names.sort();
}

function scenarioFile(name: string): string {
  return name.endsWith(".json") ? name : `${SCENARIO_DIR}${name}.json`;
}

async function version(): Promise<string> {
  const d = JSON.parse(await Deno.readTextFile(DENO_JSON)) as { version?: string };
  return d.version ?? "0";
}

/** Which manifest verdicts the cells contradict. */
function disagreements(manifest: Manifest, cells: readonly Cell[]): string[] {
  const out: string[] = [];
  for (const c of cells) {
    if (c.iface !== "kcs") continue;
    const expected = manifest.kernels.find((k) => k.release === c.kernel)?.expect[c.scenario];
    if (!expectationMet(expected, c.verdict)) {
      const want = typeof expected === "string" ? expected : expected!.join(" or ");
      out.push(
        `${c.kernel} ${c.scenario}: expected ${want}, got ${c.verdict} (${c.evidence[0] ?? ""})`,
      );
    }
  }
  return out;
}

/** The cells as a JUnit suite: a case per cell, failed where the manifest disagrees. */
function matrixSuite(
  cells: readonly Cell[],
  wrong: readonly string[],
  failed: readonly string[],
): JunitSuite {
  const cases: JunitCase[] = cells.map((c) => {
    const id = `${c.kernel} ${c.scenario}`;
    const disagreement = c.iface === "kcs" ? wrong.find((w) => w.startsWith(`${id}:`)) : undefined;
    return {
      name: `${c.kernel} ${c.scenario} ${c.iface}: ${c.verdict}`,
      classname: `kernel-matrix.${c.scenario}`,
      seconds: c.seconds,
      ...(disagreement === undefined ? {} : { failure: disagreement }),
      output: c.evidence.join("\n"),
    };
  });
  for (const f of failed) {
    cases.push({ name: f, classname: "kernel-matrix", seconds: 0, failure: f });
  }
  return { name: "kernel-matrix", timestamp: new Date().toISOString(), cases };
}

/** Run one cell with a live progress line; cached cells come back at once. */
async function cellWithProgress(
  tag: string,
  run: () => Promise<Cell>,
): Promise<Cell> {
  const started = Date.now();
  progress(`${tag} running`);
  const tick = setInterval(() => {
    progress(`${tag} running, ${Math.round((Date.now() - started) / 1000)} s`);
  }, 30_000);
  try {
    const cell = await run();
    progress(`${tag} → ${cell.verdict} (${cell.seconds} s): ${cell.evidence[0] ?? ""}`);
    return cell;
  } finally {
    clearInterval(tick);
  }
}

/**
 * A hash of what a scenario does (its BMC, guest section and steps), not of
 * its prose: editing a description or a kernel's expectation keeps the
 * cached cells.
 */
async function behaviourHash(file: string): Promise<string> {
  const s = JSON.parse(await Deno.readTextFile(file)) as Record<string, unknown>;
  const guest = { ...(s.guest as Record<string, unknown> | undefined ?? {}) };
  delete guest.expect;
  return sha256Hex(JSON.stringify([s.bmc, guest, s.steps]));
}

/** The kernel for a release: stock, or with the IPMI modules replaced. */
async function matrixKernel(
  release: string,
  o: { readonly patch?: string | undefined; readonly modules?: string | undefined },
): Promise<MatrixKernel> {
  const stock = await resolveKernel(release, progress);
  if (o.patch === undefined && o.modules === undefined) {
    return { kernel: stock, label: release, hash: "" };
  }
  const p = await patchedKernel(stock, {
    ...(o.patch === undefined ? {} : { patch: o.patch }),
    ...(o.modules === undefined ? {} : { modules: o.modules }),
  }, progress);
  return { kernel: p.kernel, label: `${release} + ${p.name}`, hash: p.hash };
}

/**
 * The HTML page of the cells, with each cell's report copied next to it
 * (`cells/` beside the page, so the directory is one artifact) and linked;
 * a cached cell has the report of the run that measured it, unless that
 * was removed.
 */
async function matrixPage(cells: readonly Cell[], file: string): Promise<string> {
  const dir = join(dirname(resolve(file)), "cells");
  const links = new Map<Cell, string>();
  for (const c of cells) {
    const report = cellReportPath(c);
    if (!await exists(report)) continue;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.copyFile(report, cellReportPath(c, `${dir}/`));
    links.set(c, `cells/${basename(cellReportPath(c))}`);
  }
  const date = new Date().toISOString().slice(0, 10);
  return matrixHtml(cells, `bmc-emu kernel matrix, ${date}`, (c) => links.get(c));
}

if (import.meta.main) {
  const { values } = toolArgs(TOOL, USAGE, {
    options: {
      kernel: { type: "string", multiple: true },
      scenario: { type: "string", multiple: true },
      iface: { type: "string", multiple: true },
      patch: { type: "string" },
      modules: { type: "string" },
      ci: { type: "boolean" },
      check: { type: "boolean" },
      json: { type: "boolean" },
      save: { type: "boolean" },
      fresh: { type: "boolean" },
      manifest: { type: "string" },
      jobs: { type: "string" },
      record: { type: "boolean" },
      junit: { type: "string" },
      html: { type: "string" },
    },
  });
  if (values.patch !== undefined && values.modules !== undefined) {
    quit(TOOL, "--patch and --modules are alternatives: give one");
  }
  const ifaces = (values.iface ?? ["kcs"]) as Iface[];
  for (const i of ifaces) {
    if (!IFACES.includes(i)) quit(TOOL, `--iface must be one of ${IFACES.join(", ")}, got "${i}"`);
  }
  let manifest: Manifest;
  try {
    manifest = await loadManifest(values.manifest ?? MANIFEST_PATH);
  } catch (error) {
    quit(TOOL, errorMessage(error));
  }
  const releases = values.kernel ??
    manifest.kernels.filter((k) => !values.ci || k.ci).map((k) => k.release);
  const scenarios = values.scenario ??
    (values.ci ? manifest.ciScenarios : await shippedScenarios());
  for (const s of scenarios) {
    try {
      await Deno.stat(scenarioFile(s));
    } catch {
      quit(
        TOOL,
        `no scenario "${s}" (${scenarioFile(s)}); shipped: ${
          (await shippedScenarios()).join(", ")
        }`,
      );
    }
  }
  const check = values.check === true || values.ci === true;
  const cache = new CellCache();
  const bmcVersion = await version();
  const jobs = Number(values.jobs ?? "1");
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 4) {
    quit(TOOL, `--jobs must be 1 to 4, got "${values.jobs}"`);
  }
  const tasks: (() => Promise<void>)[] = [];
  const cells: Cell[] = [];
  const failed: string[] = [];
  const total = releases.length * scenarios.length * ifaces.length;
  let n = 0;
  let failures = 0;
  for (const release of releases) {
    let mk: MatrixKernel;
    try {
      mk = await matrixKernel(release, values);
    } catch (error) {
      progress(`${release}: ${errorMessage(error)}`);
      failed.push(`${release}: ${errorMessage(error)}`);
      failures += scenarios.length * ifaces.length;
      n += scenarios.length * ifaces.length;
      continue;
    }
    for (const scenario of scenarios) {
      const file = scenarioFile(scenario);
      const name = basename(file, ".json");
      const scenarioHash = await behaviourHash(file);
      for (const iface of ifaces) {
        const key = {
          kernel: mk.label,
          kernelHash: mk.hash,
          scenario: name,
          scenarioHash,
          iface,
          version: bmcVersion,
        };
        const tag = `[${++n}/${total}] ${mk.label} ${name} ${iface}`;
        const cached = values.fresh ? null : await cache.get(key);
        if (cached !== null) {
          progress(`${tag} → ${cached.verdict} (cached)`);
          cells.push(cached);
          continue;
        }
        tasks.push(async () => {
          try {
            const cell = await cellWithProgress(
              tag,
              () =>
                runCell({
                  kernel: mk.kernel,
                  label: mk.label,
                  scenarioFile: file,
                  scenario: name,
                  iface,
                }),
            );
            progress(`${tag} report: ${cellReportPath(cell)}`);
            await cache.put(key, cell);
            cells.push(cell);
          } catch (error) {
            failures++;
            const why = errorMessage(error).split("\n")[0];
            failed.push(`${mk.label} ${name} ${iface}: could not run: ${why}`);
            progress(`${tag} could not run: ${why}`);
          }
        });
      }
    }
  }
  await Promise.all(Array.from({ length: jobs }, async () => {
    for (let t = tasks.shift(); t !== undefined; t = tasks.shift()) await t();
  }));
  cells.splice(0, cells.length, ...mergeCells([], cells));
  if (values.json) say(JSON.stringify(cells.map(publicCell), null, 2));
  else for (const line of markdownTable(cells)) say(line);
  if (values.html !== undefined) {
    await Deno.mkdir(dirname(resolve(values.html)), { recursive: true });
    await Deno.writeTextFile(values.html, await matrixPage(cells, values.html));
    progress(`HTML: ${values.html}`);
  }
  if (values.save) {
    const where = await saveResults(cells);
    progress(`saved ${cells.length} cells: ${where.join(", ")}`);
  }
  if (values.record) {
    const changed = await recordExpectations(
      cells.filter((c) => !c.kernel.includes(" + ")),
      values.manifest ?? MANIFEST_PATH,
    );
    progress(`recorded ${changed} changed expectations in ${values.manifest ?? MANIFEST_PATH}`);
  }
  let status = failures > 0 ? 1 : 0;
  const wrong = check ? disagreements(manifest, mergeCells([], cells)) : [];
  if (values.junit !== undefined) {
    await Deno.writeTextFile(values.junit, junitXml([matrixSuite(cells, wrong, failed)]));
  }
  if (check) {
    for (const w of wrong) progress(`CHECK: ${w}`);
    if (wrong.length > 0) status = 1;
    else progress(`check: every cell has the verdict tools/kernels.json expects`);
  }
  Deno.exit(status);
}
