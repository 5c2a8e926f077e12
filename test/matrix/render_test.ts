import assert from "node:assert/strict";
import type { Cell } from "../../tools/matrix/cell.ts";
import { markdownTable, shortKernel, svgHeatMap } from "../../tools/matrix/render.ts";
import { recordExpectations, replaceGenerated } from "../../tools/matrix/results.ts";

const cells: Cell[] = [
  {
    kernel: "6.18.9+deb13-amd64",
    scenario: "wedged-kcs",
    iface: "kcs",
    verdict: "crash",
    evidence: ["list_add double add: new=<ffff…>", "  smi_work+0x29c/0x3b0 [ipmi_msghandler]"],
    seconds: 71,
  },
  {
    kernel: "7.3.4+deb13-amd64",
    scenario: "wedged-kcs",
    iface: "kcs",
    verdict: "recovered",
    evidence: ["longest: watchdog write blocked 15.1 s"],
    seconds: 140,
  },
  {
    kernel: "7.3.4+deb13-amd64",
    scenario: "wedged-kcs",
    iface: "bt",
    verdict: "degraded",
    evidence: ["x"],
    seconds: 1,
  },
  {
    kernel: "6.1.0-57-amd64",
    scenario: "sticky-flags",
    iface: "kcs",
    verdict: "protected",
    evidence: ["ok"],
    seconds: 60,
  },
];

Deno.test("markdownTable() puts scenarios in rows and kernels in numeric order in columns", () => {
  const t = markdownTable(cells);
  assert.equal(t[0], "| Scenario | `6.1.0-57` | `6.18.9` | `7.3.4` |");
  assert.equal(t[2], "| `sticky-flags` | protected |  |  |");
  assert.equal(t[3], "| `wedged-kcs` |  | **crash** | recovered |");
  assert.equal(t[4], "| `wedged-kcs (bt)` |  |  | degraded |");
  assert.deepEqual(markdownTable([]), ["(no cells)"]);
});

Deno.test("svgHeatMap() is well-formed, escapes evidence and carries it in tooltips", () => {
  const svg = svgHeatMap(cells, "matrix <test>");
  assert.ok(svg.startsWith("<svg ") && svg.trimEnd().endsWith("</svg>"));
  assert.ok(svg.includes("matrix &lt;test&gt;"));
  assert.ok(
    svg.includes("list_add double add: new=&lt;ffff…&gt;"),
    "evidence in the tooltip, escaped",
  );
  assert.equal((svg.match(/<rect /g) ?? []).length, 1 + 3 * 3 + 7, "background, 3×3 cells, legend");
  assert.ok(!/<[^>]*<\w/.test(svg.replace(/<title>[\s\S]*?<\/title>/g, "")), "no unescaped markup");
});

Deno.test("shortKernel() drops Debian's ABI suffixes", () => {
  assert.equal(shortKernel("6.18.9+deb13-amd64 + my.patch"), "6.18.9 + my.patch");
  assert.equal(shortKernel("6.1.0-57-amd64"), "6.1.0-57");
});

Deno.test("replaceGenerated() replaces between the markers, or appends the block once", () => {
  const once = replaceGenerated("# T\n\ntext\n", "A");
  assert.match(once, /text\n\n<!-- kernel-matrix:begin[^\n]*-->\nA\n<!-- kernel-matrix:end -->\n$/);
  const twice = replaceGenerated(once, "B");
  assert.equal(twice, once.replace("\nA\n", "\nB\n"));
});

Deno.test("recordExpectations() writes KCS verdicts of manifest kernels only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/kernels.json`;
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        ciScenarios: ["wedged-kcs"],
        kernels: [{ release: "7.3.4+deb13-amd64", line: "7.3", suite: "x", why: "y" }],
      }),
    );
    assert.equal(await recordExpectations(cells, path), 1);
    const m = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(m.kernels[0].expect, { "wedged-kcs": "recovered" });
    assert.equal(await recordExpectations(cells, path), 0, "nothing changed the second time");
    const varying = JSON.parse(await Deno.readTextFile(path));
    varying.kernels[0].expect["wedged-kcs"] = ["recovered", "degraded"];
    await Deno.writeTextFile(path, JSON.stringify(varying));
    assert.equal(await recordExpectations(cells, path), 0, "a list that has the verdict stays");
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(path)).kernels[0].expect["wedged-kcs"],
      ["recovered", "degraded"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
