/**
 * An in-memory connection pair: what one end writes, the other reads. It
 * has the part of `Deno.Conn` a VM session and a scripted peer use, so a
 * session can be tested without sockets.
 *
 * @module
 */

/** One end of the pair. */
export class MemoryConn {
  #inbox: Uint8Array[] = [];
  #wake: (() => void) | null = null;
  #closed = false;
  #other: MemoryConn | null = null;
  /** How many `write()` calls this end made (each a segment on a socket). */
  writes = 0;

  /**
   * Two connected ends.
   *
   * @returns The ends.
   */
  static pair(): [MemoryConn, MemoryConn] {
    const a = new MemoryConn();
    const b = new MemoryConn();
    a.#other = b;
    b.#other = a;
    return [a, b];
  }

  #deliver(bytes: Uint8Array | null): void {
    if (bytes === null) this.#closed = true;
    else this.#inbox.push(bytes.slice());
    this.#wake?.();
    this.#wake = null;
  }

  /**
   * Read what the other end wrote.
   *
   * @param buf Buffer.
   * @returns Bytes read, or `null` once the other end (or this one) closed.
   */
  async read(buf: Uint8Array): Promise<number | null> {
    while (this.#inbox.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
    const next = this.#inbox[0]!;
    const n = Math.min(buf.length, next.length);
    buf.set(next.subarray(0, n));
    if (n === next.length) this.#inbox.shift();
    else this.#inbox[0] = next.subarray(n);
    return n;
  }

  /**
   * Write to the other end.
   *
   * @param bytes Bytes.
   * @returns How many were written (all).
   */
  write(bytes: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(new Deno.errors.BrokenPipe("closed"));
    this.writes++;
    this.#other!.#deliver(bytes);
    return Promise.resolve(bytes.length);
  }

  /** Close both directions. */
  close(): void {
    if (this.#closed) return;
    this.#deliver(null);
    this.#other!.#deliver(null);
  }
}
