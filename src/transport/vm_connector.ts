/**
 * The connecting side (`--vm-connect`): QEMU is the server
 * (`server=on,wait=off`); bmc-emu dials it, retrying with exponential backoff
 * until it appears, and dials again whenever the connection ends.
 *
 * @module
 */

import { delay } from "../clock/delay.ts";
import { type Endpoint, formatEndpoint } from "./endpoint.ts";
import { serveConnection, type VmAttachment } from "./serve_connection.ts";

/** Backoff settings. */
export interface BackoffOptions {
  /** First retry delay, ms. @default 100 */
  readonly minDelayMs?: number;
  /** Largest retry delay, ms. @default 5000 */
  readonly maxDelayMs?: number;
}

function dial(endpoint: Endpoint): Promise<Deno.Conn> {
  return endpoint.transport === "tcp"
    ? Deno.connect({ transport: "tcp", hostname: endpoint.hostname, port: endpoint.port })
    : Deno.connect({ transport: "unix", path: endpoint.path });
}

/** Keeps one BMC connected to a QEMU that listens. */
export class VmConnector {
  /** Where QEMU listens. */
  readonly endpoint: Endpoint;
  readonly #att: VmAttachment;
  readonly #min: number;
  readonly #max: number;
  readonly #abort = new AbortController();
  readonly #loop: Promise<void>;

  /**
   * Start connecting.
   *
   * @param endpoint QEMU's listening endpoint.
   * @param att The BMC and its edges.
   * @param options Backoff.
   */
  constructor(endpoint: Endpoint, att: VmAttachment, options: BackoffOptions = {}) {
    this.endpoint = endpoint;
    this.#att = att;
    this.#min = options.minDelayMs ?? 100;
    this.#max = options.maxDelayMs ?? 5000;
    att.log.info("connecting to QEMU", { endpoint: formatEndpoint(endpoint) });
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let wait = this.#min;
    let failures = 0;
    while (!signal.aborted) {
      if (!this.#att.bmc.acceptingConnections()) {
        await delay(this.#att.clock, this.#min, signal);
        continue;
      }
      let conn: Deno.Conn;
      try {
        conn = await dial(this.endpoint);
      } catch (error) {
        failures++;
        const fields = { endpoint: formatEndpoint(this.endpoint), retryInMs: wait, error };
        if (failures === 1) this.#att.log.info("QEMU not reachable yet; retrying", fields);
        else this.#att.log.debug("QEMU still not reachable", fields);
        await delay(this.#att.clock, wait, signal);
        wait = Math.min(this.#max, wait * 2);
        continue;
      }
      if (signal.aborted) {
        conn.close();
        break;
      }
      failures = 0;
      wait = this.#min;
      await serveConnection(conn, this.#att);
      await delay(this.#att.clock, this.#min, signal);
    }
  }

  /** Stop reconnecting and close the current connection. */
  async close(): Promise<void> {
    this.#abort.abort();
    this.#att.link.disconnect("bmc-emu is shutting down");
    await this.#loop;
  }
}
