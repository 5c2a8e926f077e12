/**
 * A scenario report as JUnit XML, the test-report format GitLab, Jenkins and
 * GitHub Actions show as test results: one `<testsuite>` per scenario, one
 * `<testcase>` per wait or assertion (actions are not test cases), a
 * `<failure>` for each failed one and `<skipped>` for those an aborted run
 * never reached.
 *
 * @module
 */

import type { ScenarioReport } from "./runner.ts";

/** One JUnit test case, independent of where it came from. */
export interface JunitCase {
  /** Test name. */
  readonly name: string;
  /** Class name (the suite's subject). */
  readonly classname: string;
  /** Duration, s. */
  readonly seconds: number;
  /** Failure message, if it failed. */
  readonly failure?: string;
  /** Whether it was skipped. */
  readonly skipped?: boolean;
  /** Extra output (evidence). */
  readonly output?: string;
}

/** One JUnit test suite. */
export interface JunitSuite {
  /** Suite name. */
  readonly name: string;
  /** Start (ISO 8601). */
  readonly timestamp: string;
  /** Cases. */
  readonly cases: readonly JunitCase[];
}

function escapeXml(text: string): string {
  // XML 1.0 has no escape for most control characters: drop them.
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(
    /[<>&"']/g,
    (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!,
  );
}

/**
 * JUnit XML for suites.
 *
 * @param suites Suites.
 * @returns The document.
 */
export function junitXml(suites: readonly JunitSuite[]): string {
  const count = (s: JunitSuite, p: (c: JunitCase) => boolean) => s.cases.filter(p).length;
  const time = (s: JunitSuite) => s.cases.reduce((t, c) => t + c.seconds, 0).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"];
  for (const s of suites) {
    lines.push(
      `  <testsuite name="${escapeXml(s.name)}" tests="${s.cases.length}" failures="${
        count(s, (c) => c.failure !== undefined)
      }" errors="0" skipped="${count(s, (c) => c.skipped === true)}" time="${time(s)}" timestamp="${
        escapeXml(s.timestamp)
      }">`,
    );
    for (const c of s.cases) {
      const head = `    <testcase name="${escapeXml(c.name)}" classname="${
        escapeXml(c.classname)
      }" time="${c.seconds.toFixed(3)}"`;
      const body: string[] = [];
      if (c.failure !== undefined) {
        body.push(
          `      <failure message="${escapeXml(c.failure)}">${escapeXml(c.failure)}</failure>`,
        );
      }
      if (c.skipped) body.push("      <skipped/>");
      if (c.output !== undefined) {
        body.push(`      <system-out>${escapeXml(c.output)}</system-out>`);
      }
      lines.push(
        body.length === 0 ? `${head}/>` : `${head}>`,
        ...body,
        ...(body.length ? ["    </testcase>"] : []),
      );
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}

/**
 * A scenario report as a JUnit suite: its waits and assertions as cases.
 *
 * @param r Report.
 * @returns The suite.
 */
export function scenarioSuite(r: ScenarioReport): JunitSuite {
  return {
    name: r.scenario,
    timestamp: r.startedAt,
    cases: r.steps.filter((s) => s.kind === "wait" || s.kind === "assert").map((s) => ({
      name: `${s.index + 1}. ${s.name ?? s.kind}`,
      classname: `scenario.${r.scenario}`,
      seconds: s.durationMs / 1000,
      ...(s.status === "failed" ? { failure: s.detail } : {}),
      ...(s.status === "skipped" ? { skipped: true } : {}),
      ...(s.status === "passed" ? { output: s.detail } : {}),
    })),
  };
}
