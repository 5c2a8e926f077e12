/**
 * The console assertion of scenario steps: a line of the BMC's serial
 * console (what the guest printed, what SOL shows) matches, either already
 * in the console ring or written before a deadline — evidence even with no
 * agent in the guest (a kernel's panic message).
 *
 * @module
 */

import { delay } from "../clock/delay.ts";
import { ByteLines, linesOf } from "../util/byte_lines.ts";
import { seconds, type StepContext, type StepOutcome } from "./step_result.ts";
import { matchesWhere } from "./where.ts";

/** A console assertion as validated. */
export interface ConsoleCheck {
  /** What a line must be (a string: the whole line; operators such as `$match`). */
  readonly console: unknown;
  /** Deadline, ms. */
  readonly within: number;
  /** `ring`: the ring's lines count too; `step`: only output from now on. */
  readonly since: "ring" | "step";
}

/** Longest line quoted in a report. */
const QUOTE_MAX = 200;

function quote(line: string): string {
  const cut = line.length > QUOTE_MAX ? `${line.slice(0, QUOTE_MAX)}…` : line;
  return JSON.stringify(cut.trim());
}

/**
 * A console line matches, in the ring or before the deadline.
 *
 * @param ctx Step context.
 * @param check What to look for.
 * @param explain Adds the step's description or failure text.
 * @returns Passed with the line, or failed.
 */
export async function expectConsole(
  ctx: StepContext,
  check: ConsoleCheck,
  explain: (ok: boolean, detail: string) => string,
): Promise<StepOutcome> {
  const hub = ctx.runtime.lan?.console ?? null;
  const wanted = JSON.stringify(check.console);
  if (hub === null) {
    return {
      status: "failed",
      detail: explain(
        false,
        `BMC ${ctx.runtime.id} has no serial console (serve --console-listen, or bmcs[].console)`,
      ),
    };
  }
  const matches = (line: string): boolean => matchesWhere(line, check.console);
  if (check.since === "ring") {
    const seen = linesOf(hub.tail()).findLast(matches);
    if (seen !== undefined) {
      return {
        status: "passed",
        detail: explain(true, `console has ${quote(seen)} (in the ring)`),
      };
    }
  }
  const { clock } = ctx;
  const t0 = clock.now();
  const found = new AbortController();
  let line: string | null = null;
  const splitter = new ByteLines();
  const unsubscribe = hub.subscribe((bytes) => {
    if (line !== null) return;
    line = [...splitter.push(bytes), splitter.partial].find(matches) ?? null;
    if (line !== null) found.abort();
  });
  const stop = (): void => found.abort();
  ctx.signal?.addEventListener("abort", stop, { once: true });
  try {
    await delay(clock, check.within, found.signal);
  } finally {
    unsubscribe();
    ctx.signal?.removeEventListener("abort", stop);
  }
  if (line === null) {
    return {
      status: "failed",
      detail: explain(false, `no console line ${wanted} within ${seconds(check.within)}`),
    };
  }
  return {
    status: "passed",
    detail: explain(true, `console printed ${quote(line)} after ${seconds(clock.now() - t0)}`),
  };
}
