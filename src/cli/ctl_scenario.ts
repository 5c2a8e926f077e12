/**
 * `ctl scenario run FILE`: run a scenario on the server and print each step
 * as it completes (text, or JSON lines with `--json`: `{"type": "start", …}`,
 * `{"type": "step", …}` per step, then `{"type": "report", …}`), optionally writing a JUnit XML
 * report (`--junit`) or a self-contained HTML report with the time line chart (`--html`). Exit 0 if it passed, 1 if not, 2 for an unreadable or invalid
 * scenario file, 4 if bmc-emu went away before the report.
 *
 * @module
 */

import { ApiCallError } from "./api_client.ts";
import type { CtlCommand, CtlContext } from "./ctl.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { formatStep, formatSummary } from "../scenario/report_text.ts";
import { junitXml, scenarioSuite } from "../scenario/report_junit.ts";
import type { ScenarioReport, StepResult } from "../scenario/runner.ts";
import { errorMessage } from "../util/error_message.ts";
import { eventHistory } from "../ui/event_history.ts";
import { scenarioHtml } from "../ui/report_html.ts";

async function readScenario(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw new UsageError(`cannot read scenario "${file}": ${errorMessage(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`scenario "${file}" is not valid JSON: ${errorMessage(error)}`);
  }
}

/** The `scenario` command. */
export const runScenario: CtlCommand = async (ctx: CtlContext): Promise<number> => {
  const [sub, file, ...extra] = ctx.args;
  if (sub !== "run" || file === undefined || extra.length > 0) {
    throw new UsageError("scenario needs: run FILE [--junit REPORT.xml] [--html REPORT.html]");
  }
  const body = await readScenario(file);
  const junit = ctx.options.junit === undefined ? undefined : String(ctx.options.junit);
  const html = ctx.options.html === undefined ? undefined : String(ctx.options.html);
  let report: ScenarioReport | null = null;
  for await (const line of ctx.api.lines("POST", "/api/v1/scenarios", body, ctx.io.signal)) {
    if (ctx.json) ctx.io.stdout(JSON.stringify(line));
    const { type, ...rest } = line;
    if (type === "report") report = rest as unknown as ScenarioReport;
    else if (ctx.json) continue;
    else if (type === "start") {
      ctx.io.stdout(`Scenario ${rest.scenario}: running ${rest.steps} steps`);
    } else if (type === "step") ctx.io.stdout(formatStep(rest as unknown as StepResult));
  }
  if (report === null) {
    if (ctx.io.signal?.aborted) return ExitCode.Failure;
    throw new ApiCallError(0, "the scenario's answer ended before its report");
  }
  if (!ctx.json) {
    ctx.io.stdout(formatSummary(report));
    if (report.description) ctx.io.stdout(`  ${report.description}`);
  }
  if (junit !== undefined) await Deno.writeTextFile(junit, junitXml([scenarioSuite(report)]));
  if (html !== undefined) {
    const bmc = report.steps[0]?.bmc ?? (body as { bmc?: unknown }).bmc;
    const events = typeof bmc === "string"
      ? await eventHistory((p, o) => ctx.api.events(p, o), bmc).catch(() => [])
      : [];
    await Deno.writeTextFile(html, scenarioHtml(report, events));
  }
  return report.passed ? ExitCode.Ok : ExitCode.Failure;
};
