/**
 * All BMCs of this process by id.
 *
 * @module
 */

import type { BmcRuntime } from "./bmc_runtime.ts";

/** The BMCs one process serves. */
export class Registry {
  readonly #byId = new Map<string, BmcRuntime>();

  /**
   * Add a running BMC.
   *
   * @param runtime The BMC.
   * @throws {RangeError} If the id is taken.
   */
  add(runtime: BmcRuntime): void {
    if (this.#byId.has(runtime.id)) {
      throw new RangeError(`Cannot add BMC "${runtime.id}": the id is already used`);
    }
    this.#byId.set(runtime.id, runtime);
  }

  /**
   * Find a BMC.
   *
   * @param id BMC id.
   * @returns The BMC, or `undefined`.
   */
  get(id: string): BmcRuntime | undefined {
    return this.#byId.get(id);
  }

  /**
   * Take a BMC out (the caller closes it).
   *
   * @param id BMC id.
   * @returns The BMC, or `undefined` when there is none with that id.
   */
  remove(id: string): BmcRuntime | undefined {
    const runtime = this.#byId.get(id);
    this.#byId.delete(id);
    return runtime;
  }

  /** All BMCs in insertion order. */
  list(): BmcRuntime[] {
    return [...this.#byId.values()];
  }

  /** Number of BMCs. */
  get size(): number {
    return this.#byId.size;
  }

  /** Close every BMC. */
  async closeAll(): Promise<void> {
    await Promise.all(this.list().map((r) => r.close()));
    this.#byId.clear();
  }
}
