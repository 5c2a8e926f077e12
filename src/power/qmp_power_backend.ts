/**
 * The `qmp` power backend: chassis operations through QEMU's monitor, for a
 * QEMU started with `-qmp … -action shutdown=pause`. Power off pauses the
 * VM (QEMU stays alive), power on resets and continues it, power cycle does
 * both a second apart; QEMU's own SHUTDOWN, RESET and RESUME events update
 * the BMC's power state, and a guest-initiated reset stops its watchdog.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import { delay } from "../clock/delay.ts";
import type { EventSink, HostActionEventType } from "../core/events.ts";
import type { PowerBackend, PowerCheck, PowerObserver, PowerOp } from "../core/ports.ts";
import type { Logger } from "../log/logger.ts";
import { type Endpoint, formatEndpoint } from "../transport/endpoint.ts";
import { reconnectLoop } from "../transport/reconnect.ts";
import { QmpClient, type QmpEvent } from "./qmp_client.ts";

/** Power-off to power-on gap of a power cycle (IPMI: at least 1 s). */
export const POWER_CYCLE_GAP_MS = 1000;
/**
 * Delay before acting on a chassis command, so the IPMI response reaches
 * the guest before the VM stops.
 */
const ACTION_GRACE_MS = 50;
/**
 * After any reset, SeaBIOS resets the machine once more (it cannot re-run
 * POST in place and resets through port 0xCF9), which QEMU reports as a
 * guest reset ~25 ms later. A guest RESET this soon after another reset is
 * that echo, not the guest OS rebooting.
 */
const FIRMWARE_RESET_WINDOW_MS = 2000;

const COMMANDS: Record<PowerOp, { steps: string[]; event: HostActionEventType }> = {
  off: { steps: ["stop"], event: "host.power-off" },
  on: { steps: ["system_reset", "cont"], event: "host.reset" },
  cycle: { steps: ["stop", "gap", "system_reset", "cont"], event: "host.power-off" },
  reset: { steps: ["system_reset"], event: "host.reset" },
  "soft-off": { steps: ["system_powerdown"], event: "host.graceful-shutdown" },
  diag: { steps: ["inject-nmi"], event: "host.nmi" },
};

/** Options for {@link QmpPowerBackend}. */
export interface QmpPowerBackendOptions {
  /** QEMU's QMP socket. */
  readonly endpoint: Endpoint;
  /** Time source (power-cycle gap, reconnect backoff). */
  readonly clock: Clock;
  /** Event publication. */
  readonly events: EventSink;
  /** Logger. */
  readonly log: Logger;
}

/** Power operations over QMP. */
export class QmpPowerBackend implements PowerBackend {
  /** Backend name. */
  readonly kind = "qmp";
  readonly #options: QmpPowerBackendOptions;
  readonly #abort = new AbortController();
  #client: QmpClient | null = null;
  #observer: PowerObserver | null = null;
  #running = false;
  #loop: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();
  #lastResetAt = -Infinity;

  /**
   * Create the backend; call {@link QmpPowerBackend.start} to connect.
   *
   * @param options Endpoint and edges.
   */
  constructor(options: QmpPowerBackendOptions) {
    this.#options = options;
  }

  /** Start (re)connecting to QEMU's monitor. */
  start(): void {
    this.#loop ??= this.#connectLoop();
  }

  /**
   * Register the BMC's observer.
   *
   * @param observer Observer.
   */
  observe(observer: PowerObserver): void {
    this.#observer = observer;
  }

  /** Whether the monitor is connected. */
  get connected(): boolean {
    return this.#client !== null;
  }

  /**
   * Whether `op` is possible: needs the monitor; reset, diagnostic interrupt
   * and soft-off need a running VM.
   *
   * @param op Operation.
   * @returns The check.
   */
  check(op: PowerOp): PowerCheck {
    if (this.#client === null) {
      return {
        ok: false,
        reason: `QEMU's monitor (${formatEndpoint(this.#options.endpoint)}) is not connected`,
      };
    }
    if ((op === "reset" || op === "diag" || op === "soft-off") && !this.#running) {
      return { ok: false, reason: `the VM is powered off; ${op} needs it running` };
    }
    return { ok: true };
  }

  /**
   * Perform `op` (asynchronously, after a short grace so the IPMI response
   * reaches the guest first; operations run one after another).
   *
   * @param op Operation (checked).
   */
  perform(op: PowerOp): void {
    const spec = COMMANDS[op];
    this.#options.events.emit(spec.event, { backend: "qmp", op });
    this.#options.log.debug("QMP steps", { op, steps: spec.steps.join(",") });
    this.#queue = this.#queue.then(async () => {
      await delay(this.#options.clock, ACTION_GRACE_MS, this.#abort.signal);
      for (const step of spec.steps) {
        if (step === "gap") {
          await delay(this.#options.clock, POWER_CYCLE_GAP_MS, this.#abort.signal);
          continue;
        }
        await this.#execute(step);
      }
    });
  }

  async #execute(command: string): Promise<void> {
    const client = this.#client;
    if (client === null) {
      this.#options.log.warn("QMP command not sent: monitor disconnected", { command });
      return;
    }
    try {
      await client.execute(command);
    } catch (error) {
      this.#options.log.error("QMP command failed", { command, error });
    }
  }

  #onEvent(event: QmpEvent): void {
    const data = event.data;
    this.#options.log.debug("QMP event", { event: event.event, data });
    switch (event.event) {
      case "SHUTDOWN":
        this.#running = false;
        this.#observer?.powerObserved("off", `QEMU SHUTDOWN (${data.reason ?? "unknown"})`);
        return;
      case "STOP":
        this.#running = false;
        this.#observer?.powerObserved("off", "QEMU STOP (VM paused)");
        return;
      case "RESUME":
        this.#running = true;
        this.#observer?.powerObserved("on", "QEMU RESUME");
        return;
      case "RESET": {
        const now = this.#options.clock.now();
        const echo = now - this.#lastResetAt < FIRMWARE_RESET_WINDOW_MS;
        this.#lastResetAt = now;
        if (data.guest !== true) return;
        if (echo) {
          this.#options.log.debug("firmware reset after a reset ignored", { reason: data.reason });
          return;
        }
        this.#observer?.hostResetObserved(`QEMU RESET (${data.reason ?? "guest"})`);
        return;
      }
    }
  }

  #connectLoop(): Promise<void> {
    const { endpoint, clock, log } = this.#options;
    return reconnectLoop({
      what: "QEMU monitor",
      endpoint,
      clock,
      log,
      signal: this.#abort.signal,
      connect: () => QmpClient.connect(endpoint, (e) => this.#onEvent(e)),
      serve: (client) => this.#serve(client),
      discard: (client) => client.close(),
    });
  }

  /** Use a monitor connection until it closes. */
  async #serve(client: QmpClient): Promise<void> {
    const { endpoint, log } = this.#options;
    try {
      const status = await client.execute("query-status") as {
        running?: boolean;
        status?: string;
      };
      this.#running = status.running === true;
      this.#client = client;
      log.info("QEMU monitor connected", {
        endpoint: formatEndpoint(endpoint),
        status: status.status,
      });
      this.#observer?.powerObserved(this.#running ? "on" : "off", `QEMU status ${status.status}`);
    } catch (error) {
      log.warn("QEMU monitor did not answer query-status", { error });
    }
    await client.closed;
    this.#client = null;
    this.#running = false;
    if (!this.#abort.signal.aborted) {
      log.info("QEMU monitor disconnected (QEMU exited?)", { endpoint: formatEndpoint(endpoint) });
      this.#observer?.powerObserved("off", "QEMU monitor disconnected");
    }
  }

  /** Stop reconnecting and close the monitor connection. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#client?.close();
    await this.#loop;
    await this.#queue.catch(() => {});
  }
}
