import assert from "node:assert/strict";
import type { Cell } from "../../tools/matrix/cell.ts";
import { CELL_FIELDS, mergeCells, publicCell } from "../../tools/matrix/cell.ts";
import { CellCache, type CellKey } from "../../tools/matrix/cell_cache.ts";

const key: CellKey = {
  kernel: "6.18.9+deb13-amd64",
  kernelHash: "",
  scenario: "wedged-kcs",
  scenarioHash: "abc",
  iface: "kcs",
  version: "0.1.0",
};
const cell: Cell = {
  kernel: key.kernel,
  scenario: key.scenario,
  iface: "kcs",
  verdict: "crash",
  evidence: ["list_add double add: new=…"],
  seconds: 71,
};

async function withCache(fn: (cache: CellCache, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(new CellCache(dir), dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("CellCache gives back a stored cell for the same key only", async () => {
  await withCache(async (cache) => {
    assert.equal(await cache.get(key), null);
    await cache.put(key, cell);
    assert.deepEqual(await cache.get(key), cell);
    for (
      const other of [
        { ...key, scenarioHash: "changed" },
        { ...key, kernelHash: "patch" },
        { ...key, iface: "bt" },
        { ...key, version: "0.2.0" },
        { ...key, kernel: "7.3.4+deb13-amd64" },
      ]
    ) {
      assert.equal(await cache.get(other), null, JSON.stringify(other));
    }
  });
});

Deno.test("CellCache ignores damaged entries and leaves no temporary files", async () => {
  await withCache(async (cache, dir) => {
    await cache.put(key, cell);
    const files = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
    assert.equal(files.length, 1);
    assert.ok(files[0]!.endsWith(".json"));
    await Deno.writeTextFile(`${dir}/${files[0]}`, "{ half");
    assert.equal(await cache.get(key), null);
    await Deno.writeTextFile(
      `${dir}/${files[0]}`,
      JSON.stringify({ key, cell: { ...cell, verdict: "exploded" } }),
    );
    assert.equal(await cache.get(key), null, "a cell with an unknown verdict is not trusted");
  });
});

Deno.test("mergeCells() replaces a cell by kernel, scenario and interface, and sorts", () => {
  const a = { ...cell, kernel: "7.3.4+deb13-amd64", verdict: "recovered" as const };
  const b = { ...cell, kernel: "6.18.12+deb13-amd64" };
  const merged = mergeCells([a, b, cell], [{ ...cell, verdict: "hang" }]);
  assert.deepEqual(merged.map((c) => `${c.kernel}:${c.verdict}`), [
    "6.18.9+deb13-amd64:hang",
    "6.18.12+deb13-amd64:crash",
    "7.3.4+deb13-amd64:recovered",
  ]);
});

Deno.test("publicCell() keeps exactly the six public fields", () => {
  const extra = { ...cell, secret: 1 } as Cell;
  assert.deepEqual(Object.keys(publicCell(extra)), [...CELL_FIELDS]);
});
