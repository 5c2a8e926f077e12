/**
 * A scripted QEMU-side peer for socket tests: sends what QEMU's
 * `ipmi-bmc-extern` sends and collects what the BMC answers.
 *
 * @module
 */

import { decodeVmControl } from "../../src/codec/vm_control.ts";
import { VmFrameDecoder } from "../../src/codec/vm_frame.ts";
import { decodeVmResponse, encodeVmRequest, type VmResponse } from "../../src/codec/vm_message.ts";
import { dial, type Endpoint } from "../../src/transport/endpoint.ts";
import { QEMU_HELLO } from "../../tools/load/vm_client.ts";
import { withDeadline } from "./deadline.ts";

export { QEMU_HELLO };

/** A QEMU-like peer. */
export class VmPeer {
  /** Control ops received, in order (first byte of each control frame). */
  readonly controls: number[] = [];
  /** Responses received, in order. */
  readonly responses: VmResponse[] = [];
  /** Raw bytes received. */
  readonly raw: number[] = [];
  /** Frames the peer's decoder dropped, by reason. */
  readonly dropped: string[] = [];
  readonly #conn: Deno.Conn;
  readonly #decoder = new VmFrameDecoder({ minMessageBytes: 5 });
  readonly #reader: Promise<void>;
  #closed = false;
  #waiters: (() => void)[] = [];

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#reader = this.#read();
  }

  /**
   * Connect; optionally send QEMU's hello.
   *
   * @param endpoint BMC endpoint.
   * @param hello Send `FF 01 A1 08 3F A1`. @default true
   * @returns The peer.
   */
  static async connect(endpoint: Endpoint, hello = true): Promise<VmPeer> {
    const conn = await dial(endpoint);
    const peer = new VmPeer(conn);
    if (hello) await peer.write(QEMU_HELLO).catch(() => {}); // a refused peer may see EPIPE
    return peer;
  }

  /**
   * Wrap an accepted connection (QEMU as server).
   *
   * @param conn Connection.
   * @returns The peer.
   */
  static wrap(conn: Deno.Conn): VmPeer {
    return new VmPeer(conn);
  }

  async #read(): Promise<void> {
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await this.#conn.read(buf);
        if (n === null) break;
        this.raw.push(...buf.subarray(0, n));
        for (const ev of this.#decoder.push(buf.subarray(0, n))) {
          if (ev.kind === "control") this.controls.push(decodeVmControl(ev.body).op);
          if (ev.kind === "message") this.responses.push(decodeVmResponse(ev.body));
          if (ev.kind === "dropped" && ev.reason !== "empty") this.dropped.push(ev.reason);
        }
        this.#wake();
      }
    } catch {
      // Closed.
    }
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Whether the BMC closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Write raw bytes.
   *
   * @param bytes Bytes.
   */
  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.#conn.write(bytes.subarray(offset));
  }

  /**
   * Send a request.
   *
   * @param seq Message id.
   * @param netfn Request netfn.
   * @param cmd Command.
   * @param data Request data.
   */
  async request(seq: number, netfn: number, cmd: number, data: number[] = []): Promise<void> {
    await this.write(encodeVmRequest(seq, { netfn, lun: 0, cmd, data: Uint8Array.from(data) }));
  }

  /**
   * Wait until `test` holds, re-checked after every read (the deadline is
   * a safety net on the socket, not part of the check).
   *
   * @param test Condition.
   * @param timeoutMs Deadline.
   * @param what Description for the timeout error.
   */
  async until(test: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
    const reached = async (): Promise<void> => {
      while (!test()) {
        if (this.#closed) throw new Error(`connection closed while waiting for ${what}`);
        await new Promise<void>((resolve) => this.#waiters.push(resolve));
      }
    };
    await withDeadline(reached(), what, timeoutMs);
  }

  /**
   * Send a request and wait for the response with its seq.
   *
   * @param seq Message id.
   * @param netfn Request netfn.
   * @param cmd Command.
   * @param data Data.
   * @param timeoutMs Deadline.
   * @returns The response.
   */
  async call(
    seq: number,
    netfn: number,
    cmd: number,
    data: number[] = [],
    timeoutMs = 5000,
  ): Promise<VmResponse> {
    const before = this.responses.length;
    await this.request(seq, netfn, cmd, data);
    let found: VmResponse | undefined;
    await this.until(
      () => {
        found = this.responses.slice(before).find((r) => r.seq === seq);
        return found !== undefined;
      },
      timeoutMs,
      `response to seq ${seq}`,
    );
    return found!;
  }

  /**
   * Wait until the BMC closes the connection.
   *
   * @param timeoutMs Deadline.
   */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.#closed, timeoutMs, "the connection to close").catch((e) => {
      if (!this.#closed) throw e;
    });
  }

  /** Close and wait for the reader. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    await this.#reader;
  }
}
