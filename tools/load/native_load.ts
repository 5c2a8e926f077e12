/**
 * The load of `run_load.ts` on libc sockets, in one thread that blocks in
 * `epoll_wait` until a socket is readable or the next timer is due: accept
 * the connections BMCs in `--vm connect` mode make on UNIX sockets, greet
 * each like QEMU and check it answers Get Device ID, arm its watchdog, then
 * send the mix at `rate` per connection (spread over the period, one request
 * outstanding), feed the watchdog and stop feeding to time the actions. It
 * counts with the same {@link LoadTally} and {@link RequestCursor}, so the
 * figures mean what `runLoad()`'s do, without Deno's per-socket promises
 * (which at 10 000 connections cost most of a core and dominate the latency).
 *
 * @module
 */

import { AppCmd, NetFn } from "../../src/codec/constants.ts";
import { acceptConnection, closeFd, Epoll, listenUnix } from "./libc_sockets.ts";
import {
  type LoadResult,
  LoadTally,
  type LoadWatchdog,
  RequestCursor,
  requestNamed,
  watchdogActionAt,
} from "./load_tally.ts";
import { type Mix, MIX_REQUESTS, setWatchdogData } from "./mix.ts";
import { NativeConnection } from "./native_connection.ts";
import { TimerHeap } from "./timer_heap.ts";
import { QEMU_REQUEST_TIMEOUT_MS } from "./vm_client.ts";
import type { Answer } from "./vm_reply_reader.ts";

/** What to run. */
export interface NativeLoadOptions {
  /** Sockets to listen on, and how many BMCs dial each. */
  readonly accept: readonly { readonly path: string; readonly bmcs: number }[];
  readonly mix: Mix;
  /** Measured time, ms. */
  readonly durationMs: number;
  /** Unmeasured time first, ms. */
  readonly warmupMs: number;
  /** Requests per second per connection. */
  readonly rate: number;
  readonly watchdog: LoadWatchdog | null;
  /** Per-request timeout, ms. */
  readonly timeoutMs: number;
  /** How long to wait for the BMCs to connect, ms. */
  readonly acceptTimeoutMs: number;
  /** Called once every BMC has answered its connection's first request (or failed to). */
  readonly onConnected?: () => void;
  /** Receives every measured latency and watchdog lateness, ms. */
  readonly raw?: { readonly latencies: number[]; readonly late: number[] };
}

/** Where a connection is in the run. */
type Phase =
  /** Its Get Device ID is outstanding. */
  | "greeting"
  /** It answered; the load has not started. */
  | "ready"
  /** It did not answer or closed before the load. */
  | "failed"
  /** Its Set Watchdog Timer is outstanding. */
  | "arming"
  /** Waiting for its place in the period. */
  | "spreading"
  /** Sending the mix. */
  | "sending"
  /** Past the end, or closed. */
  | "done";

/** One connection and its schedule. */
interface Slot {
  /** Its place in the run's slots (the timers' id). */
  readonly id: number;
  readonly conn: NativeConnection;
  phase: Phase;
  /** Index among the connections that answered (the load's). */
  index: number;
  /** When its timer is due (`Infinity`: none). */
  dueAt: number;
  /** The outstanding request's name and send time. */
  name: string;
  sentAt: number;
  cursor: RequestCursor | null;
  connStart: number;
  sent: number;
}

/** One native load run. */
export class NativeLoad {
  readonly #o: NativeLoadOptions;
  readonly #epoll = new Epoll();
  readonly #listeners: number[] = [];
  readonly #slots: Slot[] = [];
  readonly #byFd = new Map<number, number>();
  readonly #timers = new TimerHeap();
  readonly #buf = new Uint8Array(65536);
  #live: Slot[] = [];
  #tally: LoadTally | null = null;
  #measureFrom = 0;
  #end = 0;
  #closed = false;
  #greeting = 0;
  #running = 0;
  #toAct = 0;
  /** Wall-clock time (ms) of the first accepted connection. */
  firstAcceptedAt: number | null = null;

  /**
   * Listen on the sockets (the BMCs may dial from now on).
   *
   * @param o What to run.
   */
  constructor(o: NativeLoadOptions) {
    this.#o = o;
    for (const { path } of o.accept) {
      const fd = listenUnix(path);
      this.#listeners.push(fd);
      this.#epoll.add(fd);
    }
  }

  /**
   * Run the load to the end, then close every socket.
   *
   * @returns Throughput, latency by request type and the watchdog actions.
   */
  run(): LoadResult {
    try {
      return this.#run();
    } finally {
      this.close();
    }
  }

  #run(): LoadResult {
    const expected = this.#o.accept.reduce((n, a) => n + a.bmcs, 0);
    const acceptUntil = performance.now() + this.#o.acceptTimeoutMs;
    this.#loop(
      (now) => this.#greeting === 0 && (this.#slots.length >= expected || now >= acceptUntil),
      acceptUntil,
    );
    for (const fd of this.#listeners) this.#epoll.remove(fd);
    this.#o.onConnected?.();
    this.#live = this.#slots.filter((s) => s.phase === "ready");
    const start = performance.now();
    const measureFrom = start + this.#o.warmupMs;
    this.#measureFrom = measureFrom;
    this.#end = measureFrom + this.#o.durationMs;
    const tally = new LoadTally({ ...this.#o, measureFrom, connections: this.#live.length });
    this.#tally = tally;
    this.#live.forEach((s, index) => this.#begin(s, index, start));
    this.#loop(() => this.#running === 0, Infinity);
    if (tally.timesActions) {
      const giveUpAt = tally.giveUpAt();
      this.#toAct = this.#live.filter((s) =>
        tally.deadlines[s.index] !== null && watchdogActionAt(s.conn.replies.controls) === undefined
      ).length;
      this.#loop((now) =>
        this.#toAct === 0 || now >= giveUpAt, giveUpAt);
    }
    return tally.result({
      connections: expected,
      failedConnections: expected - this.#live.length +
        this.#live.filter((s) => s.conn.closed).length,
      strayFrames: this.#live.reduce((n, s) => n + s.conn.replies.strayFrames, 0),
      durationMs: this.#o.durationMs,
      actions: this.#live.map((s) => watchdogActionAt(s.conn.replies.controls)),
    });
  }

  /** Wait for sockets and timers until `done`; `wakeAt` bounds each wait. */
  #loop(done: (now: number) => boolean, wakeAt: number): void {
    for (let now = performance.now(); !done(now); now = performance.now()) {
      const ready = this.#epoll.wait(Math.min(this.#timers.nextAt, wakeAt) - now);
      for (let i = 0; i < ready; i++) this.#readable(this.#epoll.ready(i));
      this.#fireTimers();
    }
  }

  #readable(fd: number): void {
    const slotNo = this.#byFd.get(fd);
    if (slotNo === undefined) {
      // A listener, or a connection closed earlier in this batch of events.
      if (this.#listeners.includes(fd)) this.#accept(fd);
      return;
    }
    const slot = this.#slots[slotNo]!;
    const now = performance.now();
    const acted = watchdogActionAt(slot.conn.replies.controls) !== undefined;
    const waiting = slot.conn.waiting;
    const outcome = slot.conn.read(this.#buf, now);
    if (outcome === "closed") {
      this.#byFd.delete(fd);
      if (waiting) this.#settled(slot, null, now);
      else if (slot.phase === "spreading" || slot.phase === "sending") this.#finish(slot);
    } else if (outcome !== null) this.#settled(slot, outcome, now);
    if (this.#toAct > 0 && !acted && slot.index >= 0) this.#countAction(slot);
  }

  /** While the actions are awaited: one fewer to wait for when this armed BMC just acted. */
  #countAction(slot: Slot): void {
    if (
      watchdogActionAt(slot.conn.replies.controls) !== undefined &&
      this.#tally!.deadlines[slot.index] !== null
    ) {
      this.#toAct--;
    }
  }

  #accept(listener: number): void {
    for (let fd = acceptConnection(listener); fd !== null; fd = acceptConnection(listener)) {
      this.firstAcceptedAt ??= Date.now();
      const conn = new NativeConnection(fd);
      const slot: Slot = {
        id: this.#slots.length,
        conn,
        phase: "greeting",
        index: -1,
        dueAt: Infinity,
        name: "",
        sentAt: 0,
        cursor: null,
        connStart: 0,
        sent: 0,
      };
      this.#slots.push(slot);
      this.#greeting++;
      const now = performance.now();
      if (!conn.send(MIX_REQUESTS["get-device-id"]!, now)) {
        this.#settled(slot, null, now);
        continue;
      }
      this.#byFd.set(fd, slot.id);
      this.#epoll.add(fd);
      this.#schedule(slot, now + this.#o.timeoutMs);
    }
  }

  #schedule(slot: Slot, at: number): void {
    slot.dueAt = at;
    this.#timers.push(at, slot.id);
  }

  #fireTimers(): void {
    const now = performance.now();
    for (let id = this.#timers.popDue(now); id !== null; id = this.#timers.popDue(now)) {
      const slot = this.#slots[id]!;
      if (slot.dueAt > now) continue; // Rescheduled or cancelled since.
      slot.dueAt = Infinity;
      if (slot.conn.waiting) {
        slot.conn.abandon();
        this.#settled(slot, null, now);
      } else if (slot.phase === "spreading") {
        this.#startSending(slot, now);
      } else if (slot.phase === "sending") {
        this.#sendNext(slot, now);
      }
    }
  }

  /** The outstanding request of `slot` was answered, or not (`null`: timed out, or closed). */
  #settled(slot: Slot, a: Answer | null, now: number): void {
    slot.dueAt = Infinity;
    switch (slot.phase) {
      case "greeting":
        this.#greeting--;
        slot.phase = a === null ? "failed" : "ready";
        if (a === null) {
          this.#byFd.delete(slot.conn.fd);
          slot.conn.close();
        }
        return;
      case "arming":
        return this.#spread(slot, now);
      case "sending":
        this.#tally!.record(slot.index, slot.name, slot.sentAt, a);
        slot.sent++;
        if (slot.conn.closed) return this.#finish(slot);
        return this.#schedule(
          slot,
          Math.max(now, slot.connStart + (slot.sent * 1000) / this.#o.rate),
        );
    }
  }

  #begin(slot: Slot, index: number, now: number): void {
    slot.index = index;
    this.#running++;
    const wd = this.#o.watchdog;
    if (wd === null) return this.#spread(slot, now);
    slot.phase = "arming";
    const arm = { netfn: NetFn.App, cmd: AppCmd.SetWatchdogTimer };
    if (!slot.conn.send({ ...arm, data: setWatchdogData(wd.timeoutS, wd.action) }, now)) {
      return this.#spread(slot, now);
    }
    this.#schedule(slot, now + QEMU_REQUEST_TIMEOUT_MS);
  }

  /** Wait for the connection's place in one period, as independent VMs are spread. */
  #spread(slot: Slot, now: number): void {
    if (slot.conn.closed) return this.#finish(slot);
    slot.phase = "spreading";
    this.#schedule(slot, now + (slot.index / this.#live.length) * (1000 / this.#o.rate));
  }

  #startSending(slot: Slot, now: number): void {
    slot.phase = "sending";
    slot.connStart = now;
    slot.cursor = new RequestCursor({
      ...this.#o,
      measureFrom: this.#measureFrom,
      index: slot.index,
      spread: slot.index / this.#live.length,
      now,
    });
    this.#sendNext(slot, now);
  }

  #sendNext(slot: Slot, now: number): void {
    if (slot.conn.closed || now >= this.#end) return this.#finish(slot);
    slot.name = slot.cursor!.next(now);
    slot.sentAt = now;
    if (!slot.conn.send(requestNamed(slot.name), now)) return this.#settled(slot, null, now);
    this.#schedule(slot, now + this.#o.timeoutMs);
  }

  #finish(slot: Slot): void {
    if (slot.phase === "done") return;
    slot.phase = "done";
    slot.dueAt = Infinity;
    this.#running--;
  }

  /** Close every connection and listening socket, and remove the socket files. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#slots) s.conn.close();
    for (const fd of this.#listeners) closeFd(fd);
    this.#listeners.length = 0;
    for (const { path } of this.#o.accept) {
      try {
        Deno.removeSync(path);
      } catch {
        // Not there.
      }
    }
    this.#epoll.close();
  }
}
