/**
 * One load-generator process of `tools/bench-scale.ts`: drives a share of
 * the rack's BMCs (dialling their endpoints, or accepting the connections
 * they make on its sockets) so that no single generator's event loop is
 * what the measurement sees. It prints `listening`, then
 * `connected <first> <all>` (wall-clock ms), then the result as one JSON
 * line with every latency and watchdog lateness for the parent to merge.
 *
 * @module
 */

import { say } from "../_cli.ts";
import { parseEndpoint } from "../../src/transport/endpoint.ts";
import { parseMix } from "./mix.ts";
import { type LoadOptions, type LoadResult, type LoadTarget, runLoad } from "./run_load.ts";
import { VmAcceptor } from "./vm_acceptor.ts";

/** What one generator does. */
export interface GeneratorJob {
  /** Endpoints to dial (bmc-emu listens). */
  readonly dial: readonly string[];
  /** Sockets to listen on, and how many BMCs dial each (bmc-emu connects). */
  readonly accept: readonly { readonly path: string; readonly bmcs: number }[];
  readonly mix: string;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly rate: number;
  readonly watchdog: {
    readonly timeoutS: number;
    readonly everyS: number;
    readonly action: number;
    readonly stopFeedingAfterMs: number;
  };
  readonly timeoutMs: number;
}

/** What it prints last. */
export interface GeneratorOutput {
  readonly result: LoadResult;
  readonly latencies: number[];
  readonly late: number[];
}

/**
 * The load settings of a job, as both generators pass them on.
 *
 * @param job The job.
 * @returns Mix, duration, warmup, rate, watchdog and per-request timeout.
 */
export function jobLoad(job: GeneratorJob):
  & Pick<
    LoadOptions,
    "mix" | "durationMs" | "warmupMs" | "rate" | "watchdog" | "timeoutMs"
  >
  & { readonly rate: number } {
  return {
    mix: parseMix(job.mix),
    durationMs: job.durationMs,
    warmupMs: job.warmupMs,
    rate: job.rate,
    watchdog: job.watchdog,
    timeoutMs: job.timeoutMs,
  };
}

if (import.meta.main) {
  const job = JSON.parse(Deno.args[0]!) as GeneratorJob;
  const acceptor = job.accept.length === 0 ? null : new VmAcceptor(job.accept.map((a) => a.path));
  say("listening");
  let first: number | null = null;
  const accepted = job.accept.reduce((n, a) => n + a.bmcs, 0);
  const targets: LoadTarget[] = [
    ...job.dial.map(parseEndpoint),
    ...Array.from({ length: accepted }, () => ({
      accept: async () => {
        const client = await acceptor!.next(60_000);
        first ??= Date.now();
        return client;
      },
    })),
  ];
  const raw = { latencies: [] as number[], late: [] as number[] };
  const result = await runLoad({
    targets,
    ...jobLoad(job),
    raw,
    onConnected: () => say(`connected ${first ?? Date.now()} ${Date.now()}`),
  });
  await acceptor?.close();
  say(JSON.stringify({ result, ...raw } satisfies GeneratorOutput));
  Deno.exit(0);
}
