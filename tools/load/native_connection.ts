/**
 * The QEMU side of one VM-protocol connection on a libc socket, for the
 * native load generator: greet like QEMU, send one request at a time, and
 * turn what arrives into the answer to it, control frames and stray frames,
 * the way `VmClient` does on a Deno connection. The caller owns the timing
 * (when to send, when a request times out).
 *
 * @module
 */

import { encodeVmRequest } from "../../src/codec/vm_message.ts";
import { closeFd, receive, sendAll } from "./libc_sockets.ts";
import { QEMU_HELLO } from "./vm_client.ts";
import { type Answer, type OutstandingRequest, VmReplyReader } from "./vm_reply_reader.ts";

/** What a read brought. */
export type ReadOutcome =
  /** The answer to the outstanding request. */
  | Answer
  /** Nothing that answers it (yet). */
  | null
  /** The peer closed or the connection failed; the descriptor is closed. */
  | "closed";

/** One connection, one outstanding request. */
export class NativeConnection {
  /** The socket. */
  readonly fd: number;
  /** What arrived: control frames and the count of stray frames. */
  readonly replies: VmReplyReader = new VmReplyReader();
  #seq = 0;
  #pending: OutstandingRequest | null = null;
  #closed = false;

  /**
   * Take an accepted socket and greet the BMC like QEMU.
   *
   * @param fd The connection's descriptor (non-blocking).
   */
  constructor(fd: number) {
    this.fd = fd;
    if (!sendAll(fd, QEMU_HELLO)) this.close();
  }

  /** Whether the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a request waits for its answer. */
  get waiting(): boolean {
    return this.#pending !== null;
  }

  /**
   * Send a request (none may be outstanding).
   *
   * @param request Netfn, command and data.
   * @param now Send time, ms.
   * @returns `false` when the connection is closed or the write failed (it is closed then).
   */
  send(
    request: { readonly netfn: number; readonly cmd: number; readonly data: Uint8Array },
    now: number,
  ): boolean {
    if (this.#closed) return false;
    const seq = this.#seq;
    this.#seq = (seq + 1) & 0xff;
    this.#pending = { seq, netfn: request.netfn, cmd: request.cmd, sentAt: now };
    const bytes = encodeVmRequest(seq, {
      netfn: request.netfn,
      lun: 0,
      cmd: request.cmd,
      data: request.data,
    });
    if (sendAll(this.fd, bytes)) return true;
    this.close();
    return false;
  }

  /** Give up on the outstanding request (a late answer then counts as a stray frame). */
  abandon(): void {
    this.#pending = null;
  }

  /**
   * Read what the socket has (call when epoll reports it readable).
   *
   * @param buf Scratch buffer.
   * @param now Arrival time, ms.
   * @returns The answer, nothing yet, or that the connection closed.
   */
  read(buf: Uint8Array, now: number): ReadOutcome {
    const n = receive(this.fd, buf);
    if (n === null) {
      this.close();
      return "closed";
    }
    const answer = this.replies.push(buf.subarray(0, n), this.#pending, now);
    if (answer !== null) this.#pending = null;
    return answer;
  }

  /** Close the socket (again: nothing). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = null;
    closeFd(this.fd);
  }
}
