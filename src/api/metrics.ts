/**
 * Prometheus metrics: counters fed by the event bus (rare events only), the
 * BMCs' own request counters, LAN drop counters and gauges, read from the
 * registry at scrape time. Nothing here runs per IPMI request.
 *
 * @module
 */

import { commandName, completionCodeName } from "../codec/names.ts";
import type { BusEvent, EventBus } from "../events/event_bus.ts";
import type { Registry } from "../runtime/registry.ts";

type Labels = Readonly<Record<string, string>>;

/** The events counted (besides `host.*`). */
const COUNTED_TYPES: ReadonlySet<string> = new Set([
  "watchdog.expired",
  "vm.connected",
  "fault.fired",
]);

class Counter {
  readonly values = new Map<string, { labels: Labels; value: number }>();
  inc(labels: Labels, by = 1): void {
    const key = JSON.stringify(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }
}

function escape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function series(name: string, labels: Labels, value: number): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return `${name}${parts.length ? `{${parts.join(",")}}` : ""} ${value}`;
}

/** Counts what the bus reports and renders the exposition format. */
export class Metrics {
  readonly #expiries = new Counter();
  readonly #hostActions = new Counter();
  readonly #connections = new Counter();
  readonly #faults = new Counter();
  readonly #unsubscribe: () => void;
  readonly #bus: EventBus;

  /**
   * Start counting.
   *
   * @param bus Event bus.
   */
  constructor(bus: EventBus) {
    this.#bus = bus;
    this.#unsubscribe = bus.subscribe(
      { types: COUNTED_TYPES, prefixes: ["host."] },
      (e) => this.#count(e),
    );
  }

  #count(e: BusEvent): void {
    switch (e.type) {
      case "watchdog.expired":
        this.#expiries.inc({ bmc: e.bmc, action: String(e.data.action ?? "") });
        return;
      case "vm.connected":
        this.#connections.inc({ bmc: e.bmc });
        return;
      case "fault.fired":
        this.#faults.inc({ bmc: e.bmc, action: String(e.data.action ?? "") });
        return;
    }
    if (e.type.startsWith("host.") && e.type !== "host.attention" && e.type !== "host.irq") {
      this.#hostActions.inc({ bmc: e.bmc, action: e.type.slice(5) });
    }
  }

  /**
   * Render the Prometheus text exposition format.
   *
   * @param registry BMCs for gauges.
   * @returns Metrics text.
   */
  render(registry: Registry): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, c: Counter): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const { labels, value } of c.values.values()) lines.push(series(name, labels, value));
    };
    const gauge = (name: string, help: string, rows: [Labels, number][]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const [labels, value] of rows) lines.push(series(name, labels, value));
    };
    const bmcs = registry.list();
    lines.push(
      "# HELP bmc_emu_ipmi_requests_total IPMI requests answered, by netfn, command and completion code",
      "# TYPE bmc_emu_ipmi_requests_total counter",
    );
    for (const r of bmcs) {
      for (const [key, value] of r.bmc.answered) {
        const [netfn = "", cmd = ""] = commandName(key >> 16, (key >> 8) & 0xff).split("/");
        const cc = completionCodeName(key & 0xff);
        lines.push(series("bmc_emu_ipmi_requests_total", { bmc: r.id, netfn, cmd, cc }, value));
      }
    }
    lines.push(
      "# HELP bmc_emu_lan_dropped_datagrams_total IPMI-over-LAN datagrams dropped unanswered (malformed, unauthenticated, replayed, ...), by reason",
      "# TYPE bmc_emu_lan_dropped_datagrams_total counter",
    );
    for (const r of bmcs) {
      const dropped = r.lan?.state()?.stats.dropped ?? {};
      for (const [reason, value] of Object.entries(dropped)) {
        lines.push(series("bmc_emu_lan_dropped_datagrams_total", { bmc: r.id, reason }, value));
      }
    }
    counter(
      "bmc_emu_watchdog_expiries_total",
      "Watchdog expiries, by timeout action",
      this.#expiries,
    );
    counter(
      "bmc_emu_host_actions_total",
      "Host actions (NMI, reset, power off, ...) performed or refused",
      this.#hostActions,
    );
    counter(
      "bmc_emu_vm_connections_total",
      "VM connections accepted or established",
      this.#connections,
    );
    counter("bmc_emu_faults_fired_total", "Fault rules that fired, by action", this.#faults);
    gauge(
      "bmc_emu_vm_connected",
      "Whether a VM is connected (1) or not (0)",
      bmcs.map((r) => [{ bmc: r.id }, r.connection().connected ? 1 : 0]),
    );
    gauge("bmc_emu_sel_entries", "SEL records", bmcs.map((r) => [{ bmc: r.id }, r.bmc.sel.size]));
    gauge(
      "bmc_emu_watchdog_running",
      "Whether the watchdog counts down (1) or not (0)",
      bmcs.map((r) => [{ bmc: r.id }, r.bmc.watchdog.running ? 1 : 0]),
    );
    gauge(
      "bmc_emu_power_on",
      "Chassis power state (1 on, 0 off or cycling)",
      bmcs.map((r) => [{ bmc: r.id }, r.bmc.chassis.power === "on" ? 1 : 0]),
    );
    gauge("bmc_emu_bmcs", "BMCs served by this process", [[{}, bmcs.length]]);
    gauge("bmc_emu_events_last_id", "Id of the most recent event", [[{}, this.#bus.lastId]]);
    return lines.join("\n") + "\n";
  }

  /** Stop counting. */
  close(): void {
    this.#unsubscribe();
  }
}
