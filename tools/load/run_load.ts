/**
 * Drive VM-protocol BMCs like a rack of QEMUs: one connection per BMC, one
 * outstanding request per connection, a request mix at a fixed rate or as
 * fast as possible, optionally a watchdog armed and fed on every BMC (and
 * let expire, to time the BMC's action against its deadline).
 *
 * @module
 */

import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import {
  type LoadResult,
  LoadTally,
  type LoadWatchdog,
  RequestCursor,
  requestNamed,
  watchdogActionAt,
} from "./load_tally.ts";
import { type Mix, setWatchdogData } from "./mix.ts";
import { VmClient } from "./vm_client.ts";

export { lateBuckets, type LoadResult } from "./load_tally.ts";

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
  readonly watchdog: LoadWatchdog | null;
  /** Per-request timeout (QEMU's is 4 s). */
  readonly timeoutMs: number;
  /** Called once every BMC has answered its connection's first request. */
  readonly onConnected?: () => void;
  /** Receives every measured latency and watchdog lateness, ms (to merge runs of several processes). */
  readonly raw?: { readonly latencies: number[]; readonly late: number[] };
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
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const end = measureFrom + o.durationMs;
  const tally = new LoadTally({
    mix: o.mix,
    watchdog: o.watchdog,
    measureFrom,
    connections: live.length,
    raw: o.raw,
  });

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
    const cursor = new RequestCursor({
      mix: o.mix,
      watchdog: wd,
      measureFrom,
      index,
      spread,
      now: performance.now(),
    });
    let sent = 0;
    const connStart = performance.now();
    while (!client.closed) {
      const now = performance.now();
      if (now >= end) break;
      const name = cursor.next(now);
      const r = requestNamed(name);
      const sentAt = performance.now();
      tally.record(index, name, sentAt, await client.request(r.netfn, r.cmd, r.data, o.timeoutMs));
      sent++;
      if (o.rate !== null) await sleep(connStart + (sent * 1000) / o.rate - performance.now());
    }
  }));

  if (tally.timesActions) {
    // Until every armed BMC has acted, or 1 s past the last deadline.
    const giveUpAt = tally.giveUpAt();
    while (
      performance.now() < giveUpAt && !tally.allActed(live.map((c) => watchdogActionAt(c.controls)))
    ) {
      await sleep(50);
    }
  }

  const closedEarly = live.filter((c) => c.closed).length;
  const strayFrames = live.reduce((n, c) => n + c.strayFrames, 0);
  await Promise.all(live.map((c) => c.close()));
  return tally.result({
    connections: o.targets.length,
    failedConnections: clients.length - live.length + closedEarly,
    strayFrames,
    durationMs: o.durationMs,
    actions: live.map((c) => watchdogActionAt(c.controls)),
  });
}
