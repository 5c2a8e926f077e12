/**
 * The shards of one `serve --workers N` process and which BMC lives in
 * which: BMCs in the order they were started or added, the shard with the
 * fewest BMCs for the next one, a request sent to every shard, and a log
 * line when a shard's worker fails at run time.
 *
 * @module
 */

import type { Logger } from "../../log/logger.ts";
import type { ShardClient } from "./shard_client.ts";

/** The shards and the BMCs' owners. */
export class ShardSet {
  /** The shards. */
  readonly shards: readonly ShardClient[];
  readonly #owners = new Map<string, ShardClient>();
  readonly #log: Logger;
  #streams = 0;

  /**
   * @param shards The running shards (at least one).
   * @param log Where a shard's failure is reported.
   */
  constructor(shards: readonly ShardClient[], log: Logger) {
    if (shards.length === 0) throw new RangeError("A shard set needs at least one shard");
    this.shards = shards;
    this.#log = log;
    for (const shard of shards) {
      void shard.failure.then((error) => this.#reportFailure(shard, error));
    }
  }

  #reportFailure(shard: ShardClient, error: Error): void {
    const bmcs = this.bmcsOf(shard).length;
    this.#log.error(
      `Shard ${shard.index} worker failed; its ${bmcs} BMC${
        bmcs === 1 ? "" : "s"
      } answer with an error from now on`,
      { shard: shard.index, error: error.message, bmcs },
    );
  }

  /**
   * Record that `shard` runs the BMC `id`.
   *
   * @param id BMC id.
   * @param shard Its shard.
   */
  assign(id: string, shard: ShardClient): void {
    this.#owners.set(id, shard);
  }

  /**
   * The shard running a BMC.
   *
   * @param id BMC id.
   * @returns The shard, or `undefined`.
   */
  owner(id: string): ShardClient | undefined {
    return this.#owners.get(id);
  }

  /**
   * Forget a removed BMC.
   *
   * @param id BMC id.
   */
  drop(id: string): void {
    this.#owners.delete(id);
  }

  /**
   * The BMCs a shard runs.
   *
   * @param shard The shard.
   * @returns Their ids, in the order they started.
   */
  bmcsOf(shard: ShardClient): string[] {
    return [...this.#owners].filter(([, s]) => s === shard).map(([id]) => id);
  }

  /** BMC ids in the order they started. */
  ids(): string[] {
    return [...this.#owners.keys()];
  }

  /** The shard with the fewest BMCs (the first of equals). */
  leastLoaded(): ShardClient {
    const load = new Map(this.shards.map((s) => [s, 0]));
    for (const s of this.#owners.values()) load.set(s, load.get(s)! + 1);
    return this.shards.reduce((best, s) => load.get(s)! < load.get(best)! ? s : best);
  }

  /**
   * Send `GET path` to every shard.
   *
   * @param origin Request URL origin (`http://host:port`).
   * @param path Path and query.
   * @param headers Headers to pass on.
   * @returns The responses, in shard order.
   */
  getAll(origin: string, path: string, headers: Headers): Promise<Response[]> {
    return Promise.all(
      this.shards.map((s) => s.fetch(new Request(new URL(path, origin), { headers }))),
    );
  }

  /**
   * A process-wide event stream opens: the shards forward every event type
   * until the last one closes.
   *
   * @returns Call when it closes (once or more).
   */
  openStream(): () => void {
    if (this.#streams++ === 0) { for (const s of this.shards) s.forwardChatty(true); }
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      if (--this.#streams === 0) { for (const s of this.shards) s.forwardChatty(false); }
    };
  }

  /** Close every shard. */
  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.close()));
    this.#owners.clear();
  }
}
