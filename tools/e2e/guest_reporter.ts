/**
 * Streams what the guest kernel does to bmc-emu as `guest.report` events,
 * so scenario assertions can wait on guest-side facts: new dmesg lines,
 * each watchdog write (errno and how long it blocked), each ordinary request
 * timed by `mcprobe`, processes entering D state, and changed interface
 * counters.
 *
 * @module
 */

import type { ApiClient } from "../../src/cli/api_client.ts";
import { type GuestEvidence, parseEvidence } from "./guest_evidence.ts";
import type { QemuGuest } from "../../src/guest/qemu_guest.ts";

/** Options for {@link GuestReporter}. */
export interface GuestReporterOptions {
  /** The guest. */
  readonly guest: QemuGuest;
  /** bmc-emu's API. */
  readonly api: ApiClient;
  /** BMC id the reports are filed under. */
  readonly bmc: string;
  /** Poll interval. @default 1000 */
  readonly intervalMs?: number;
  /** The watchdog daemon's log in the guest. @default "/tmp/wdfeed.log" */
  readonly wdfeedLog?: string;
}

/** Polls guest evidence and files what is new. */
export class GuestReporter {
  readonly #o: GuestReporterOptions;
  readonly #seenDmesg = new Set<string>();
  readonly #seenDState = new Set<string>();
  #writes = 0;
  #probes = 0;
  #counters: Record<string, number> = {};
  #last: GuestEvidence | null = null;
  #stopped = false;
  #loop: Promise<void> | null = null;

  /**
   * Create a reporter.
   *
   * @param options Guest, API, BMC.
   */
  constructor(options: GuestReporterOptions) {
    this.#o = options;
  }

  /** The latest evidence snapshot. */
  get last(): GuestEvidence | null {
    return this.#last;
  }

  /** Start polling. */
  start(): void {
    this.#loop ??= this.#run();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.poll();
      } catch {
        // The guest may be rebooting or paused; try again.
      }
      await new Promise((r) => setTimeout(r, this.#o.intervalMs ?? 1000));
    }
  }

  /**
   * Take one snapshot and file what is new.
   *
   * @returns The snapshot.
   */
  async poll(): Promise<GuestEvidence> {
    const r = await this.#o.guest.run(
      `e2e-evidence ${this.#o.wdfeedLog ?? "/tmp/wdfeed.log"}`,
      20_000,
    );
    const e = parseEvidence(r.output);
    this.#last = e;
    const reports: Record<string, unknown>[] = [];
    for (const line of e.dmesg) {
      if (this.#seenDmesg.has(line)) continue;
      this.#seenDmesg.add(line);
      reports.push({ kind: "dmesg", line });
    }
    for (const w of e.writes.slice(this.#writes)) {
      reports.push({
        kind: "watchdog-write",
        ok: w.ok,
        errno: w.errno,
        seconds: Number(w.seconds.toFixed(2)),
        start: w.start,
      });
    }
    this.#writes = Math.max(this.#writes, e.writes.length);
    for (const p of e.probes.slice(this.#probes)) {
      reports.push({
        kind: "ipmi-probe",
        ok: p.ok,
        exit: p.exit,
        ...(p.error === undefined ? {} : { error: p.error }),
        seconds: p.seconds,
        start: p.start,
      });
    }
    this.#probes = Math.max(this.#probes, e.probes.length);
    for (const p of e.dState) {
      const key = `${p.pid}/${p.comm}`;
      if (this.#seenDState.has(key)) continue;
      this.#seenDState.add(key);
      reports.push({ kind: "d-state", pid: p.pid, comm: p.comm, wchan: p.wchan, uptime: e.uptime });
    }
    const changed = Object.entries(e.counters).filter(([k, v]) => this.#counters[k] !== v);
    if (changed.length > 0) {
      this.#counters = { ...e.counters };
      reports.push({ kind: "counters", uptime: e.uptime, ...Object.fromEntries(changed) });
    }
    for (const report of reports) {
      await this.#o.api.json("POST", `/api/v1/bmcs/${this.#o.bmc}/guest-reports`, report);
    }
    return e;
  }

  /** Stop polling (after the current poll). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}
