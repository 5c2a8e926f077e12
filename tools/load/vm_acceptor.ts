/**
 * QEMU as the server (`server=on`): listen on UNIX sockets that BMCs in
 * `--vm-connect` mode dial, greet each connection like QEMU, and hand the
 * clients out as they arrive. Several BMCs may dial one socket, so a rack
 * of N BMCs needs N descriptors here and one (not two) per BMC in bmc-emu.
 *
 * @module
 */

import { VmClient } from "./vm_client.ts";

/** Accepts BMC connections on UNIX sockets. */
export class VmAcceptor {
  readonly #listeners: Deno.UnixListener[];
  readonly #ready: VmClient[] = [];
  #waiters: ((client: VmClient | null) => void)[] = [];
  readonly #loops: Promise<void>[];

  /**
   * Listen on `paths`.
   *
   * @param paths Socket paths.
   */
  constructor(paths: readonly string[]) {
    this.#listeners = paths.map((path) => Deno.listen({ transport: "unix", path }));
    this.#loops = this.#listeners.map((l) => this.#accept(l));
  }

  async #accept(listener: Deno.UnixListener): Promise<void> {
    try {
      for await (const conn of listener) {
        const client = await VmClient.greet(conn).catch(() => null);
        if (client === null) continue;
        const waiter = this.#waiters.shift();
        if (waiter !== undefined) waiter(client);
        else this.#ready.push(client);
      }
    } catch {
      // Closed.
    }
  }

  /**
   * The next BMC that connected.
   *
   * @param timeoutMs Deadline.
   * @returns The client, or `null` when none came in time.
   */
  next(timeoutMs: number): Promise<VmClient | null> {
    const ready = this.#ready.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== take);
        resolve(null);
      }, timeoutMs);
      const take = (client: VmClient | null) => {
        clearTimeout(timer);
        resolve(client);
      };
      this.#waiters.push(take);
    });
  }

  /** Stop listening (accepted clients stay open). */
  async close(): Promise<void> {
    for (const l of this.#listeners) l.close();
    await Promise.all(this.#loops);
  }
}
