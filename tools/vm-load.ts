/**
 * vm-load: a load generator that speaks the QEMU side of the VM protocol,
 * so bmc-emu and any other VM-protocol BMC (OpenIPMI's ipmi_sim) are
 * measured with one tool.
 *
 *   deno run -A tools/vm-load.ts --target tcp:127.0.0.1:9002 --duration 10s
 *
 * @module
 */

import { durationOption as duration, quit, say, toolArgs } from "./_cli.ts";
import { type Endpoint, parseEndpoint } from "../src/transport/endpoint.ts";
import { parseMix } from "./load/mix.ts";
import { type LoadResult, runLoad } from "./load/run_load.ts";
import { errorMessage } from "../src/util/error_message.ts";

const USAGE = `Usage: deno run -A tools/vm-load.ts [options]

Drives VM-protocol BMCs the way QEMU's ipmi-bmc-extern does: one connection
per BMC, one outstanding request per connection. Prints requests per second
and latency percentiles per request type.

Targets (one connection each):
  --target tcp:HOST:PORT|unix:PATH   a BMC's VM endpoint (repeatable)
  --targets-file FILE                one endpoint per line
  --api URL                          every BMC of a bmc-emu process (its vm endpoints)

Load:
  --mix LIST        get-device-id,reset-watchdog,get-watchdog,add-sel,get-message-flags
                    with optional weights (name=3), or all (default all)
  --rate N          requests per second per connection (default: as fast as possible)
  --duration D      measured time, e.g. 10s (default 10s)
  --warmup D        unmeasured time first (default 1s)
  --timeout D       give up on a request after this long (default 4s, QEMU's)
  --watchdog T/F    arm each BMC's watchdog with timeout T s and feed it every F s
                    (e.g. 10/2), in addition to the mix
  --watchdog-action none|reset   timeout action (default none)
  --stop-feeding D  stop feeding after D and time each BMC's action against its
                    deadline (needs --watchdog and --watchdog-action reset)

Output:
  --json            print the result as JSON
  --strict          exit 1 unless every request got a well-formed reply with
                    completion code 0 (for smoke tests)
  -h, --help        this help

Every reply is checked: its seq, netfn and command must be the request's and,
with completion code 0, its length what IPMI 2.0 gives; others count as
malformed, and frames that answer nothing outstanding as stray.

Exit status: 0 done, 1 no target could be reached (or, with --strict, any
reply was not clean), 2 usage.`;

async function targetsOf(values: Record<string, unknown>): Promise<Endpoint[]> {
  const list: string[] = [...((values.target as string[] | undefined) ?? [])];
  if (typeof values["targets-file"] === "string") {
    const text = await Deno.readTextFile(values["targets-file"]);
    list.push(
      ...text.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#")),
    );
  }
  if (typeof values.api === "string") {
    const r = await fetch(`${values.api}/api/v1/bmcs`);
    const body = await r.json() as { bmcs: { vm: string }[] };
    for (const b of body.bmcs) {
      const [mode, endpoint] = b.vm.split(" ");
      if (mode === "listen") list.push(endpoint!);
    }
  }
  return list.map((t) => parseEndpoint(t));
}

/**
 * The result for people.
 *
 * @param r Result.
 * @returns Lines.
 */
export function formatLoad(r: LoadResult): string[] {
  const row = (name: string, s: LoadResult["total"]) =>
    `${name.padEnd(22)} ${String(s.count).padStart(9)} ${String(s.perSecond).padStart(8)}/s ` +
    `p50 ${s.p50.toFixed(3)} p90 ${s.p90.toFixed(3)} p99 ${s.p99.toFixed(3)} max ${
      s.max.toFixed(3)
    } ms` + (s.errors + s.timeouts + s.malformed > 0
      ? `  (cc≠0: ${s.errors}, unanswered: ${s.timeouts}, malformed: ${s.malformed})`
      : "");
  const lines = [
    `${r.connections} connections (${r.failedConnections} failed), ${r.seconds} s measured` +
    (r.strayFrames > 0 ? `, ${r.strayFrames} stray frames` : ""),
    ...Object.entries(r.byType).map(([n, s]) => row(n, s)),
    row("total", r.total),
  ];
  if (r.watchdogActions !== null) {
    const w = r.watchdogActions;
    lines.push(
      `watchdog actions: ${w.seen}/${w.expected}, late p50 ${w.lateMs.p50} p99 ${w.lateMs.p99} max ${w.lateMs.max} ms (min ${w.lateMs.min})`,
    );
  }
  return lines;
}

/**
 * The exit status: 1 when no target answered, or with `strict` when anything
 * was not a clean answer (failed connection, cc≠0, unanswered, malformed,
 * stray frame); else 0.
 *
 * @param r Result.
 * @param strict Whether every request must have been answered cleanly.
 * @returns Exit status.
 */
export function loadExitStatus(r: LoadResult, strict: boolean): number {
  if (r.failedConnections === r.connections) return 1;
  const t = r.total;
  const unclean = r.failedConnections + r.strayFrames + t.errors + t.timeouts + t.malformed;
  return strict && (unclean > 0 || t.count === 0) ? 1 : 0;
}

if (import.meta.main) {
  const { values } = toolArgs("vm-load", USAGE, {
    options: {
      target: { type: "string", multiple: true },
      "targets-file": { type: "string" },
      api: { type: "string" },
      mix: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      timeout: { type: "string" },
      watchdog: { type: "string" },
      "watchdog-action": { type: "string" },
      "stop-feeding": { type: "string" },
      json: { type: "boolean" },
      strict: { type: "boolean" },
    },
  });
  let options;
  try {
    const targets = await targetsOf(values);
    if (targets.length === 0) throw new Error("no targets: give --target, --targets-file or --api");
    const wdText = values.watchdog;
    if (values["stop-feeding"] !== undefined && values["watchdog-action"] !== "reset") {
      throw new Error("--stop-feeding needs --watchdog T/F and --watchdog-action reset");
    }
    if (values["watchdog-action"] !== undefined && wdText === undefined) {
      throw new Error("--watchdog-action needs --watchdog T/F");
    }
    let watchdog = null;
    if (wdText !== undefined) {
      const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(wdText);
      if (m === null) {
        throw new Error(`--watchdog must be TIMEOUT/FEED seconds such as 10/2, got "${wdText}"`);
      }
      const action = values["watchdog-action"] ?? "none";
      if (action !== "none" && action !== "reset") {
        throw new Error(`--watchdog-action must be none or reset, got "${action}"`);
      }
      watchdog = {
        timeoutS: Number(m[1]),
        everyS: Number(m[2]),
        action: action === "reset" ? 1 : 0,
        stopFeedingAfterMs: values["stop-feeding"] === undefined
          ? null
          : duration("stop-feeding", values["stop-feeding"]),
      };
    }
    const rate = values.rate === undefined ? null : Number(values.rate);
    if (rate !== null && !(rate > 0)) throw new Error(`--rate must be a positive number`);
    options = {
      targets,
      mix: parseMix(values.mix ?? "all"),
      durationMs: duration("duration", values.duration ?? "10s"),
      warmupMs: duration("warmup", values.warmup ?? "1s"),
      rate,
      watchdog,
      timeoutMs: duration("timeout", values.timeout ?? "4s"),
    };
  } catch (error) {
    quit("vm-load", errorMessage(error));
  }
  const result = await runLoad(options);
  if (values.json) say(JSON.stringify(result, null, 2));
  else for (const line of formatLoad(result)) say(line);
  Deno.exit(loadExitStatus(result, values.strict === true));
}
