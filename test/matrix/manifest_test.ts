import assert from "node:assert/strict";
import { expectationMet, loadManifest, parseManifest } from "../../tools/matrix/manifest.ts";

const entry = {
  release: "6.18.9+deb13-amd64",
  line: "6.18",
  suite: "trixie-backports",
  why: "pre-fix 6.18",
};

Deno.test("the committed manifest lists at least 12 kernel builds, each line's reason, a CI subset", async () => {
  const m = await loadManifest();
  assert.ok(m.kernels.length >= 12, `${m.kernels.length} kernels`);
  const lines = new Set(m.kernels.map((k) => k.line));
  for (const line of ["6.1", "6.12", "6.16", "6.17", "6.18", "7.2", "7.3"]) {
    assert.ok(lines.has(line), `line ${line} is in the matrix`);
  }
  const sixEighteen = m.kernels.filter((k) => k.line === "6.18").map((k) => k.release);
  for (const v of ["6.18.5", "6.18.9", "6.18.12", "6.18.15"]) {
    assert.ok(sixEighteen.some((r) => r.startsWith(`${v}+`)), `${v} is in the matrix`);
  }
  assert.ok(m.kernels.filter((k) => k.line === "7.2").length >= 2, "oldest and newest 7.2");
  assert.ok(m.kernels.some((k) => k.ci), "a CI subset");
  for (const k of m.kernels.filter((k) => k.ci)) {
    for (const s of m.ciScenarios) {
      assert.ok(k.expect[s] !== undefined, `${k.release} has a verdict to assert for ${s}`);
    }
  }
});

Deno.test("parseManifest() accepts a minimal manifest and fills defaults", () => {
  const m = parseManifest({ ciScenarios: ["wedged-kcs"], kernels: [entry] }, "x.json");
  assert.equal(m.kernels[0]!.ci, false);
  assert.deepEqual(m.kernels[0]!.expect, {});
});

Deno.test("parseManifest() names the field that is wrong", () => {
  const bad = (value: unknown, pattern: RegExp) =>
    assert.throws(() => parseManifest(value, "k.json"), pattern);
  bad(
    { ciScenarios: ["w"], kernels: [{ ...entry, release: "6.18.9" }] },
    /kernels\.0\.release:.*uname -r/,
  );
  bad(
    { ciScenarios: ["w"], kernels: [{ ...entry, line: "7.3" }] },
    /kernels\.0\.line: 6\.18\.9\+deb13-amd64 is not on line 7\.3/,
  );
  bad({ ciScenarios: ["w"], kernels: [entry, entry] }, /listed twice/);
  bad(
    { ciScenarios: ["w"], kernels: [{ ...entry, expect: { "wedged-kcs": "exploded" } }] },
    /kernels\.0\.expect\.wedged-kcs/,
  );
  bad({ ciScenarios: [], kernels: [entry] }, /ciScenarios/);
  bad({ ciScenarios: ["w"], kernels: [{ ...entry, extra: 1 }] }, /extra/);
});

Deno.test("loadManifest() reports unreadable and non-JSON files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(loadManifest(`${dir}/none.json`), /cannot read the manifest/);
    await Deno.writeTextFile(`${dir}/bad.json`, "{");
    await assert.rejects(loadManifest(`${dir}/bad.json`), /not JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an expectation may list the verdicts a varying cell was measured with", () => {
  const m = parseManifest({
    ciScenarios: ["sticky-flags"],
    kernels: [{
      ...entry,
      expect: { "sticky-flags": ["protected", "recovered"], "wedged-kcs": "crash" },
    }],
  }, "k.json");
  const e = m.kernels[0]!.expect;
  assert.ok(expectationMet(e["sticky-flags"], "recovered"));
  assert.ok(expectationMet(e["sticky-flags"], "protected"));
  assert.ok(!expectationMet(e["sticky-flags"], "hang"), "a hang is still a regression");
  assert.ok(expectationMet(e["wedged-kcs"], "crash"));
  assert.ok(!expectationMet(e["wedged-kcs"], "recovered"));
  assert.ok(expectationMet(undefined, "hang"), "nothing expected, nothing to check");
  assert.throws(
    () =>
      parseManifest(
        { ciScenarios: ["w"], kernels: [{ ...entry, expect: { w: ["hang"] } }] },
        "k.json",
      ),
    /expect\.w/,
    "a list names at least two verdicts",
  );
});
