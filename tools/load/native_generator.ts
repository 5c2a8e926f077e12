/**
 * The native load-generator process of `tools/bench-scale.ts`
 * (`--generator native`): the same job and the same output as
 * `scale_generator.ts` (it prints `listening`, then
 * `connected <first> <all>` in wall-clock ms, then one JSON line of
 * {@link GeneratorOutput}), with the load run on libc sockets and epoll
 * (`native_load.ts`) so that one process drives 10 000 BMCs with a fraction
 * of a core. It accepts the connections of BMCs in `--vm connect` mode only;
 * dialling BMCs that listen is the Deno generator's.
 *
 * @module
 */

import { quit, say } from "../_cli.ts";
import { NativeLoad } from "./native_load.ts";
import { type GeneratorJob, type GeneratorOutput, jobLoad } from "./scale_generator.ts";

/** How long the BMCs have to connect, ms (as the Deno generator waits). */
const ACCEPT_TIMEOUT_MS = 60_000;

if (import.meta.main) {
  const job = JSON.parse(Deno.args[0]!) as GeneratorJob;
  if (job.dial.length > 0) {
    quit(
      "native_generator",
      "cannot dial BMCs: the native generator only accepts the connections of BMCs in --vm connect mode",
    );
  }
  const raw = { latencies: [] as number[], late: [] as number[] };
  const load = new NativeLoad({
    accept: job.accept,
    ...jobLoad(job),
    acceptTimeoutMs: ACCEPT_TIMEOUT_MS,
    raw,
    onConnected: () => say(`connected ${load.firstAcceptedAt ?? Date.now()} ${Date.now()}`),
  });
  say("listening");
  const result = load.run();
  say(JSON.stringify({ result, ...raw } satisfies GeneratorOutput));
  Deno.exit(0);
}
