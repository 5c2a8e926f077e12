/**
 * A growing list of text lines that tests wait on with deadlines.
 *
 * @module
 */

/** Options for {@link LineWaiter.waitFor}. */
export interface WaitOptions {
  /** Deadline in ms. */
  readonly timeoutMs: number;
  /** What is awaited, for the timeout message. */
  readonly what?: string;
  /** Also consider lines that arrived before the call. @default false */
  readonly fromStart?: boolean;
  /** Only consider lines from this index on. */
  readonly fromIndex?: number;
}

interface Waiter {
  readonly test: (line: string) => boolean;
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
}

/** Lines with deadline-bounded waiting. */
export class LineWaiter {
  readonly #lines: string[] = [];
  readonly #waiters = new Set<Waiter>();
  #closed = false;

  /** All lines so far. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** All lines joined with newlines. */
  get text(): string {
    return this.#lines.join("\n");
  }

  /**
   * Append a line and wake matching waiters.
   *
   * @param line The line.
   */
  push(line: string): void {
    this.#lines.push(line);
    for (const w of this.#waiters) {
      if (w.test(line)) {
        this.#waiters.delete(w);
        w.resolve(line);
      }
    }
  }

  /** No more lines will come: fail all waiters. */
  close(): void {
    this.#closed = true;
    for (const w of this.#waiters) w.reject(new Error("the stream ended"));
    this.#waiters.clear();
  }

  /**
   * Wait for a line matching `pattern`.
   *
   * @param pattern Regular expression, substring or predicate.
   * @param options Deadline and scope.
   * @returns The matching line.
   * @throws {Error} On timeout or end of stream, with the last lines.
   */
  waitFor(
    pattern: RegExp | string | ((line: string) => boolean),
    options: WaitOptions,
  ): Promise<string> {
    const test = typeof pattern === "function"
      ? pattern
      : typeof pattern === "string"
      ? (l: string) => l.includes(pattern)
      : (l: string) => pattern.test(l);
    const start = options.fromIndex ?? (options.fromStart ? 0 : this.#lines.length);
    for (let i = start; i < this.#lines.length; i++) {
      if (test(this.#lines[i]!)) return Promise.resolve(this.#lines[i]!);
    }
    const what = options.what ?? String(pattern);
    if (this.#closed) return Promise.reject(new Error(`stream ended while waiting for ${what}`));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const tail = this.#lines.slice(-15).join("\n");
        reject(
          new Error(
            `timed out after ${options.timeoutMs} ms waiting for ${what}; last lines:\n${tail}`,
          ),
        );
      }, options.timeoutMs);
      const waiter: Waiter = {
        test,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(new Error(`${error.message} while waiting for ${what}`));
        },
      };
      this.#waiters.add(waiter);
    });
  }
}
