/**
 * A state store that keeps everything in memory (`--ephemeral`, tests).
 *
 * @module
 */

import type { StateStore, StoredSelRecord } from "../core/ports.ts";

/** In-memory {@link StateStore}. */
export class MemoryStore implements StateStore {
  /** Always `memory`. */
  readonly location = "memory";
  readonly #sel = new Map<number, Uint8Array>();
  readonly #values = new Map<string, string>();

  /** SEL records in id order. */
  selRecords(): StoredSelRecord[] {
    return [...this.#sel].sort(([a], [b]) => a - b).map(([id, bytes]) => ({
      id,
      bytes: bytes.slice(),
    }));
  }

  /** Store a record. */
  addSelRecord(record: StoredSelRecord): void {
    this.#sel.set(record.id, record.bytes.slice());
  }

  /** Delete a record. */
  deleteSelRecord(id: number): void {
    this.#sel.delete(id);
  }

  /** Delete all records. */
  clearSel(): void {
    this.#sel.clear();
  }

  /** Read a value. */
  getValue(key: string): string | undefined {
    return this.#values.get(key);
  }

  /** Write a value. */
  setValue(key: string, value: string): void {
    this.#values.set(key, value);
  }

  /** Run `fn` (memory writes are atomic enough). */
  batch(fn: () => void): void {
    fn();
  }

  /** Nothing to release. */
  close(): void {}
}
