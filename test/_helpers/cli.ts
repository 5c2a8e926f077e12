/**
 * Run bmc-emu's CLI as a subprocess with a deadline (the child is killed
 * when it passes, so a hanging process cannot hang the test run).
 *
 * @module
 */

import { MAIN_TS } from "../../tools/e2e/bmc_process.ts";

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
