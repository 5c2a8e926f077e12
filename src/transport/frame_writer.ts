/**
 * Ordered, bounded, non-blocking writes to a connection. Frames queued while
 * the writer is corked (a session corks it while it handles what one read
 * brought), or while a write is in flight, go out together in one write, in
 * order: a response and the control frames that belong to it (ATN, a reset
 * after the reply) cost the peer one segment and one wake-up, not two.
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
  /** Nesting depth of {@link cork} calls. */
  #corks = 0;
  /** The chunk being written and how much of it is done, or `null` when idle. */
  #chunk: Uint8Array | null = null;
  #offset = 0;
  #failed = false;
  #idle: (() => void)[] = [];
  readonly #onWritten = (n: number): void => this.#written(n);
  readonly #onFailed = (error: unknown): void => this.#fail(error);

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
    if (this.#corks === 0 && this.#chunk === null) this.#next();
  }

  /**
   * Hold writes back until the matching {@link uncork}: what is queued
   * meanwhile goes out in one write. Calls nest.
   */
  cork(): void {
    this.#corks++;
  }

  /** End a {@link cork}; the outermost one writes what was queued. */
  uncork(): void {
    if (this.#corks > 0) this.#corks--;
    if (this.#corks === 0 && this.#chunk === null && !this.#failed) this.#next();
  }

  /** Resolves when everything queued so far is written (or writing failed). */
  flushed(): Promise<void> {
    if (this.#chunk === null) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #next(): void {
    const queue = this.#queue;
    if (queue.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    this.#chunk = queue.length === 1 ? queue[0]! : concatBytes(queue);
    this.#queue = [];
    this.#offset = 0;
    this.#send();
  }

  #send(): void {
    try {
      this.#write(this.#offset === 0 ? this.#chunk! : this.#chunk!.subarray(this.#offset))
        .then(this.#onWritten, this.#onFailed);
    } catch (error) {
      this.#fail(error);
    }
  }

  #written(n: number): void {
    const chunk = this.#chunk;
    if (chunk === null || this.#failed) return;
    this.#offset += n;
    if (this.#offset < chunk.length) {
      this.#send();
      return;
    }
    this.#pending -= chunk.length;
    this.#chunk = null;
    if (this.#corks === 0) this.#next();
    else if (this.#queue.length === 0) { for (const resolve of this.#idle.splice(0)) resolve(); }
  }

  #fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#queue = [];
    this.#chunk = null;
    for (const resolve of this.#idle.splice(0)) resolve();
    this.#onError(error);
  }
}
