/**
 * bench-scale: many BMCs in one bmc-emu process, each with its own VM
 * connection and a running watchdog. Measures start-up (launch to the first
 * answered request), resident memory per BMC, request latency under load,
 * and how close to its deadline each watchdog acts once feeding stops.
 *
 *   deno run -A tools/bench-scale.ts --bmcs 1000 --duration 20s
 *
 * @module
 */

import { durationOption, quit, say, toolArgs } from "./_cli.ts";
import { errorMessage } from "../src/util/error_message.ts";
import { AppCmd, NetFn } from "../src/codec/constants.ts";
import { type Endpoint, parseEndpoint } from "../src/transport/endpoint.ts";
import { parseMix } from "./load/mix.ts";
import { type LoadResult, runLoad } from "./load/run_load.ts";
import { VmClient } from "./load/vm_client.ts";
import { MAIN_TS } from "./e2e/bmc_process.ts";

/** What a scale run measured. */
export interface ScaleResult {
  readonly date: string;
  readonly bmcs: number;
  readonly profile: string;
  /** Launch to the first answered Get Device ID, ms, on the first and the last BMC. */
  readonly startupMs: {
    /** A one-BMC process: launch to its first answer. */
    readonly single: number;
    /** The rack: launch to the first BMC's, and to the last BMC's, first answer. */
    readonly first: number;
    readonly last: number;
  };
  /** Resident memory of the bmc-emu process, MiB. */
  readonly rssMiB: { readonly idle: number; readonly underLoad: number };
  /** Of a one-BMC process, for the per-BMC figure. */
  readonly baselineRssMiB: number;
  /** (under load − one-BMC baseline) / (BMCs − 1), MiB. */
  readonly perBmcMiB: number;
  /** The load. */
  readonly load: LoadResult;
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? "0");
  return Math.round((kb / 1024) * 10) / 10;
}

/** A bmc-emu serving `n` BMCs on UNIX sockets in `dir`. */
async function startServe(
  dir: string,
  n: number,
  profile: string,
): Promise<{ child: Deno.ChildProcess; targets: Endpoint[]; startedAt: number }> {
  const targets: Endpoint[] = [];
  const bmcs = [];
  for (let i = 0; i < n; i++) {
    const id = `rack-${String(i).padStart(4, "0")}`;
    const endpoint = `unix:${dir}/${id}.sock`;
    targets.push(parseEndpoint(endpoint));
    bmcs.push({ id, profile, vm: { listen: endpoint } });
  }
  await Deno.writeTextFile(
    `${dir}/rack.json`,
    JSON.stringify({ stateDir: null, api: { listen: "off" }, bmcs }),
  );
  const startedAt = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN_TS, "serve", "--config", `${dir}/rack.json`, "--log-level", "warn"],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  return { child, targets, startedAt };
}

/** Poll until `endpoint` answers Get Device ID; returns ms since `since`. */
async function firstAnswer(endpoint: Endpoint, since: number, timeoutMs = 60_000): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const c = await VmClient.connect(endpoint);
      const a = await c.request(NetFn.App, AppCmd.GetDeviceId, new Uint8Array(), 1000);
      await c.close();
      if (a !== null && a.cc === 0) return Math.round(performance.now() - since);
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no answer from ${JSON.stringify(endpoint)} within ${timeoutMs} ms`);
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Gone.
  }
  await child.status;
}

/**
 * Run the scale measurement.
 *
 * @param o BMCs, profile, load duration, per-connection rate.
 * @returns What was measured.
 */
export async function runScale(o: {
  bmcs: number;
  profile: string;
  durationMs: number;
  rate: number;
  stopFeedingAfterMs: number;
}): Promise<ScaleResult> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-scale-" });
  try {
    const one = await startServe(dir, 1, o.profile);
    const single = await firstAnswer(one.targets[0]!, one.startedAt);
    const baselineRssMiB = rssMiB(one.child.pid);
    await stop(one.child);
    await Deno.remove(`${dir}/rack-0000.sock`).catch(() => {});

    const many = await startServe(dir, o.bmcs, o.profile);
    try {
      const first = await firstAnswer(many.targets[0]!, many.startedAt);
      const last = await firstAnswer(many.targets.at(-1)!, many.startedAt);
      const idle = rssMiB(many.child.pid);
      let underLoad = idle;
      const sampler = setInterval(() => {
        underLoad = Math.max(underLoad, rssMiB(many.child.pid));
      }, 500);
      const load = await runLoad({
        targets: many.targets,
        mix: parseMix("get-device-id,get-message-flags,get-watchdog"),
        durationMs: o.durationMs,
        warmupMs: 2000,
        rate: o.rate,
        watchdog: { timeoutS: 10, everyS: 2, action: 1, stopFeedingAfterMs: o.stopFeedingAfterMs },
        timeoutMs: 4000,
      }).finally(() => clearInterval(sampler));
      return {
        date: new Date().toISOString().slice(0, 10),
        bmcs: o.bmcs,
        profile: o.profile,
        startupMs: { single, first, last },
        rssMiB: { idle, underLoad },
        baselineRssMiB,
        perBmcMiB: Math.round(((underLoad - baselineRssMiB) / Math.max(1, o.bmcs - 1)) * 1000) /
          1000,
        load,
      };
    } finally {
      await stop(many.child);
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/**
 * The result for people.
 *
 * @param r Result.
 * @returns Lines.
 */
export function formatScale(r: ScaleResult): string[] {
  const t = r.load.total;
  const w = r.load.watchdogActions;
  return [
    `bench-scale ${r.date}: ${r.bmcs} BMCs (${r.profile}) in one process, one VM connection each`,
    `  start-up: one BMC answers ${r.startupMs.single} ms after launch; of ${r.bmcs}, the first after ${r.startupMs.first} ms, the last after ${r.startupMs.last} ms`,
    `  memory: ${r.rssMiB.idle} MiB idle, ${r.rssMiB.underLoad} MiB under load (one BMC: ${r.baselineRssMiB} MiB) → ${r.perBmcMiB} MiB per BMC`,
    `  load: ${t.count} requests in ${r.load.seconds} s (${t.perSecond}/s), p50 ${t.p50} p90 ${t.p90} p99 ${t.p99} max ${t.max} ms, ${t.errors} errors, ${t.timeouts} unanswered, ${r.load.failedConnections} failed connections`,
    w === null
      ? "  watchdog: not measured"
      : `  watchdog actions: ${w.seen}/${w.expected} hard resets, late by p50 ${w.lateMs.p50} p99 ${w.lateMs.p99} max ${w.lateMs.max} ms (min ${w.lateMs.min})`,
  ];
}

const USAGE = `Usage: deno run -A tools/bench-scale.ts [options]

  --bmcs N          BMCs in the process (default 1000)
  --profile NAME    their profile (default generic)
  --duration D      measured load time (default 20s)
  --rate N          requests per second per BMC, watchdog feeds included (default 2)
  --stop-feeding D  stop feeding the watchdogs after D and time their actions (default 10s)
  --json            print JSON
  -h, --help        this help

Each BMC gets its own VM connection (UNIX sockets), a watchdog with a 10 s
timeout and hard-reset action fed every 2 s, and a mix of Get Device ID, Get
Message Flags and Get Watchdog Timer.`;

if (import.meta.main) {
  const { values } = toolArgs("bench-scale", USAGE, {
    options: {
      bmcs: { type: "string" },
      profile: { type: "string" },
      duration: { type: "string" },
      rate: { type: "string" },
      "stop-feeding": { type: "string" },
      json: { type: "boolean" },
    },
  });
  let options;
  try {
    options = {
      bmcs: Number(values.bmcs ?? 1000),
      profile: values.profile ?? "generic",
      durationMs: durationOption("duration", values.duration ?? "20s"),
      rate: Number(values.rate ?? 2),
      stopFeedingAfterMs: durationOption("stop-feeding", values["stop-feeding"] ?? "10s"),
    };
  } catch (error) {
    quit("bench-scale", errorMessage(error));
  }
  if (
    !Number.isInteger(options.bmcs) || options.bmcs < 1 || options.bmcs > 10_000 ||
    !(options.durationMs > 0) || !(options.rate > 0) || !(options.stopFeedingAfterMs >= 0)
  ) {
    quit("bench-scale", `invalid options\n\n${USAGE}`);
  }
  const result = await runScale(options);
  if (values.json) say(JSON.stringify(result, null, 2));
  else for (const line of formatScale(result)) say(line);
}
