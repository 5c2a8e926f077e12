/**
 * The listening side (`--vm-listen`): QEMU is the client (with `reconnect=`).
 * One QEMU per BMC: a second simultaneous client is refused and logged while
 * the first keeps working; clients are also refused while the BMC is down.
 *
 * @module
 */

import { describeAddr, type Endpoint, formatEndpoint } from "./endpoint.ts";
import { serveConnection, type VmAttachment } from "./serve_connection.ts";
import { listenError } from "./listen_error.ts";
import { listenEndpoint } from "./listen_endpoint.ts";

async function listen(endpoint: Endpoint): Promise<Deno.Listener> {
  try {
    return await listenEndpoint(endpoint);
  } catch (error) {
    throw listenError("VM listen", formatEndpoint(endpoint), error);
  }
}

/** Accepts QEMU connections for one BMC. */
export class VmListener {
  /** The bound endpoint (with the real port when 0 was asked for). */
  readonly endpoint: Endpoint;
  readonly #listener: Deno.Listener;
  readonly #att: VmAttachment;
  readonly #serving = new Set<Promise<void>>();
  readonly #loop: Promise<void>;
  #closed = false;

  private constructor(listener: Deno.Listener, endpoint: Endpoint, att: VmAttachment) {
    this.#listener = listener;
    this.#att = att;
    const addr = listener.addr;
    this.endpoint = addr.transport === "tcp"
      ? { transport: "tcp", hostname: addr.hostname, port: addr.port }
      : endpoint;
    this.#loop = this.#acceptLoop();
  }

  /**
   * Bind and start accepting.
   *
   * @param endpoint Where to listen.
   * @param att The BMC and its edges.
   * @returns The running listener.
   * @throws {Error} "VM listen ADDRESS: address already in use" (the platform's error as its cause), and other bind errors so named.
   */
  static async start(endpoint: Endpoint, att: VmAttachment): Promise<VmListener> {
    const listener = await listen(endpoint);
    const vm = new VmListener(listener, endpoint, att);
    att.log.info("listening for QEMU", { endpoint: formatEndpoint(vm.endpoint) });
    return vm;
  }

  async #acceptLoop(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch (error) {
        if (this.#closed) return;
        this.#att.log.error("accept failed", { error });
        continue;
      }
      const refusal = this.#refusal();
      if (refusal !== null) {
        const peer = describeAddr(conn.remoteAddr);
        this.#att.events.emit("vm.refused", { peer, reason: refusal });
        conn.close();
        continue;
      }
      const serving = serveConnection(conn, this.#att).catch((error) => {
        this.#att.log.error("VM session failed", { error });
      });
      this.#serving.add(serving);
      serving.finally(() => this.#serving.delete(serving));
    }
  }

  #refusal(): string | null {
    const current = this.#att.link.session;
    if (current !== null) return `BMC already serves ${current.peer}`;
    if (!this.#att.bmc.acceptingConnections()) return "BMC is resetting";
    return null;
  }

  /** Stop listening, close the connection, and wait until all is done. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener.close();
    this.#att.link.disconnect("bmc-emu is shutting down");
    await this.#loop;
    await Promise.all(this.#serving);
    if (this.endpoint.transport === "unix") {
      await Deno.remove(this.endpoint.path).catch(() => {});
    }
  }
}
