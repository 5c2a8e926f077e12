/**
 * The QEMU side of the VM protocol, for load generation: connect to a BMC
 * that listens, greet like QEMU 7.2, and send one request at a time, timing
 * each answer.
 *
 * @module
 */

import { VmChar } from "../../src/codec/constants.ts";
import { VmFrameDecoder } from "../../src/codec/vm_frame.ts";
import { decodeVmResponse, encodeVmRequest } from "../../src/codec/vm_message.ts";
import { dial, type Endpoint } from "../../src/transport/endpoint.ts";

/** `FF 01 A1 08 3F A1`: version 1, then every capability, as QEMU 7.2 sends on connect. */
export const QEMU_HELLO = Uint8Array.of(0xff, 0x01, VmChar.Command, 0x08, 0x3f, VmChar.Command);

/** An answered request. */
export interface Answer {
  /** Whether the reply's netfn and command were the request's (netfn + 1). */
  readonly matches: boolean;
  /** Completion code. */
  readonly cc: number;
  /** Response data after the completion code. */
  readonly data: Uint8Array;
  /** Time from the write to the complete answer, ms. */
  readonly ms: number;
}

/** One VM-protocol connection, one outstanding request (as QEMU sends them). */
export class VmClient {
  readonly #conn: Deno.Conn;
  readonly #decoder = new VmFrameDecoder({ minMessageBytes: 5 });
  readonly #reader: Promise<void>;
  #seq = 0;
  #pending: {
    seq: number;
    netfn: number;
    cmd: number;
    t0: number;
    resolve: (a: Answer | null) => void;
  } | null = null;
  /** Control frames received (first byte each: a `VmCmd`, e.g. Reset, PowerOff, SendNmi). */
  readonly controls: { op: number; at: number }[] = [];
  /**
   * Frames that were not a reply to the outstanding request: dropped by the
   * decoder (bad checksum, too short, …) or answering no outstanding seq.
   */
  strayFrames = 0;
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
        for (const ev of this.#decoder.push(buf.subarray(0, n))) {
          if (ev.kind === "control") this.controls.push({ op: ev.body[0]!, at: performance.now() });
          if (ev.kind === "dropped") this.strayFrames++;
          if (ev.kind !== "message") continue;
          const r = decodeVmResponse(ev.body);
          const p = this.#pending;
          if (p === null || r.seq !== p.seq) {
            this.strayFrames++;
            continue;
          }
          this.#pending = null;
          p.resolve({
            matches: r.response.netfn === (p.netfn | 1) && r.response.cmd === p.cmd &&
              r.response.lun === 0,
            cc: r.response.cc,
            data: r.response.data,
            ms: performance.now() - p.t0,
          });
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
   * @param timeoutMs Give up after this long (QEMU: 4000).
   * @returns The answer, or `null` on timeout or a closed connection.
   */
  async request(
    netfn: number,
    cmd: number,
    data: Uint8Array,
    timeoutMs = 4000,
  ): Promise<Answer | null> {
    if (this.#closed) return null;
    const seq = this.#seq;
    this.#seq = (this.#seq + 1) & 0xff;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answer = new Promise<Answer | null>((resolve) => {
      this.#pending = { seq, netfn, cmd, t0: performance.now(), resolve };
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
