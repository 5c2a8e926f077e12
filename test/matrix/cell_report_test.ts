import assert from "node:assert/strict";
import type { Cell } from "../../tools/matrix/cell.ts";
import {
  cellHtml,
  cellReportPath,
  cellStem,
  CONSOLE_TAIL,
} from "../../tools/matrix/cell_report.ts";
import { matrixHtml } from "../../tools/matrix/matrix_html.ts";
import { svgHeatMap } from "../../tools/matrix/render.ts";
import { CELL, result } from "../_helpers/matrix_cell.ts";

Deno.test("cellHtml(): the verdict, the chart with the hang and the steps, the evidence, the console's tail", async () => {
  const r = await result();
  const html = cellHtml(CELL, r);
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<title>6\.1\.0-57-amd64 · wedged-kcs · kcs<\/title>/);
  assert.match(html, /id="verdict">hang</);
  assert.match(html, /<svg class="timeline"/);
  assert.match(html, /class="span span-hang tl-item"/, "the wedge as a shaded span");
  assert.match(html, /class="marker marker-fail tl-item"/, "the failed assertion on the chart");
  assert.match(html, /marker-guest/, "the guest's report on the chart");
  assert.ok(!html.includes("IPMI requests per second"), "no traffic strip, no traffic legend");
  assert.equal(html.match(/<tr class="step">/g)?.length, 3);
  assert.ok(
    html.includes("watchdog write blocked 57.4 s &#60;in D state&#62;"),
    "evidence, escaped",
  );
  assert.match(html, /<h2>Guest side<\/h2><pre>Guest \(6\.1\.0-57-amd64\), uptime 158\.1 s:/);
  const tail = Math.min(CONSOLE_TAIL, r.console.length);
  assert.match(html, new RegExp(`<h2>Console \\(last ${tail} lines\\)</h2>`));
  assert.ok(html.includes("kcs hosed: IBF not ready in time"), "the driver's complaint");
  assert.ok(!/<script/i.test(html) && !/ src=| href=/.test(html), "no script, no external file");
});

Deno.test("cellHtml() of a run stopped at a crash: the window is the events', no step table", async () => {
  const r = await result({ report: null, stoppedBy: "list_add double add" });
  const html = cellHtml({ ...CELL, verdict: "crash" }, r);
  assert.match(html, /id="verdict">crash</);
  assert.match(html, /stopped when the kernel crashed: list_add double add/);
  assert.ok(!html.includes("<h2>Steps</h2>"));
  assert.match(html, /span-hang/, "the events still make the chart");
  const none = cellHtml(
    CELL,
    await result({ report: null, events: [], setupError: "modprobe failed" }),
  );
  assert.match(none, /did not run: modprobe failed/);
});

Deno.test("cellReportPath() names a cell's report by kernel, scenario and interface, safely", () => {
  const patched = {
    kernel: "6.18.9+deb13-amd64 + fix.patch",
    scenario: "sticky-flags",
    iface: "bt",
  } as const;
  assert.equal(cellStem(patched), "6.18.9+deb13-amd64_+_fix.patch-sticky-flags-bt");
  assert.equal(
    cellReportPath(patched, "/d/"),
    "/d/6.18.9+deb13-amd64_+_fix.patch-sticky-flags-bt.html",
  );
});

Deno.test("matrixHtml() and svgHeatMap() link each cell that has a report, and only those", () => {
  const other: Cell = {
    ...CELL,
    kernel: "7.3.4+deb13-amd64",
    verdict: "recovered",
    evidence: ["<ok>"],
  };
  const href = (c: Cell) => c === CELL ? `cells/${cellStem(c)}.html` : undefined;
  const page = matrixHtml([CELL, other], "matrix <x>", href);
  assert.match(page, /<title>matrix &#60;x&#62;<\/title>/);
  assert.equal(page.match(/<tr class="cell">/g)?.length, 2);
  assert.equal(
    page.match(/<a class="report" href="cells\/6\.1\.0-57-amd64-wedged-kcs-kcs\.html">/g)?.length,
    1,
  );
  assert.ok(page.includes("&#60;ok&#62;"));
  const svg = svgHeatMap([CELL, other], "m", href);
  assert.equal(
    svg.match(/<a class="cell" href="cells\/6\.1\.0-57-amd64-wedged-kcs-kcs\.html">/g)?.length,
    1,
  );
  assert.equal(svg.match(/<\/a>/g)?.length, 1);
  assert.ok(!svgHeatMap([CELL, other], "m").includes("<a "), "without links, no anchors");
});
