/**
 * What one SSE client is sent next: a bounded queue filled by a
 * subscription and drained by the stream's handler, ended by the client's
 * abort or the server's closing, with keep-alive comments while it is empty.
 *
 * @module
 */

import type { SSEStreamingApi } from "hono/streaming";

/** Keep-alive comment interval. */
export const KEEPALIVE_MS = 15_000;

/** A batch to write: the items, and how many were dropped before them. */
export interface SseBatch<T> {
  readonly items: T[];
  readonly dropped: number;
}

/** One client's queue. */
export class SseQueue<T> {
  readonly #stream: SSEStreamingApi;
  readonly #limit: number;
  readonly #closing: AbortSignal | undefined;
  readonly #items: T[] = [];
  #dropped = 0;
  #ended = false;
  #wake: ((timedOut: boolean) => void) | null = null;
  readonly #end = (): void => {
    this.#ended = true;
    this.#wake?.(false);
  };

  /**
   * @param stream The client's stream (its abort ends the queue).
   * @param limit Items held for a slow client before further ones are dropped (and counted).
   * @param closing The server's closing signal.
   */
  constructor(stream: SSEStreamingApi, limit: number, closing?: AbortSignal) {
    this.#stream = stream;
    this.#limit = limit;
    this.#closing = closing;
    stream.onAbort(this.#end);
    closing?.addEventListener("abort", this.#end, { once: true });
    if (closing?.aborted) this.#ended = true;
  }

  /** Whether the client left or the server is closing. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Queue an item (dropped and counted when the client is too far behind).
   *
   * @param item Item.
   */
  push(item: T): void {
    if (this.#items.length >= this.#limit) this.#dropped++;
    else this.#items.push(item);
    this.#wake?.(false);
  }

  /**
   * Everything queued, waiting for it (with a keep-alive comment every
   * {@link KEEPALIVE_MS}) while there is nothing.
   *
   * @returns The batch, or `null` once the stream has ended.
   */
  async next(): Promise<SseBatch<T> | null> {
    while (!this.#ended && this.#items.length === 0 && this.#dropped === 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await new Promise<boolean>((resolve) => {
        this.#wake = resolve;
        timer = setTimeout(() => resolve(true), KEEPALIVE_MS);
      });
      clearTimeout(timer);
      this.#wake = null;
      if (timedOut && !this.#ended) await this.#stream.write(": keep-alive\n\n");
    }
    if (this.#ended) return null;
    const dropped = this.#dropped;
    this.#dropped = 0;
    return { items: this.#items.splice(0), dropped };
  }

  /** Stop listening for the server's closing (call when the stream ends). */
  close(): void {
    this.#closing?.removeEventListener("abort", this.#end);
  }
}
