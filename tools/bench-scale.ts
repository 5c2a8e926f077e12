/**
 * bench-scale: many BMCs in one bmc-emu process, each with its own VM
 * connection and a running watchdog. Measures start-up (launch to the first
 * answered request), resident memory per BMC, request latency under load,
 * and how close to its deadline each watchdog acts once feeding stops.
 *
 *   deno run -A tools/bench-scale.ts --bmcs 1000 --duration 20s
 *   deno run -A tools/bench-scale.ts --bmcs 10000 --vm connect --workers 2
 *
 * The load comes from `--generators` processes (tools/load/scale_generator.ts),
 * each driving a share of the BMCs: one process with 10 000 sockets is
 * itself slow to answer (measured: a bare Deno responder behind one
 * generator process, p99 0.7 ms at 2500 connections, 11 ms at 5000, 64 ms
 * to 974 ms at 10 000), and that is not what this tool measures.
 * `--generator native` (tools/load/native_generator.ts) runs the same load
 * on libc sockets and epoll through FFI instead: one process drives 10 000
 * BMCs with a fraction of a core (BMCs in `--vm connect` mode only).
 *
 * @module
 */

import { quit, say, toolArgs } from "./_cli.ts";
import { type GeneratorKind, scaleOptions, type VmMode } from "./load/scale_options.ts";
import { errorMessage } from "../src/util/error_message.ts";
import { AppCmd, NetFn } from "../src/codec/constants.ts";
import { type Endpoint, parseEndpoint } from "../src/transport/endpoint.ts";
import { VmAcceptor } from "./load/vm_acceptor.ts";
import { lateBuckets, type LoadResult } from "./load/run_load.ts";
import { LatencyStats, percentile } from "./load/stats.ts";
import type { GeneratorJob, GeneratorOutput } from "./load/scale_generator.ts";
import { VmClient } from "./load/vm_client.ts";
import { MAIN_TS } from "./e2e/bmc_process.ts";
import { LineWaiter } from "../src/guest/line_waiter.ts";
import { readLines } from "../src/guest/read_lines.ts";

/** What a scale run measured. */
export interface ScaleResult {
  readonly date: string;
  readonly bmcs: number;
  readonly profile: string;
  /** Which side of the VM link listens. */
  readonly vm: VmMode;
  /** `serve --workers` (`null`: serve's default). */
  readonly workers: number | null;
  /** Host load averages (1, 5, 15 min) at the start and the end. */
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
  /** Launch to the first answered Get Device ID, ms, on the first and the last BMC. */
  readonly startupMs: {
    /** A one-BMC process: launch to its first answer. */
    readonly single: number;
    /** The rack: launch to the first BMC's, and to the last BMC's, first answer. */
    readonly first: number;
    readonly last: number;
    /** Launch to every BMC answering (the load's connections all up). */
    readonly all: number;
  };
  /** Resident memory of the bmc-emu process, MiB. */
  readonly rssMiB: { readonly idle: number; readonly underLoad: number };
  /** Of a one-BMC process, for the per-BMC figure. */
  readonly baselineRssMiB: number;
  /** (under load − one-BMC baseline) / (BMCs − 1), MiB. */
  readonly perBmcMiB: number;
  /** CPU cores busy during the load (CPU seconds / wall seconds): bmc-emu, and the load generators. */
  readonly cpu: { readonly serve: number; readonly generators: number };
  /** Which load generator (Deno sockets, or libc sockets through FFI). */
  readonly generator: GeneratorKind;
  /** Load-generator processes. */
  readonly generators: number;
  /** The load. */
  readonly load: LoadResult;
}

function loadAverage(): number[] {
  return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).map(Number);
}

/** Soft RLIMIT_NOFILE of this process (its children inherit it). */
function openFileLimit(): number {
  const line = /^Max open files\s+(\S+)/m.exec(Deno.readTextFileSync("/proc/self/limits"));
  return line === null || line[1] === "unlimited" ? Infinity : Number(line[1]);
}

/** CPU seconds (user + system, all threads) of a process. */
function cpuSeconds(pid: number): number {
  const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? "0");
  return Math.round((kb / 1024) * 10) / 10;
}

/** BMCs per generator-side socket in `connect` mode. */
const BMCS_PER_SOCKET = 100;

/**
 * File descriptors a run needs in bmc-emu: a listening and an accepted
 * socket per BMC (`listen`), or one connection per BMC (`connect`); plus
 * headroom. The generators hold one connection per BMC between them.
 *
 * @param bmcs BMCs.
 * @param vm Mode.
 * @returns Descriptors.
 */
export function filesNeeded(bmcs: number, vm: VmMode): number {
  return (vm === "listen" ? 2 : 1) * bmcs + 256;
}

/** The rack's config: BMC ids and VM endpoints (`connect`: 100 BMCs per socket). */
function rack(dir: string, n: number, o: { profile: string; vm: VmMode }) {
  const sockets = Array.from(
    { length: Math.ceil(n / BMCS_PER_SOCKET) },
    (_, k) => ({
      path: `${dir}/qemu-${n}-${k}.sock`,
      bmcs: Math.min(BMCS_PER_SOCKET, n - k * BMCS_PER_SOCKET),
    }),
  );
  const endpoints: string[] = [];
  const bmcs = [];
  for (let i = 0; i < n; i++) {
    const id = `rack-${String(i).padStart(4, "0")}`;
    const endpoint = o.vm === "listen"
      ? `unix:${dir}/${id}.sock`
      : `unix:${sockets[Math.floor(i / BMCS_PER_SOCKET)]!.path}`;
    endpoints.push(endpoint);
    bmcs.push({ id, profile: o.profile, vm: { [o.vm]: endpoint } });
  }
  return { sockets, endpoints, config: { stateDir: null, api: { listen: "off" }, bmcs } };
}

/** Start `serve --config`; returns the child and when it was launched (wall ms). */
async function launch(
  dir: string,
  config: unknown,
  workers: number | null,
): Promise<{ child: Deno.ChildProcess; startedAt: number }> {
  await Deno.writeTextFile(`${dir}/rack.json`, JSON.stringify(config));
  const startedAt = Date.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      MAIN_TS,
      "serve",
      "--config",
      `${dir}/rack.json`,
      "--log-level",
      "warn",
      ...(workers === null ? [] : ["--workers", String(workers)]),
    ],
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  return { child, startedAt };
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // Gone.
  }
  await child.status;
}

/** Poll until `endpoint` answers Get Device ID; returns ms since `since` (wall). */
async function firstAnswer(endpoint: Endpoint, since: number, timeoutMs = 60_000): Promise<number> {
  const deadline = since + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const c = await VmClient.connect(endpoint);
      const a = await c.request(NetFn.App, AppCmd.GetDeviceId, new Uint8Array(), 1000);
      await c.close();
      if (a !== null && a.cc === 0) return Date.now() - since;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no answer from ${JSON.stringify(endpoint)} within ${timeoutMs} ms`);
}

/** A one-BMC process: launch to its first answer, and its resident memory. */
async function baseline(
  dir: string,
  o: { profile: string; vm: VmMode; workers: number | null },
): Promise<{ single: number; rss: number }> {
  const r = rack(dir, 1, o);
  const acceptor = o.vm === "connect" ? new VmAcceptor(r.sockets.map((s) => s.path)) : null;
  const { child, startedAt } = await launch(dir, r.config, o.workers);
  try {
    let single: number;
    if (acceptor === null) single = await firstAnswer(parseEndpoint(r.endpoints[0]!), startedAt);
    else {
      const client = await acceptor.next(60_000);
      if (client === null) throw new Error("the one BMC did not connect within 60 s");
      await client.request(NetFn.App, AppCmd.GetDeviceId, new Uint8Array(), 4000);
      single = Date.now() - startedAt;
      await client.close();
    }
    return { single, rss: rssMiB(child.pid) };
  } finally {
    await stop(child);
    await acceptor?.close();
  }
}

/** The module of each kind of load-generator process (same job, same output). */
const GENERATOR_MODULES: Readonly<Record<GeneratorKind, URL>> = {
  deno: new URL("./load/scale_generator.ts", import.meta.url),
  native: new URL("./load/native_generator.ts", import.meta.url),
};

/** A load-generator process of `kind` running `job`. */
function generator(kind: GeneratorKind, job: GeneratorJob) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", GENERATOR_MODULES[kind].pathname, JSON.stringify(job)],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = new LineWaiter();
  const read = readLines(child.stdout, (l) => lines.push(l)).then(() => lines.close());
  return {
    child,
    listening: () => lines.waitFor("listening", { timeoutMs: 30_000 }),
    connected: async () => {
      const [, first, all] = (await lines.waitFor(/^connected /, { timeoutMs: 120_000 })).split(
        " ",
      );
      return { first: Number(first), all: Number(all) };
    },
    output: async (): Promise<GeneratorOutput> => {
      await read;
      await child.status;
      return JSON.parse(lines.lines.at(-1)!) as GeneratorOutput;
    },
  };
}

/** The generators' results as one. */
function merged(outputs: readonly GeneratorOutput[], seconds: number): LoadResult {
  const total = new LatencyStats();
  for (const ms of outputs.flatMap((o) => o.latencies)) total.add(ms, 0);
  for (const o of outputs) {
    total.errors += o.result.total.errors;
    total.timeouts += o.result.total.timeouts;
    total.malformed += o.result.total.malformed;
  }
  const late = outputs.flatMap((o) => o.late).sort((a, b) => a - b);
  const at = (q: number) => Math.round(percentile(late, q) * 10) / 10;
  const sum = (f: (r: LoadResult) => number) => outputs.reduce((n, o) => n + f(o.result), 0);
  return {
    connections: sum((r) => r.connections),
    failedConnections: sum((r) => r.failedConnections),
    strayFrames: sum((r) => r.strayFrames),
    seconds,
    total: total.summary(seconds),
    byType: {},
    watchdogActions: {
      expected: sum((r) => r.watchdogActions?.expected ?? 0),
      seen: late.length,
      lateMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), min: at(0) },
      lateBuckets: lateBuckets(late),
    },
  };
}

/**
 * Run the scale measurement.
 *
 * @param o BMCs, profile, workers, VM mode, generator kind and processes, load duration,
 *   per-connection rate.
 * @returns What was measured.
 */
export async function runScale(o: {
  bmcs: number;
  profile: string;
  workers: number | null;
  vm: VmMode;
  generator: GeneratorKind;
  generators: number;
  durationMs: number;
  rate: number;
  stopFeedingAfterMs: number;
}): Promise<ScaleResult> {
  const limit = openFileLimit();
  if (limit < filesNeeded(o.bmcs, o.vm)) {
    throw new Error(
      `RLIMIT_NOFILE is ${limit}; ${o.bmcs} BMCs with --vm ${o.vm} need ${
        filesNeeded(o.bmcs, o.vm)
      } file descriptors: run under \`prlimit --nofile=65536 deno run -A tools/bench-scale.ts …\` or \`ulimit -n 65536\` first (above the hard limit this needs CAP_SYS_RESOURCE), or use --vm connect (one descriptor per BMC)`,
    );
  }
  const startLoad = loadAverage();
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-scale-" });
  try {
    const one = await baseline(dir, o);
    const r = rack(dir, o.bmcs, o);
    const k = Math.max(1, Math.min(o.generators, o.vm === "connect" ? r.sockets.length : o.bmcs));
    const jobs: GeneratorJob[] = Array.from({ length: k }, (_, j) => ({
      dial: o.vm === "listen" ? r.endpoints.filter((_, i) => i % k === j) : [],
      accept: o.vm === "connect" ? r.sockets.filter((_, i) => i % k === j) : [],
      mix: "get-device-id,get-message-flags,get-watchdog",
      durationMs: o.durationMs,
      warmupMs: 2000,
      rate: o.rate,
      watchdog: { timeoutS: 10, everyS: 2, action: 1, stopFeedingAfterMs: o.stopFeedingAfterMs },
      timeoutMs: 4000,
    }));
    const gens = jobs.map((job) => generator(o.generator, job));
    try {
      await Promise.all(gens.map((g) => g.listening()));
      const { child, startedAt } = await launch(dir, r.config, o.workers);
      try {
        const probes = o.vm === "listen"
          ? {
            first: await firstAnswer(parseEndpoint(r.endpoints[0]!), startedAt),
            last: await firstAnswer(parseEndpoint(r.endpoints.at(-1)!), startedAt),
          }
          : null;
        const connected = await Promise.all(gens.map((g) => g.connected()));
        const all = Math.max(...connected.map((c) => c.all)) - startedAt;
        const idle = rssMiB(child.pid);
        let underLoad = idle;
        const sampler = setInterval(() => {
          underLoad = Math.max(underLoad, rssMiB(child.pid));
        }, 500);
        const t0 = performance.now();
        const serve0 = cpuSeconds(child.pid);
        const gen0 = gens.reduce((n, g) => n + cpuSeconds(g.child.pid), 0);
        let serve1 = serve0;
        let gen1 = gen0;
        const cpuEnd = setTimeout(() => {
          serve1 = cpuSeconds(child.pid);
          gen1 = gens.reduce((n, g) => n + cpuSeconds(g.child.pid), 0);
        }, o.durationMs);
        const outputs = await Promise.all(gens.map((g) => g.output())).finally(() => {
          clearInterval(sampler);
          clearTimeout(cpuEnd);
        });
        const wall = Math.min(o.durationMs, performance.now() - t0) / 1000;
        const cores = (a: number, b: number) => Math.round(((b - a) / wall) * 100) / 100;
        const firsts = connected.map((c) => c.first - startedAt);
        return {
          date: new Date().toISOString().slice(0, 16).replace("T", " "),
          bmcs: o.bmcs,
          profile: o.profile,
          workers: o.workers,
          vm: o.vm,
          generator: o.generator,
          generators: k,
          loadAverage: { start: startLoad, end: loadAverage() },
          startupMs: {
            single: one.single,
            first: probes?.first ?? Math.min(...firsts),
            last: probes?.last ?? all,
            all,
          },
          rssMiB: { idle, underLoad },
          baselineRssMiB: one.rss,
          perBmcMiB: Math.round(((underLoad - one.rss) / Math.max(1, o.bmcs - 1)) * 1000) / 1000,
          cpu: { serve: cores(serve0, serve1), generators: cores(gen0, gen1) },
          load: merged(outputs, o.durationMs / 1000),
        };
      } finally {
        await stop(child);
      }
    } finally {
      for (const g of gens) {
        try {
          g.child.kill("SIGKILL");
        } catch {
          // Done.
        }
      }
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
    `bench-scale ${r.date}: ${r.bmcs} BMCs (${r.profile}) in one process (--workers ${
      r.workers ?? "default"
    }), one VM connection each (bmc-emu ${r.vm === "listen" ? "listens" : "dials"}); load average ${
      r.loadAverage.start.join(" ")
    } → ${r.loadAverage.end.join(" ")}`,
    `  start-up: one BMC answers ${r.startupMs.single} ms after launch; of ${r.bmcs}, the first after ${r.startupMs.first} ms, the last declared after ${r.startupMs.last} ms, all after ${r.startupMs.all} ms`,
    `  memory: ${r.rssMiB.idle} MiB idle, ${r.rssMiB.underLoad} MiB under load (one BMC: ${r.baselineRssMiB} MiB) → ${r.perBmcMiB} MiB per BMC`,
    `  CPU during the load: bmc-emu ${r.cpu.serve} cores, the ${r.generators} ${r.generator} load generator${
      r.generators === 1 ? "" : "s"
    } ${r.cpu.generators} cores`,
    `  load: ${t.count} requests in ${r.load.seconds} s (${t.perSecond}/s), p50 ${t.p50} p90 ${t.p90} p99 ${t.p99} max ${t.max} ms, ${t.errors} errors, ${t.timeouts} unanswered, ${r.load.failedConnections} failed connections`,
    w === null
      ? "  watchdog: not measured"
      : `  watchdog actions: ${w.seen}/${w.expected} hard resets, late by p50 ${w.lateMs.p50} p90 ${w.lateMs.p90} p99 ${w.lateMs.p99} max ${w.lateMs.max} ms (min ${w.lateMs.min}); at most ${
        Object.entries(w.lateBuckets).map(([ms, n]) => `${ms} ms: ${n}`).join(", ")
      }`,
  ];
}

const USAGE = `Usage: deno run -A tools/bench-scale.ts [options]

  --bmcs N          BMCs in the process (1-10000, default 1000)
  --profile NAME    their profile (default generic)
  --duration D      measured load time (default 20s)
  --rate N          requests per second per BMC, watchdog feeds included (default 1)
  --workers N       serve --workers N (default: serve's default)
  --vm listen|connect  bmc-emu listens on a socket per BMC (default), or dials
                    this tool (100 BMCs per socket; one descriptor per BMC)
  --generator deno|native  the load generator: Deno's async sockets (default),
                    or libc sockets and epoll through FFI, which needs
                    --vm connect and drives 10 000 BMCs from one process
                    with a fraction of a core
  --generators N    load-generator processes (default: one per 1000 BMCs;
                    with --generator native, one)
  --stop-feeding D  stop feeding the watchdogs after D and time their actions (default 10s)
  --json            print JSON
  -h, --help        this help

Each BMC gets its own VM connection (UNIX sockets), a watchdog with a 10 s
timeout and hard-reset action fed every 2 s, and a mix of Get Device ID, Get
Message Flags and Get Watchdog Timer. Each BMC takes two file descriptors in
serve with --vm listen (one with --vm connect) and one in the generators: the
tool checks RLIMIT_NOFILE first; raise it for large runs (prlimit
--nofile=65536, or ulimit -n 65536).`;

if (import.meta.main) {
  const { values } = toolArgs("bench-scale", USAGE, {
    options: {
      bmcs: { type: "string" },
      profile: { type: "string" },
      duration: { type: "string" },
      rate: { type: "string" },
      workers: { type: "string" },
      vm: { type: "string" },
      generator: { type: "string" },
      generators: { type: "string" },
      "stop-feeding": { type: "string" },
      json: { type: "boolean" },
    },
  });
  let options;
  try {
    options = scaleOptions(values);
  } catch (error) {
    quit("bench-scale", `${errorMessage(error)}\n\n${USAGE}`);
  }
  const result = await runScale(options).catch((error) => quit("bench-scale", errorMessage(error)));
  if (values.json) say(JSON.stringify(result, null, 2));
  else for (const line of formatScale(result)) say(line);
}
