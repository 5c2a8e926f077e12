/**
 * The connecting side (`--vm-connect`): QEMU is the server
 * (`server=on,wait=off`); bmc-emu dials it, retrying with exponential backoff
 * until it appears, and dials again whenever the connection ends.
 *
 * @module
 */

import { dial, type Endpoint, formatEndpoint } from "./endpoint.ts";
import { reconnectLoop } from "./reconnect.ts";
import { serveConnection, type VmAttachment } from "./serve_connection.ts";

/** Keeps one BMC connected to a QEMU that listens. */
export class VmConnector {
  /** Where QEMU listens. */
  readonly endpoint: Endpoint;
  readonly #att: VmAttachment;
  readonly #abort = new AbortController();
  readonly #loop: Promise<void>;

  /**
   * Start connecting.
   *
   * @param endpoint QEMU's listening endpoint.
   * @param att The BMC and its edges.
   */
  constructor(endpoint: Endpoint, att: VmAttachment) {
    this.endpoint = endpoint;
    this.#att = att;
    att.log.info("connecting to QEMU", { endpoint: formatEndpoint(endpoint) });
    this.#loop = reconnectLoop({
      what: "QEMU",
      endpoint,
      clock: att.clock,
      log: att.log,
      signal: this.#abort.signal,
      connect: () => dial(endpoint),
      serve: (conn) => serveConnection(conn, att),
      discard: (conn) => conn.close(),
      // During a BMC reset the link is down: do not dial until it is back.
      ready: () => att.bmc.acceptingConnections(),
    });
  }

  /** Stop reconnecting and close the current connection. */
  async close(): Promise<void> {
    this.#abort.abort();
    this.#att.link.disconnect("bmc-emu is shutting down");
    await this.#loop;
  }
}
