/**
 * The main isolate's handle on one shard worker: start its BMCs, forward a
 * request and get the shard's response (its body streamed across), close.
 *
 * @module
 */

import type { BmcBanner, ForwardedEvent, FromShard, ShardInit, ToShard } from "./protocol.ts";

/** A shard that could not start its BMCs. */
export class ShardStartError extends Error {
  override readonly name = "ShardStartError";

  /**
   * @param message Why.
   * @param refused A BMC was refused as configured (a usage error, not a failure).
   */
  constructor(message: string, readonly refused: boolean) {
    super(message);
  }
}

/**
 * A shard whose worker failed: it cannot answer for its BMCs (the API says
 * 503; the failure itself was logged once, when it happened).
 */
export class ShardDownError extends Error {
  override readonly name = "ShardDownError";
}

/** What the main isolate does with a shard's output. */
export interface ShardSinks {
  /** Events published on the shard's bus. */
  readonly events: (events: readonly ForwardedEvent[]) => void;
  /** The shard's log lines. */
  readonly log: (line: string) => void;
}

/** How a shard is run. */
export interface ShardClientOptions {
  /** The worker module. @default the shard worker (`shard_worker.ts`) */
  readonly workerUrl?: URL;
}

type Pending = {
  readonly resolve: (response: Response) => void;
  readonly reject: (error: Error) => void;
};

/** One shard worker. */
export class ShardClient {
  /** Shard number (0-based). */
  readonly index: number;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  /** Ends each response body still streaming from the shard. */
  readonly #streams = new Set<(error: Error) => void>();
  #nextId = 1;
  #started: { resolve: (b: readonly BmcBanner[]) => void; reject: (e: Error) => void } | null =
    null;
  #closed: (() => void) | null = null;
  #dead = false;
  readonly #failure = Promise.withResolvers<Error>();

  /**
   * Spawn the worker (it waits for {@link start}).
   *
   * @param index Shard number.
   * @param sinks Where its events and log lines go.
   * @param options The worker module.
   */
  constructor(index: number, sinks: ShardSinks, options: ShardClientOptions = {}) {
    this.index = index;
    const url = options.workerUrl ?? new URL("./shard_worker.ts", import.meta.url);
    this.#worker = new Worker(url.href, { type: "module", name: `shard-${index}` });
    this.#worker.onmessage = (e: MessageEvent<FromShard>) => this.#receive(e.data, sinks);
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(new ShardDownError(`Shard ${index} failed: ${e.message}`));
    };
  }

  /**
   * Settles with the error when the worker fails (an uncaught exception in
   * it), which leaves its BMCs unanswered: every request to it is refused
   * from then on. Never settles for a shard that is closed.
   */
  get failure(): Promise<Error> {
    return this.#failure.promise;
  }

  #post(message: ToShard, transfer: Transferable[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #receive(message: FromShard, sinks: ShardSinks): void {
    switch (message.kind) {
      case "events":
        sinks.events(message.events);
        return;
      case "log":
        sinks.log(message.line);
        return;
      case "started":
        this.#started?.resolve(message.bmcs);
        this.#started = null;
        return;
      case "failed":
        this.#started?.reject(new ShardStartError(message.message, message.refused));
        this.#started = null;
        return;
      case "response": {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        const body = message.body === null ? null : this.#endedWithShard(message.body);
        pending?.resolve(new Response(body, { status: message.status, headers: message.headers }));
        return;
      }
      case "response-failed": {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        pending?.reject(new Error(`Shard ${this.index}: ${message.message}`));
        return;
      }
      case "closed":
        this.#closed?.();
    }
  }

  /**
   * A response body from the shard that ends with the shard's error if the
   * worker fails (or is terminated) first: a body transferred from a dead
   * worker never ends by itself, so an event stream's client would wait forever.
   */
  #endedWithShard(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    const streams = this.#streams;
    let end: (error: Error) => void = () => {};
    return new ReadableStream<Uint8Array>({
      start(controller) {
        end = (error) => {
          streams.delete(end);
          controller.error(error);
          reader.cancel(error).catch(() => {});
        };
        streams.add(end);
      },
      async pull(controller) {
        try {
          const next = await reader.read();
          if (!streams.has(end)) return; // ended by the shard's failure meanwhile
          if (next.done) {
            streams.delete(end);
            controller.close();
          } else controller.enqueue(next.value);
        } catch (error) {
          if (streams.has(end)) end(error instanceof Error ? error : new Error(String(error)));
        }
      },
      cancel(reason) {
        streams.delete(end);
        return reader.cancel(reason);
      },
    });
  }

  #endStreams(error: Error): void {
    for (const end of [...this.#streams]) end(error);
  }

  #fail(error: Error): void {
    this.#dead = true;
    this.#endStreams(error);
    this.#failure.resolve(error);
    this.#started?.reject(error);
    this.#started = null;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
    this.#closed?.();
  }

  /**
   * Start the shard's BMCs.
   *
   * @param init Its BMCs and settings.
   * @returns What to print about each BMC.
   * @throws {ShardStartError} When a BMC does not start.
   */
  start(init: Omit<ShardInit, "kind" | "index">): Promise<readonly BmcBanner[]> {
    return new Promise((resolve, reject) => {
      this.#started = { resolve, reject };
      this.#post({ kind: "start", index: this.index, ...init });
    });
  }

  /**
   * Forward a request to the shard's API app.
   *
   * @param request The request (its body is read here; the API limits it).
   * @returns The shard's response; its body streams from the shard.
   * @throws {ShardDownError} When the shard's worker failed.
   * @throws {Error} When the shard cannot answer.
   */
  async fetch(request: Request): Promise<Response> {
    if (this.#dead) throw new ShardDownError(`Shard ${this.index} is not running`);
    const body = request.body === null ? null : await request.arrayBuffer();
    const id = this.#nextId++;
    const signal = request.signal;
    const onAbort = () => this.#post({ kind: "abort", id });
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await new Promise<Response>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        this.#post({
          kind: "request",
          id,
          method: request.method,
          url: request.url,
          headers: [...request.headers],
          body,
        }, body === null ? [] : [body]);
      });
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Whether the shard sends its high-volume events (IPMI exchanges, sensor
   * readings) as well as the rest.
   *
   * @param on Send them.
   */
  forwardChatty(on: boolean): void {
    this.#post({ kind: "forward-chatty", on });
  }

  /** Close the shard's BMCs and end the worker. */
  async close(): Promise<void> {
    if (!this.#dead) {
      await new Promise<void>((resolve) => {
        this.#closed = resolve;
        this.#post({ kind: "close" });
      });
    }
    this.#dead = true;
    this.#worker.terminate();
    this.#endStreams(new ShardDownError(`Shard ${this.index} is not running`));
  }
}
