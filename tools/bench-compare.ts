/**
 * bench-compare: bmc-emu side by side with OpenIPMI's ipmi_sim (and QEMU's
 * built-in ipmi-bmc-sim where a guest is involved), in one run, alternating
 * over several rounds, reporting medians and the ratio per metric.
 *
 *   deno run -A tools/bench-compare.ts [--rounds 3] [--duration 5s] [--only socket|guest]
 *
 * @module
 */

import { durationOption, quit, say, toolArgs } from "./_cli.ts";
import { errorMessage } from "../src/util/error_message.ts";
import type { Endpoint } from "../src/transport/endpoint.ts";
import { GUEST_BMCS, type GuestBmc, guestLatency } from "./bench/guest_latency.ts";
import { freePort } from "./free_port.ts";
import { IpmiSim } from "./bench/ipmi_sim.ts";
import { BmcProcess } from "./e2e/bmc_process.ts";
import { e2eRequirements } from "./e2e/requirements.ts";
import { parseMix } from "./load/mix.ts";
import { type LoadResult, runLoad } from "./load/run_load.ts";

/** Per-connection throughput and latency of one target. */
export interface SocketFigures {
  /** Median requests per second over the rounds. */
  readonly perSecond: number;
  /** Median p50, p90, p99 latency, ms. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Each round's result. */
  readonly rounds: readonly LoadResult[];
}

/** What a comparison produced. */
export interface Comparison {
  /** When and how. */
  readonly date: string;
  readonly rounds: number;
  /** Load generator to each BMC over loopback TCP. */
  readonly socket: {
    readonly mix: string;
    readonly seconds: number;
    readonly ipmiSim: SocketFigures;
    readonly bmcEmu: SocketFigures;
    /** bmc-emu / ipmi_sim per metric (throughput: higher is better; latency: lower). */
    readonly ratio: { readonly perSecond: number; readonly p50: number; readonly p99: number };
  } | null;
  /** Guest running N Get Device ID through ipmitool exec over KCS. */
  readonly guest: {
    readonly requests: number;
    readonly kernel: string;
    /** Median seconds per BMC, and every round. */
    readonly seconds: Readonly<Record<GuestBmc, number>>;
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

function figures(rounds: LoadResult[]): SocketFigures {
  return {
    perSecond: Math.round(median(rounds.map((r) => r.total.perSecond))),
    p50: round3(median(rounds.map((r) => r.total.p50))),
    p90: round3(median(rounds.map((r) => r.total.p90))),
    p99: round3(median(rounds.map((r) => r.total.p99))),
    rounds,
  };
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
 * Socket comparison: one connection, one outstanding request, the same mix.
 *
 * @param rounds Rounds (alternating ipmi_sim, bmc-emu).
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
  const stateDir = await Deno.makeTempDir({ prefix: "bmc-emu-bench-state-" });
  const emu = await BmcProcess.start({
    args: ["--log-level", "info", "--api-listen", "off", "--state-dir", stateDir],
  });
  const mix = parseMix(mixText);
  const load = (endpoint: Endpoint) =>
    runLoad({
      targets: [endpoint],
      mix,
      durationMs,
      warmupMs: 1000,
      rate: null,
      // Armed (never expiring), so Reset Watchdog Timer succeeds on both.
      watchdog: { timeoutS: 600, everyS: 600, action: 0, stopFeedingAfterMs: null },
      timeoutMs: 4000,
    });
  const simRounds: LoadResult[] = [];
  const emuRounds: LoadResult[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      simRounds.push(await load(sim.endpoint));
      emuRounds.push(await load(emu.vmEndpoint()));
    }
  } finally {
    await emu.stop();
    await sim.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
  const ipmiSim = figures(simRounds);
  const bmcEmu = figures(emuRounds);
  return {
    mix: mixText,
    seconds: durationMs / 1000,
    ipmiSim,
    bmcEmu,
    ratio: {
      perSecond: round3(bmcEmu.perSecond / ipmiSim.perSecond),
      p50: round3(bmcEmu.p50 / ipmiSim.p50),
      p99: round3(bmcEmu.p99 / ipmiSim.p99),
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
    for (const bmc of GUEST_BMCS) {
      all[bmc].push(round3(await guestLatency(req.setup.kernel, bmc, requests, 1)));
    }
  }
  const seconds = Object.fromEntries(
    GUEST_BMCS.map((b) => [b, round3(median(all[b]))]),
  ) as Record<GuestBmc, number>;
  return {
    requests,
    kernel: req.setup.kernel.version,
    seconds,
    rounds: all,
    ratio: {
      vsIpmiSim: round3(seconds["bmc-emu"] / seconds["ipmi_sim"]),
      vsIpmiBmcSim: round3(seconds["bmc-emu"] / seconds["ipmi-bmc-sim"]),
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
  const lines = [`bench-compare ${c.date}, ${c.rounds} rounds (medians)`];
  if (c.socket !== null) {
    const s = c.socket;
    const row = (name: string, f: SocketFigures) =>
      `  ${name.padEnd(9)} ${String(f.perSecond).padStart(7)} req/s  p50 ${f.p50.toFixed(3)}  p90 ${
        f.p90.toFixed(3)
      }  p99 ${f.p99.toFixed(3)} ms` + unclean(f);
    lines.push(
      `Load generator, one connection, one outstanding request, mix ${s.mix}, ${s.seconds} s:`,
      row("ipmi_sim", s.ipmiSim),
      row("bmc-emu", s.bmcEmu),
      `  bmc-emu / ipmi_sim: throughput ×${s.ratio.perSecond}, p50 ×${s.ratio.p50}, p99 ×${s.ratio.p99}`,
    );
  }
  if (c.guest !== null) {
    const g = c.guest;
    lines.push(`Guest (${g.kernel}), ${g.requests} Get Device ID via ipmitool exec over KCS:`);
    for (const b of GUEST_BMCS) {
      lines.push(
        `  ${b.padEnd(13)} ${g.seconds[b].toFixed(3)} s  (rounds: ${g.rounds[b].join(", ")})`,
      );
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

Runs bmc-emu and OpenIPMI's ipmi_sim (configured here, on loopback) under the
same load, alternating over several rounds, and prints medians and ratios.

  --only socket|guest  run one part (default both)
  --rounds N           rounds (default 3)
  --duration D         measured time per socket round (default 5s)
  --mix LIST           socket request mix (default ${COMPARE_MIX};
                       see tools/vm-load.ts; add-sel fills both SELs within
                       a second, after which both answer "out of space")
  --requests N         Get Device ID per guest batch (default 2000)
  --json               print JSON
  -h, --help           this help

The guest part boots the installed kernel (or BMC_EMU_KERNEL) three times per
round: against QEMU's ipmi-bmc-sim, ipmi_sim and bmc-emu, each after one
untimed warm-up batch.`;

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
  const rounds = Number(values.rounds ?? 3);
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
    date: new Date().toISOString().slice(0, 10),
    rounds,
    socket: only === "guest"
      ? null
      : await compareSocket(rounds, durationMs, values.mix ?? COMPARE_MIX),
    guest: only === "socket" ? null : await compareGuest(rounds, requests),
  };
  if (values.json) say(JSON.stringify(comparison, null, 2));
  else for (const line of formatComparison(comparison)) say(line);
}
