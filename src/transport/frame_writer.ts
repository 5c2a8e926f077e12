/**
 * Ordered, bounded, non-blocking writes to a connection: frames queued in
 * one turn of the event loop go out together, in order.
 *
 * @module
 */

import { concatBytes } from "../util/bytes.ts";

/** Pending bytes above which the peer is considered stuck. */
const MAX_PENDING_BYTES = 1 << 20;

/** Queues frames and writes them in order. */
export class FrameWriter {
  readonly #write: (bytes: Uint8Array) => Promise<number>;
  readonly #onError: (error: unknown) => void;
  #queue: Uint8Array[] = [];
  #pending = 0;
  #drain: Promise<void> | null = null;
  #failed = false;

  /**
   * Create a writer.
   *
   * @param write Writes some bytes, returns how many.
   * @param onError Called once when writing fails or the peer stops reading.
   */
  constructor(write: (bytes: Uint8Array) => Promise<number>, onError: (error: unknown) => void) {
    this.#write = write;
    this.#onError = onError;
  }

  /**
   * Queue bytes for writing.
   *
   * @param bytes Frame bytes (not copied; do not reuse).
   */
  write(bytes: Uint8Array): void {
    if (this.#failed) return;
    this.#queue.push(bytes);
    this.#pending += bytes.length;
    if (this.#pending > MAX_PENDING_BYTES) {
      this.#fail(new RangeError(`peer is not reading: ${this.#pending} bytes pending`));
      return;
    }
    this.#drain ??= this.#run();
  }

  /** Resolves when everything queued so far is written (or writing failed). */
  async flushed(): Promise<void> {
    while (this.#drain !== null) await this.#drain;
  }

  async #run(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#failed) {
        const parts = this.#queue;
        this.#queue = [];
        const chunk = parts.length === 1 ? parts[0]! : concatBytes(parts);
        let offset = 0;
        while (offset < chunk.length) offset += await this.#write(chunk.subarray(offset));
        this.#pending -= chunk.length;
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#drain = null;
    }
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#queue = [];
    this.#onError(error);
  }
}
