/**
 * bench-compare: bmc-emu side by side with OpenIPMI's ipmi_sim, the bare
 * Deno responder (socket load) and QEMU's built-in ipmi-bmc-sim (guest
 * load), in one run, alternating over several rounds, reporting medians with
 * min–max and bmc-emu's ratio to each.
 *
 *   deno run -A tools/bench-compare.ts [--rounds 5] [--duration 5s] [--only socket|guest]
 *
 * @module
 */

import { durationOption, quit, say, toolArgs } from "./_cli.ts";
import { errorMessage } from "../src/util/error_message.ts";
import type { Endpoint } from "../src/transport/endpoint.ts";
import { GUEST_BMCS, type GuestBmc, guestLatency } from "./bench/guest_latency.ts";
import { freePort } from "./free_port.ts";
import { IpmiSim } from "./bench/ipmi_sim.ts";
import { BareResponder } from "./bench/bare_responder.ts";
import { processCpuNs } from "./bench/peer_process.ts";
import { BmcProcess } from "./e2e/bmc_process.ts";
import { e2eRequirements } from "./e2e/requirements.ts";
import { parseMix } from "./load/mix.ts";
import { type LoadResult, runLoad } from "./load/run_load.ts";

/** A figure over the rounds: median, smallest and largest. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Per-connection throughput and latency of one target. */
export interface SocketFigures {
  /** Requests per second over the rounds. */
  readonly perSecond: Spread;
  /** p50, p90, p99 latency over the rounds, ms. */
  readonly p50: Spread;
  readonly p90: Spread;
  readonly p99: Spread;
  /**
   * The peer's CPU time per answered request, µs (all its threads): its own
   * work, which the machine's other load moves far less than throughput.
   * `null` where it cannot be read (not Linux).
   */
  readonly cpuUsPerRequest: Spread | null;
  /** Each round's result. */
  readonly rounds: readonly LoadResult[];
}

/** The socket peers: OpenIPMI's simulator, the bare Deno responder, bmc-emu. */
export const SOCKET_PEERS = ["ipmi_sim", "bare-deno", "bmc-emu"] as const;

/** One of {@link SOCKET_PEERS}. */
export type SocketPeer = typeof SOCKET_PEERS[number];

/** What a comparison produced. */
export interface Comparison {
  /** When and how. */
  readonly date: string;
  readonly host: { readonly cpus: number; readonly loadavg: readonly number[] };
  readonly rounds: number;
  /** Load generator to each peer over loopback TCP. */
  readonly socket: {
    readonly mix: string;
    readonly seconds: number;
    readonly peers: Readonly<Record<SocketPeer, SocketFigures>>;
    /** bmc-emu's median req/s over each peer's. */
    readonly ratio: { readonly vsIpmiSim: number; readonly vsBareDeno: number };
  } | null;
  /** Guest running N Get Device ID through ipmitool exec over KCS. */
  readonly guest: {
    readonly requests: number;
    readonly kernel: string;
    /** Seconds per BMC over the rounds, and every round. */
    readonly seconds: Readonly<Record<GuestBmc, Spread>>;
    readonly rounds: Readonly<Record<GuestBmc, readonly number[]>>;
    readonly ratio: { readonly vsIpmiSim: number; readonly vsIpmiBmcSim: number };
  } | null;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/**
 * Median, min and max of some values.
 *
 * @param values At least one value.
 * @param digits Rounding: 0 for counts, 3 for ms and s.
 * @returns The spread.
 */
export function spread(values: readonly number[], digits = 3): Spread {
  const r = (v: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  return { median: r(median(values)), min: r(Math.min(...values)), max: r(Math.max(...values)) };
}

function figures(rounds: LoadResult[], cpuUs: (number | null)[]): SocketFigures {
  const cpu = cpuUs.filter((v): v is number => v !== null);
  return {
    cpuUsPerRequest: cpu.length === rounds.length && cpu.length > 0 ? spread(cpu, 2) : null,
    perSecond: spread(rounds.map((r) => r.total.perSecond), 0),
    p50: spread(rounds.map((r) => r.total.p50)),
    p90: spread(rounds.map((r) => r.total.p90)),
    p99: spread(rounds.map((r) => r.total.p99)),
    rounds,
  };
}

/**
 * The order of the peers in round `i`: rotated each round, so none is always
 * first (or always right after another), on a machine whose load drifts.
 *
 * @param peers Peers.
 * @param i Round index.
 * @returns The peers in this round's order.
 */
export function roundOrder<T>(peers: readonly T[], i: number): T[] {
  const k = i % peers.length;
  return [...peers.slice(k), ...peers.slice(0, k)];
}

/** Replies that were not clean, summed over the rounds, for the report. */
function unclean(f: SocketFigures): string {
  const sum = (k: "errors" | "malformed" | "timeouts") =>
    f.rounds.reduce((n, r) => n + r.total[k], 0);
  const parts = [
    sum("errors") > 0 ? `cc≠0 ${sum("errors")}` : "",
    sum("malformed") > 0 ? `malformed ${sum("malformed")}` : "",
    sum("timeouts") > 0 ? `unanswered ${sum("timeouts")}` : "",
  ].filter((p) => p !== "");
  return parts.length === 0 ? "" : `  (${parts.join(", ")})`;
}

/**
 * Socket comparison: one connection, one outstanding request, the same mix,
 * against ipmi_sim, the bare Deno responder and bmc-emu.
 *
 * @param rounds Rounds (the peers' order rotates each round).
 * @param durationMs Measured time per round.
 * @param mixText Request mix.
 * @returns Figures and ratios.
 */
export async function compareSocket(
  rounds: number,
  durationMs: number,
  mixText: string,
): Promise<NonNullable<Comparison["socket"]>> {
  const sim = await IpmiSim.start(freePort());
  const bare = await BareResponder.start();
  const stateDir = await Deno.makeTempDir({ prefix: "bmc-emu-bench-state-" });
  const emu = await BmcProcess.start({
    args: ["--log-level", "info", "--api-listen", "off", "--state-dir", stateDir],
  });
  const endpoints: Record<SocketPeer, Endpoint> = {
    "ipmi_sim": sim.endpoint,
    "bare-deno": bare.endpoint,
    "bmc-emu": emu.vmEndpoint(),
  };
  const mix = parseMix(mixText);
  const pids: Record<SocketPeer, number> = {
    "ipmi_sim": sim.pid,
    "bare-deno": bare.pid,
    "bmc-emu": emu.pid,
  };
  const load = (endpoint: Endpoint) =>
    runLoad({
      targets: [endpoint],
      mix,
      durationMs,
      warmupMs: 1000,
      rate: null,
      // Armed (never expiring), so Reset Watchdog Timer succeeds on both BMCs.
      watchdog: { timeoutS: 600, everyS: 600, action: 0, stopFeedingAfterMs: null },
      timeoutMs: 4000,
    });
  const results: Record<SocketPeer, LoadResult[]> = {
    "ipmi_sim": [],
    "bare-deno": [],
    "bmc-emu": [],
  };
  const cpu: Record<SocketPeer, (number | null)[]> = {
    "ipmi_sim": [],
    "bare-deno": [],
    "bmc-emu": [],
  };
  try {
    for (let i = 0; i < rounds; i++) {
      for (const peer of roundOrder(SOCKET_PEERS, i)) {
        const before = processCpuNs(pids[peer]);
        const result = await load(endpoints[peer]);
        const after = processCpuNs(pids[peer]);
        results[peer].push(result);
        // Over the whole round (warm-up included), per request answered in it.
        const answered = result.total.count * (1 + 1000 / durationMs);
        cpu[peer].push(
          before === null || after === null || answered === 0
            ? null
            : (after - before) / 1000 / answered,
        );
      }
    }
  } finally {
    await emu.stop();
    await bare.stop();
    await sim.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
  const peers = {
    "ipmi_sim": figures(results["ipmi_sim"], cpu["ipmi_sim"]),
    "bare-deno": figures(results["bare-deno"], cpu["bare-deno"]),
    "bmc-emu": figures(results["bmc-emu"], cpu["bmc-emu"]),
  };
  const emuRate = peers["bmc-emu"].perSecond.median;
  return {
    mix: mixText,
    seconds: durationMs / 1000,
    peers,
    ratio: {
      vsIpmiSim: round3(emuRate / peers["ipmi_sim"].perSecond.median),
      vsBareDeno: round3(emuRate / peers["bare-deno"].perSecond.median),
    },
  };
}

/**
 * Guest comparison: boots a guest per BMC per round.
 *
 * @param rounds Rounds.
 * @param requests Get Device ID per batch.
 * @returns Median seconds and ratios.
 */
export async function compareGuest(
  rounds: number,
  requests: number,
): Promise<NonNullable<Comparison["guest"]>> {
  const req = await e2eRequirements();
  if (!req.ok) throw new Error(req.reason);
  const all: Record<GuestBmc, number[]> = { "ipmi-bmc-sim": [], "ipmi_sim": [], "bmc-emu": [] };
  for (let i = 0; i < rounds; i++) {
    for (const bmc of roundOrder(GUEST_BMCS, i)) {
      all[bmc].push(round3(await guestLatency(req.setup.kernel, bmc, requests, 1)));
    }
  }
  const seconds = Object.fromEntries(
    GUEST_BMCS.map((b) => [b, spread(all[b])]),
  ) as Record<GuestBmc, Spread>;
  return {
    requests,
    kernel: req.setup.kernel.version,
    seconds,
    rounds: all,
    ratio: {
      vsIpmiSim: round3(seconds["bmc-emu"].median / seconds["ipmi_sim"].median),
      vsIpmiBmcSim: round3(seconds["bmc-emu"].median / seconds["ipmi-bmc-sim"].median),
    },
  };
}

/**
 * The comparison for people.
 *
 * @param c Comparison.
 * @returns Lines.
 */
export function formatComparison(c: Comparison): string[] {
  const lines = [
    `bench-compare ${c.date}, ${c.rounds} rounds, peers rotated each round; median (min–max)`,
    `  host: ${c.host.cpus} CPUs, load average ${c.host.loadavg.join(" ")} at the start`,
  ];
  const mm = (s: Spread, digits: number) =>
    `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  if (c.socket !== null) {
    const s = c.socket;
    lines.push(
      `Load generator, one connection, one outstanding request, mix ${s.mix}, ${s.seconds} s:`,
    );
    for (const peer of SOCKET_PEERS) {
      const f = s.peers[peer];
      lines.push(
        `  ${peer.padEnd(9)} ${mm(f.perSecond, 0).padStart(22)} req/s  p50 ${mm(f.p50, 3)}  p99 ${
          mm(f.p99, 3)
        } ms` + (f.cpuUsPerRequest === null ? "" : `  cpu ${mm(f.cpuUsPerRequest, 1)} µs/req`) +
          unclean(f),
      );
    }
    lines.push(
      `  bmc-emu / ipmi_sim ×${s.ratio.vsIpmiSim}, bmc-emu / bare Deno ×${s.ratio.vsBareDeno} (req/s)`,
    );
  }
  if (c.guest !== null) {
    const g = c.guest;
    lines.push(`Guest (${g.kernel}), ${g.requests} Get Device ID via ipmitool exec over KCS:`);
    for (const b of GUEST_BMCS) {
      lines.push(`  ${b.padEnd(13)} ${mm(g.seconds[b], 3)} s  (rounds: ${g.rounds[b].join(", ")})`);
    }
    lines.push(
      `  bmc-emu / ipmi_sim ×${g.ratio.vsIpmiSim}, bmc-emu / ipmi-bmc-sim ×${g.ratio.vsIpmiBmcSim}`,
    );
  }
  return lines;
}

/** The default socket mix: what a host sends all the time. */
export const COMPARE_MIX = "get-device-id,reset-watchdog,get-watchdog,get-message-flags";

const USAGE = `Usage: deno run -A tools/bench-compare.ts [options]

Runs bmc-emu, OpenIPMI's ipmi_sim (configured here, on loopback) and, for the
socket load, a bare Deno responder (tools/bench/bare_responder.ts: frames
parsed, a fixed reply, nothing else: the floor of Deno's socket path) under
the same load; the order of the peers rotates each round. Prints medians with
min–max and ratios.

  --only socket|guest  run one part (default both)
  --rounds N           rounds (default 5; at least 5 for a record)
  --duration D         measured time per socket round (default 5s)
  --mix LIST           socket request mix (default ${COMPARE_MIX};
                       see tools/vm-load.ts; add-sel fills both SELs within
                       a second, after which both answer "out of space")
  --requests N         Get Device ID per guest batch (default 2000)
  --json               print JSON
  -h, --help           this help

The guest part boots the installed kernel (or BMC_EMU_KERNEL) three times per
round: against QEMU's ipmi-bmc-sim, ipmi_sim and bmc-emu (order rotated),
each after one untimed warm-up batch.`;

if (import.meta.main) {
  const { values } = toolArgs("bench-compare", USAGE, {
    options: {
      only: { type: "string" },
      rounds: { type: "string" },
      duration: { type: "string" },
      mix: { type: "string" },
      requests: { type: "string" },
      json: { type: "boolean" },
    },
  });
  const rounds = Number(values.rounds ?? 5);
  let durationMs = 0;
  try {
    durationMs = durationOption("duration", values.duration ?? "5s");
  } catch (error) {
    quit("bench-compare", errorMessage(error));
  }
  const requests = Number(values.requests ?? 2000);
  if (![rounds, durationMs, requests].every((n) => Number.isFinite(n) && n > 0)) {
    quit("bench-compare", "--rounds, --duration and --requests must be positive");
  }
  const only = values.only;
  if (only !== undefined && only !== "socket" && only !== "guest") {
    quit("bench-compare", "--only must be socket or guest");
  }
  const comparison: Comparison = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    host: {
      cpus: navigator.hardwareConcurrency,
      loadavg: Deno.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    rounds,
    socket: only === "guest"
      ? null
      : await compareSocket(rounds, durationMs, values.mix ?? COMPARE_MIX),
    guest: only === "socket" ? null : await compareGuest(rounds, requests),
  };
  if (values.json) say(JSON.stringify(comparison, null, 2));
  else for (const line of formatComparison(comparison)) say(line);
}
