/**
 * The QEMU side of the VM protocol, for load generation: connect to a BMC
 * that listens, greet like QEMU 7.2, and send one request at a time, timing
 * each answer.
 *
 * @module
 */

import { VmChar } from "../../src/codec/constants.ts";
import { encodeVmRequest } from "../../src/codec/vm_message.ts";
import { dial, type Endpoint } from "../../src/transport/endpoint.ts";
import { type Answer, type OutstandingRequest, VmReplyReader } from "./vm_reply_reader.ts";

/** `FF 01 A1 08 3F A1`: version 1, then every capability, as QEMU 7.2 sends on connect. */
export const QEMU_HELLO = Uint8Array.of(0xff, 0x01, VmChar.Command, 0x08, 0x3f, VmChar.Command);

/** How long QEMU waits for an answer before it gives up on a request, ms. */
export const QEMU_REQUEST_TIMEOUT_MS = 4000;

export type { Answer } from "./vm_reply_reader.ts";

/** One VM-protocol connection, one outstanding request (as QEMU sends them). */
export class VmClient {
  readonly #conn: Deno.Conn;
  readonly #replies = new VmReplyReader();
  readonly #reader: Promise<void>;
  #seq = 0;
  #pending: OutstandingRequest & { resolve: (a: Answer | null) => void } | null = null;
  #closed = false;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#reader = this.#read();
  }

  /**
   * Connect to a BMC and greet it like QEMU.
   *
   * @param endpoint The BMC's VM endpoint.
   * @returns The client.
   */
  static async connect(endpoint: Endpoint): Promise<VmClient> {
    const conn = await dial(endpoint);
    if (endpoint.transport === "tcp") (conn as Deno.TcpConn).setNoDelay(true);
    return await VmClient.greet(conn);
  }

  /**
   * Greet a BMC like QEMU on a connection either side opened (QEMU as the
   * server, `--vm-connect`, greets the BMC that dialled it the same way).
   *
   * @param conn The connection.
   * @returns The client.
   */
  static async greet(conn: Deno.Conn): Promise<VmClient> {
    const client = new VmClient(conn);
    await client.#write(QEMU_HELLO);
    return client;
  }

  /** Control frames received (first byte each: a `VmCmd`, e.g. Reset, PowerOff, SendNmi). */
  get controls(): readonly { readonly op: number; readonly at: number }[] {
    return this.#replies.controls;
  }

  /**
   * Frames that were not a reply to the outstanding request: dropped by the
   * decoder (bad checksum, too short, …) or answering no outstanding seq.
   */
  get strayFrames(): number {
    return this.#replies.strayFrames;
  }

  /** Whether the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  async #read(): Promise<void> {
    const buf = new Uint8Array(8192);
    try {
      for (;;) {
        const n = await this.#conn.read(buf);
        if (n === null) break;
        const p = this.#pending;
        const answer = this.#replies.push(buf.subarray(0, n), p, performance.now());
        if (answer !== null) {
          this.#pending = null;
          p!.resolve(answer);
        }
      }
    } catch {
      // Closed under us.
    }
    this.#closed = true;
    this.#pending?.resolve(null);
    this.#pending = null;
  }

  async #write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.#conn.write(bytes.subarray(offset));
  }

  /**
   * Send a request and wait for the answer with its seq.
   *
   * @param netfn Network function.
   * @param cmd Command.
   * @param data Request data.
   * @param timeoutMs Give up after this long.
   * @returns The answer, or `null` on timeout or a closed connection.
   */
  async request(
    netfn: number,
    cmd: number,
    data: Uint8Array,
    timeoutMs = QEMU_REQUEST_TIMEOUT_MS,
  ): Promise<Answer | null> {
    if (this.#closed) return null;
    const seq = this.#seq;
    this.#seq = (this.#seq + 1) & 0xff;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answer = new Promise<Answer | null>((resolve) => {
      this.#pending = { seq, netfn, cmd, sentAt: performance.now(), resolve };
      timer = setTimeout(() => {
        if (this.#pending?.seq === seq) this.#pending = null;
        resolve(null);
      }, timeoutMs);
    });
    try {
      await this.#write(encodeVmRequest(seq, { netfn, lun: 0, cmd, data }));
    } catch {
      this.#closed = true;
      this.#pending = null;
      clearTimeout(timer);
      return null;
    }
    return await answer.finally(() => clearTimeout(timer));
  }

  /** Close the connection and wait for the reader. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    await this.#reader;
  }
}
