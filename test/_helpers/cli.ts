/**
 * Run bmc-emu's CLI as a subprocess with a deadline (the child is killed
 * when it passes, so a hanging process cannot hang the test run).
 *
 * @module
 */

import { MAIN_TS } from "../../tools/e2e/bmc_process.ts";
import { LineWaiter } from "../../src/guest/line_waiter.ts";
import { readLines } from "../../src/guest/read_lines.ts";

/** Result of a CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run `deno run -A src/main.ts …args`.
 *
 * @param args CLI arguments.
 * @param options Environment, working directory, deadline.
 * @returns Exit code and output.
 */
export async function runMain(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN_TS, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A CLI process still running, its output read line by line as it comes. */
export interface CliChild extends AsyncDisposable {
  /** Standard output lines so far, with deadline-bounded waiting. */
  readonly stdout: LineWaiter;
  /** Standard error lines so far. */
  readonly stderr: LineWaiter;
  /** Exit status, once it exits (the child is killed at its deadline). */
  readonly status: Promise<Deno.CommandStatus>;
}

/**
 * Start `deno run -A src/main.ts …args` and read its output as it comes.
 *
 * @param args CLI arguments.
 * @param timeoutMs Deadline after which the child is killed.
 * @returns The running child.
 */
export function spawnMain(args: string[], timeoutMs = 60_000): CliChild {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN_TS, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).spawn();
  const stdout = new LineWaiter();
  const stderr = new LineWaiter();
  const readers = Promise.all([
    readLines(child.stdout, (l) => stdout.push(l)).then(() => stdout.close()),
    readLines(child.stderr, (l) => stderr.push(l)).then(() => stderr.close()),
  ]);
  const status = readers.then(() => child.status);
  return {
    stdout,
    stderr,
    status,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await status;
    },
  };
}
