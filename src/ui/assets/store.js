/**
 * What the dashboard knows: every BMC's summary and full state (fetched
 * from the API when an event says it changed), the events of each BMC for
 * the time line, and whether the event stream is up. Views subscribe and
 * re-render on change.
 *
 * @module
 */

import { bmcPath, call } from "./api.js";

/** Events kept per BMC for the time line. */
export const MAX_EVENTS = 5000;

/** Console characters shown (the tail). */
const CONSOLE_CHARS = 8000;

/** Event types that do not change the state a card shows. */
const QUIET = new Set(["sensor.changed", "scenario.step", "guest.report"]);

/**
 * @typedef {{id: number, time: string, bmc: string, type: string, data: any}} BusEvent
 * @typedef {{id: string, summary: any, detail: any, fetchedAt: number, events: BusEvent[],
 *   lastEvent: BusEvent | null, sensors: any[] | null, sel: any | null, faults: any[] | null, console: string}} BmcState
 */

export class Store {
  /** @type {Map<string, BmcState>} */
  bmcs = new Map();
  /** Event stream state: `connecting`, `open` or `down`. */
  stream = "connecting";
  /** Newest event id seen (for `Last-Event-ID`). */
  lastEventId = 0;
  /** @type {Set<() => void>} */
  #listeners = new Set();
  /** @type {Map<string, number>} */
  #pending = new Map();
  /** @type {Map<string, number>} */
  #asked = new Map();
  /** @type {Map<string, number>} */
  #applied = new Map();
  /** @type {string | null} */
  focus = null;

  /** @type {Map<string, import("./traffic.js").Traffic>} */
  #traffic = new Map();

  /**
   * A BMC's IPMI traffic per second (requests, reply latencies), filled while it is in view.
   *
   * @param {string} id BMC id.
   * @returns {import("./traffic.js").Traffic} The traffic.
   */
  traffic(id) {
    let m = this.#traffic.get(id);
    if (m === undefined) {
      m = new Map();
      this.#traffic.set(id, m);
    }
    return m;
  }

  /**
   * Subscribe to changes.
   *
   * @param {() => void} fn Listener.
   * @returns {() => void} Unsubscribe.
   */
  subscribe(fn) {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  changed() {
    for (const fn of this.#listeners) fn();
  }

  /** Load the list of BMCs and each one's state. */
  async load() {
    const r = await call("GET", "/api/v1/bmcs");
    if (!r.ok) return;
    const seen = new Set();
    for (const summary of r.body.bmcs) {
      seen.add(summary.id);
      this.#entry(summary.id).summary = summary;
      await this.refresh(summary.id);
    }
    for (const id of [...this.bmcs.keys()]) if (!seen.has(id)) this.bmcs.delete(id);
    this.changed();
  }

  /**
   * @param {string} id BMC id.
   * @returns {BmcState} Its entry (created empty).
   */
  #entry(id) {
    let e = this.bmcs.get(id);
    if (e === undefined) {
      e = {
        id,
        summary: null,
        detail: null,
        fetchedAt: 0,
        events: [],
        lastEvent: null,
        sensors: null,
        sel: null,
        faults: null,
        console: "",
      };
      this.bmcs.set(id, e);
    }
    return e;
  }

  /**
   * Fetch one BMC's full state (and, for the BMC in view, its sensors, SEL
   * and fault rules).
   *
   * @param {string} id BMC id.
   */
  async refresh(id) {
    const seq = (this.#asked.get(id) ?? 0) + 1;
    this.#asked.set(id, seq);
    const r = await call("GET", bmcPath(id));
    // An older answer arriving after a newer one is dropped.
    if (seq < (this.#applied.get(id) ?? 0)) return;
    this.#applied.set(id, seq);
    if (r.status === 404) {
      this.bmcs.delete(id);
      this.changed();
      return;
    }
    if (!r.ok) return;
    const e = this.#entry(id);
    e.detail = r.body;
    e.fetchedAt = performance.now();
    if (this.focus === id) {
      const [sensors, sel, faults, consoleText] = await Promise.all([
        call("GET", bmcPath(id, "/sensors")),
        call("GET", bmcPath(id, "/sel")),
        call("GET", bmcPath(id, "/faults")),
        call("GET", bmcPath(id, "/console")),
      ]);
      if (consoleText.ok && typeof consoleText.body === "string") {
        e.console = consoleText.body.slice(-CONSOLE_CHARS);
      }
      if (sensors.ok) e.sensors = sensors.body.sensors;
      if (sel.ok) e.sel = sel.body;
      if (faults.ok) e.faults = faults.body.rules;
    }
    this.changed();
  }

  /**
   * Refresh a BMC soon, once for a burst of events.
   *
   * @param {string} id BMC id.
   */
  refreshSoon(id) {
    if (this.#pending.has(id)) return;
    this.#pending.set(
      id,
      setTimeout(() => {
        this.#pending.delete(id);
        this.refresh(id);
      }, 150),
    );
  }

  /**
   * Take one event from the stream.
   *
   * @param {BusEvent} e Event.
   */
  onEvent(e) {
    if (typeof e.id === "number" && e.id > this.lastEventId) this.lastEventId = e.id;
    if (e.type === "bmc.removed") {
      this.bmcs.delete(e.bmc);
      this.changed();
      return;
    }
    if (e.type === "bmc.added") {
      this.load();
      return;
    }
    const entry = this.bmcs.get(e.bmc);
    if (entry === undefined) return;
    if (e.type !== "sensor.changed") {
      entry.events.push(e);
      if (entry.events.length > MAX_EVENTS) {
        entry.events.splice(0, entry.events.length - MAX_EVENTS);
      }
      entry.lastEvent = e;
    }
    if (!QUIET.has(e.type) || (e.type === "sensor.changed" && this.focus === e.bmc)) {
      this.refreshSoon(e.bmc);
    }
    this.changed();
  }
}

/**
 * The watchdog's countdown now, from the state fetched at `fetchedAt`.
 *
 * @param {BmcState} bmc The BMC.
 * @param {number} now `performance.now()`.
 * @returns {number | null} Milliseconds left, or `null` when it is not running.
 */
export function countdownMs(bmc, now) {
  const w = bmc.detail?.watchdog;
  if (!w?.running || typeof w.remainingMs !== "number") return null;
  return Math.max(0, w.remainingMs - (now - bmc.fetchedAt));
}
