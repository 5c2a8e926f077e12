/**
 * Drive VM-protocol BMCs like a rack of QEMUs: one connection per BMC, one
 * outstanding request per connection, a request mix at a fixed rate or as
 * fast as possible, optionally a watchdog armed and fed on every BMC (and
 * let expire, to time the BMC's action against its deadline).
 *
 * @module
 */

import { AppCmd, NetFn, VmCmd } from "../../src/codec/constants.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import { type Mix, MIX_REQUESTS, setWatchdogData, wellFormed } from "./mix.ts";
import { LatencyStats, type LatencySummary, percentile } from "./stats.ts";
import { VmClient } from "./vm_client.ts";

/** A BMC to drive: its endpoint to dial, or the next connection it makes (`--vm-connect`). */
export type LoadTarget = Endpoint | { readonly accept: () => Promise<VmClient | null> };

/** What to run. */
export interface LoadOptions {
  /** One per BMC. */
  readonly targets: readonly LoadTarget[];
  /** Request mix. */
  readonly mix: Mix;
  /** Measured time, ms. */
  readonly durationMs: number;
  /** Unmeasured time first, ms. */
  readonly warmupMs: number;
  /** Requests per second per connection, or `null`: as fast as possible. */
  readonly rate: number | null;
  /** Arm the watchdog on every BMC and feed it. */
  readonly watchdog: {
    /** Timeout, s. */
    readonly timeoutS: number;
    /** Feed period, s. */
    readonly everyS: number;
    /** 0 none … 1 hard reset. */
    readonly action: number;
    /** Stop feeding after this long (ms from the start of measurement) to time the actions. */
    readonly stopFeedingAfterMs: number | null;
  } | null;
  /** Per-request timeout (QEMU's is 4 s). */
  readonly timeoutMs: number;
  /** Called once every BMC has answered its connection's first request. */
  readonly onConnected?: () => void;
  /** Receives every measured latency and watchdog lateness, ms (to merge runs of several processes). */
  readonly raw?: { readonly latencies: number[]; readonly late: number[] };
}

/** What came out. */
export interface LoadResult {
  /** BMCs driven. */
  readonly connections: number;
  /** Connections that failed or closed. */
  readonly failedConnections: number;
  /** Frames that answered nothing outstanding or failed to decode (0 from a correct BMC). */
  readonly strayFrames: number;
  /** Measured seconds. */
  readonly seconds: number;
  /** All requests. */
  readonly total: LatencySummary;
  /** By request name. */
  readonly byType: Readonly<Record<string, LatencySummary>>;
  /** Watchdog actions against their deadlines, when the feeding was stopped. */
  readonly watchdogActions: {
    readonly expected: number;
    readonly seen: number;
    /** Action time minus deadline, ms (negative: early). */
    readonly lateMs: {
      readonly p50: number;
      readonly p90: number;
      readonly p99: number;
      readonly max: number;
      readonly min: number;
    };
    /** How many acted at most this late (ms, the bucket's upper bound), e.g. `{"1": 950, …}`. */
    readonly lateBuckets: Readonly<Record<string, number>>;
  } | null;
}

/** Upper bounds of the watchdog lateness buckets, ms. */
const LATE_BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 1000];

/**
 * How many of `late` are at most each bucket's bound.
 *
 * @param late Lateness, ms.
 * @returns Count by bound (ms, as text).
 */
export function lateBuckets(late: readonly number[]): Record<string, number> {
  return Object.fromEntries(
    LATE_BUCKETS_MS.map((b) => [String(b), late.filter((ms) => ms <= b).length]),
  );
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Connect and check the BMC answers (a BMC refuses a second VM connection
 * by closing it, so a probe that just left may still hold the slot: retry).
 */
async function connectReady(target: Endpoint): Promise<VmClient | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const client = await VmClient.connect(target).catch(() => null);
    if (client !== null) {
      const hello = await client.request(NetFn.App, AppCmd.GetDeviceId, new Uint8Array(), 2000);
      if (hello !== null) return client;
      await client.close();
    }
    await sleep(100 * (attempt + 1));
  }
  return null;
}

/** Take a connection a BMC made and check it answers. */
async function acceptReady(
  accept: () => Promise<VmClient | null>,
  timeoutMs: number,
): Promise<VmClient | null> {
  const client = await accept();
  if (client === null) return null;
  if (await client.request(NetFn.App, AppCmd.GetDeviceId, new Uint8Array(), timeoutMs) !== null) {
    return client;
  }
  await client.close();
  return null;
}

/**
 * Run the load.
 *
 * @param o Options.
 * @returns Throughput and latency by request type.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const clients = await Promise.all(
    o.targets.map((t) => "accept" in t ? acceptReady(t.accept, o.timeoutMs) : connectReady(t)),
  );
  const live = clients.filter((c): c is VmClient => c !== null);
  o.onConnected?.();
  const byType = new Map<string, LatencyStats>();
  for (const name of new Set(o.mix.sequence)) byType.set(name, new LatencyStats());
  const feeds = new LatencyStats();
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = measureFrom + o.durationMs;
  const deadlines: (number | null)[] = live.map(() => null);

  await Promise.all(live.map(async (client, index) => {
    const wd = o.watchdog;
    if (wd !== null) {
      await client.request(
        NetFn.App,
        AppCmd.SetWatchdogTimer,
        setWatchdogData(wd.timeoutS, wd.action),
      );
    }
    // Spread the connections over one period, as independent VMs are.
    const spread = index / live.length;
    if (o.rate !== null) await sleep(spread * (1000 / o.rate));
    let nextFeed = performance.now() + (wd === null ? 0 : spread * wd.everyS * 1000);
    let k = index % o.mix.sequence.length;
    let sent = 0;
    const connStart = performance.now();
    while (!client.closed) {
      const now = performance.now();
      if (now >= end) break;
      const feeding = wd !== null &&
        (wd.stopFeedingAfterMs === null || now < measureFrom + wd.stopFeedingAfterMs);
      let name: string;
      if (feeding && now >= nextFeed) {
        name = "feed";
        nextFeed = now + wd!.everyS * 1000;
      } else {
        name = o.mix.sequence[k]!;
        k = (k + 1) % o.mix.sequence.length;
      }
      const r = name === "feed" ? MIX_REQUESTS["reset-watchdog"]! : MIX_REQUESTS[name]!;
      const sentAt = performance.now();
      const answer = await client.request(r.netfn, r.cmd, r.data, o.timeoutMs);
      const stats = name === "feed" ? feeds : byType.get(name)!;
      if (sentAt >= measureFrom) {
        if (answer === null) stats.timeouts++;
        else {
          stats.add(answer.ms, answer.cc);
          o.raw?.latencies.push(answer.ms);
          if (!wellFormed(r, answer)) stats.malformed++;
        }
      }
      if (
        answer !== null && answer.cc === 0 && (name === "feed" || name === "reset-watchdog") &&
        wd !== null
      ) {
        deadlines[index] = sentAt + answer.ms / 2 + wd.timeoutS * 1000;
      }
      sent++;
      if (o.rate !== null) await sleep(connStart + (sent * 1000) / o.rate - performance.now());
    }
  }));

  let watchdogActions: LoadResult["watchdogActions"] = null;
  if (o.watchdog !== null && o.watchdog.stopFeedingAfterMs !== null && o.watchdog.action !== 0) {
    const actionOf = (c: VmClient) =>
      c.controls.find((x) => x.op === VmCmd.Reset || x.op === VmCmd.PowerOff);
    // Until every armed BMC has acted, or 1 s past the last deadline.
    const giveUpAt = Math.max(...deadlines.map((d) => d ?? 0)) + 1000;
    while (
      performance.now() < giveUpAt &&
      live.some((c, i) => deadlines[i] !== null && actionOf(c) === undefined)
    ) {
      await sleep(50);
    }
    const late: number[] = [];
    live.forEach((c, i) => {
      const d = deadlines[i];
      const action = actionOf(c);
      if (d !== null && d !== undefined && action !== undefined) late.push(action.at - d);
    });
    late.sort((a, b) => a - b);
    o.raw?.late.push(...late);
    const at = (q: number) => Math.round(percentile(late, q) * 10) / 10;
    watchdogActions = {
      expected: deadlines.filter((d) => d !== null).length,
      seen: late.length,
      lateMs: {
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: at(1),
        min: at(0),
      },
      lateBuckets: lateBuckets(late),
    };
  }

  const closedEarly = live.filter((c) => c.closed).length;
  const strayFrames = live.reduce((n, c) => n + c.strayFrames, 0);
  await Promise.all(live.map((c) => c.close()));
  const seconds = o.durationMs / 1000;
  const total = new LatencyStats();
  const types: Record<string, LatencySummary> = {};
  for (const [name, s] of byType) {
    types[name] = s.summary(seconds);
    total.merge(s);
  }
  if (o.watchdog !== null) {
    types["reset-watchdog (feed)"] = feeds.summary(seconds);
    total.merge(feeds);
  }
  return {
    connections: o.targets.length,
    failedConnections: clients.length - live.length + closedEarly,
    strayFrames,
    seconds,
    total: total.summary(seconds),
    byType: types,
    watchdogActions,
  };
}
