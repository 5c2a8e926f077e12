import assert from "node:assert/strict";
import { junitXml, scenarioSuite } from "../../src/scenario/report_junit.ts";
import type { ScenarioReport } from "../../src/scenario/runner.ts";

const report = {
  scenario: "wedged-kcs",
  description: "d",
  passed: false,
  startedAt: "2026-12-02T07:00:00.000Z",
  durationMs: 9000,
  assertions: { passed: 1, failed: 1 },
  steps: [
    {
      index: 0,
      kind: "wait",
      name: "the daemon is feeding",
      bmc: "bmc0",
      status: "passed",
      detail: "watchdog.reset #12 after 1.2 s",
      atMs: 0,
      durationMs: 1200,
    },
    {
      index: 1,
      kind: "hang",
      name: "wedge the KCS",
      bmc: "bmc0",
      status: "done",
      detail: "wedge",
      atMs: 1200,
      durationMs: 1,
    },
    {
      index: 2,
      kind: "assert",
      name: "no kernel crash <BUG>",
      bmc: "bmc0",
      status: "failed",
      detail: "CRASH: list_add double add & \u0007more",
      atMs: 1201,
      durationMs: 1000,
    },
    {
      index: 3,
      kind: "assert",
      name: "feeding resumes",
      bmc: "bmc0",
      status: "skipped",
      detail: "",
      atMs: 0,
      durationMs: 0,
    },
  ],
} as unknown as ScenarioReport;

/** Parse with a real XML parser (Python's, from the machine) and return a summary. */
async function parsed(xml: string): Promise<Record<string, unknown>> {
  const script = `
import json, sys, xml.etree.ElementTree as E
root = E.fromstring(sys.stdin.read())
out = []
for s in root.findall("testsuite"):
    out.append({"suite": s.attrib, "cases": [
        {"name": c.get("name"), "time": c.get("time"),
         "failure": (c.find("failure").get("message") if c.find("failure") is not None else None),
         "skipped": c.find("skipped") is not None} for c in s.findall("testcase")]})
print(json.dumps({"root": root.tag, "suites": out}))
`;
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(xml));
  await w.close();
  const out = await child.output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("a scenario report is JUnit XML a real parser reads: waits and asserts as cases", async () => {
  const xml = junitXml([scenarioSuite(report)]);
  const p = await parsed(xml) as {
    root: string;
    suites: {
      suite: Record<string, string>;
      cases: { name: string; failure: string | null; skipped: boolean }[];
    }[];
  };
  assert.equal(p.root, "testsuites");
  const s = p.suites[0]!;
  assert.deepEqual(
    {
      name: s.suite.name,
      tests: s.suite.tests,
      failures: s.suite.failures,
      skipped: s.suite.skipped,
    },
    { name: "wedged-kcs", tests: "3", failures: "1", skipped: "1" },
  );
  assert.deepEqual(s.cases.map((c) => c.name), [
    "1. the daemon is feeding",
    "3. no kernel crash <BUG>",
    "4. feeding resumes",
  ]);
  assert.equal(
    s.cases[1]!.failure,
    "CRASH: list_add double add & more",
    "escaped, control characters dropped",
  );
  assert.equal(s.cases[2]!.skipped, true);
});
