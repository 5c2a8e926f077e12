/**
 * A fake QEMU monitor (QMP) on a UNIX socket: greets, answers commands,
 * records them, and can emit events.
 *
 * @module
 */

/** A scripted QMP server. */
export class FakeQmp {
  /** Commands received, in order. */
  readonly commands: string[] = [];
  /** `query-status` answer. */
  readonly status = { running: true, status: "running" } as const;
  readonly path: string;
  readonly #listener: Deno.Listener;
  #conn: Deno.Conn | null = null;
  readonly #serving: Promise<void>;
  readonly #encoder = new TextEncoder();
  #received: (() => void)[] = [];

  private constructor(path: string) {
    this.path = path;
    this.#listener = Deno.listen({ transport: "unix", path });
    this.#serving = this.#serve();
  }

  /**
   * Listen on `path`.
   *
   * @param path Socket path.
   * @returns The server.
   */
  static listen(path: string): FakeQmp {
    return new FakeQmp(path);
  }

  async #serve(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.#conn = conn;
      await this.#send({
        QMP: { version: { qemu: { major: 7, minor: 2, micro: 22 } }, capabilities: [] },
      });
      const decoder = new TextDecoder();
      let rest = "";
      try {
        for await (const chunk of conn.readable) {
          rest += decoder.decode(chunk, { stream: true });
          let nl: number;
          while ((nl = rest.indexOf("\n")) >= 0) {
            const msg = JSON.parse(rest.slice(0, nl));
            rest = rest.slice(nl + 1);
            await this.#answer(msg);
          }
        }
      } catch {
        // Client gone.
      }
      this.#conn = null;
    }
  }

  /**
   * Wait until `n` commands have been received.
   *
   * @param n Count.
   * @returns The commands so far.
   */
  async received(n: number): Promise<string[]> {
    while (this.commands.length < n) {
      await new Promise<void>((resolve) => this.#received.push(resolve));
    }
    return this.commands.slice();
  }

  async #answer(msg: { execute: string; id?: number }): Promise<void> {
    this.commands.push(msg.execute);
    for (const w of this.#received.splice(0)) w();
    await this.#send({ return: msg.execute === "query-status" ? this.status : {}, id: msg.id });
    if (msg.execute === "stop") await this.event("STOP");
    if (msg.execute === "cont") await this.event("RESUME");
    if (msg.execute === "system_reset") {
      await this.event("RESET", { guest: false, reason: "host-qmp-system-reset" });
    }
  }

  async #send(obj: unknown): Promise<void> {
    const bytes = this.#encoder.encode(JSON.stringify(obj) + "\r\n");
    let offset = 0;
    while (this.#conn !== null && offset < bytes.length) {
      offset += await this.#conn.write(bytes.subarray(offset));
    }
  }

  /**
   * Emit an event.
   *
   * @param event Name.
   * @param data Data.
   */
  async event(event: string, data: Record<string, unknown> = {}): Promise<void> {
    await this.#send({ event, data, timestamp: { seconds: 0, microseconds: 0 } });
  }

  /** Drop the current client (QEMU exited). */
  dropClient(): void {
    try {
      this.#conn?.close();
    } catch {
      // Already closed.
    }
  }

  /** Stop listening. */
  async close(): Promise<void> {
    this.#listener.close();
    this.dropClient();
    await this.#serving;
  }
}
