/**
 * The persistent state store: one SQLite database per BMC (`node:sqlite`,
 * built into Deno) in WAL mode. Every change is one transaction, committed
 * before the guest's command is answered, so it survives `kill -9`.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { StateStore, StoredSelRecord } from "../core/ports.ts";
import { errorMessage } from "../util/error_message.ts";

/** Schema version written to the database. */
const SCHEMA_VERSION = "1";

/**
 * SQLite's `synchronous` settings that keep a WAL database consistent:
 * `NORMAL` survives a killed process, `FULL` also a lost host (power, kernel
 * panic) at the cost of one fsync per commit.
 */
export type Synchronous = "NORMAL" | "FULL";

/** The setting used unless told otherwise (see README "SEL and persistent state"). */
export const DEFAULT_SYNCHRONOUS: Synchronous = "FULL";

/** A state file that cannot be used; the BMC refuses to start. */
export class StateFileError extends Error {
  /** Path of the state file. */
  readonly path: string;

  /**
   * Create the error.
   *
   * @param path State file.
   * @param problem What is wrong.
   * @param cause Underlying error.
   */
  constructor(path: string, problem: string, cause?: unknown) {
    super(
      `Cannot use state file "${path}": ${problem}; refusing to start rather than discard its data (move it away to start empty)`,
      { cause },
    );
    this.name = "StateFileError";
    this.path = path;
  }
}

/** SQLite-backed {@link StateStore}. */
export class SqliteStore implements StateStore {
  /** Database path. */
  readonly location: string;
  readonly #db: DatabaseSync;
  readonly #insertSel: StatementSync;
  readonly #deleteSel: StatementSync;
  readonly #getValue: StatementSync;
  readonly #values = new Map<string, string | undefined>();
  #inTransaction = false;
  readonly #setValue: StatementSync;
  /** Inside {@link batch} (nested batches join the outer one). */
  #inBatch = false;

  private constructor(path: string, db: DatabaseSync) {
    this.location = path;
    this.#db = db;
    this.#insertSel = db.prepare("INSERT OR REPLACE INTO sel (id, bytes) VALUES (?, ?)");
    this.#deleteSel = db.prepare("DELETE FROM sel WHERE id = ?");
    this.#getValue = db.prepare("SELECT value FROM kv WHERE key = ?");
    this.#setValue = db.prepare("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)");
  }

  /**
   * Open (or create) a state database and check it.
   *
   * @param path Database file.
   * @param options When commits reach the disk. @default DEFAULT_SYNCHRONOUS
   * @returns The store.
   * @throws {StateFileError} If the file is unreadable, corrupt or from an
   *   incompatible version.
   */
  static open(
    path: string,
    options: { readonly synchronous?: Synchronous } = {},
  ): SqliteStore {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
    } catch (error) {
      throw new StateFileError(path, `cannot be opened (${errorMessage(error)})`, error);
    }
    try {
      const check = db.prepare("PRAGMA quick_check").get() as { quick_check?: string } | undefined;
      if (check?.quick_check !== "ok") {
        throw new Error(`integrity check failed: ${check?.quick_check ?? "no result"}`);
      }
      db.exec("PRAGMA journal_mode = WAL");
      db.exec(`PRAGMA synchronous = ${options.synchronous ?? DEFAULT_SYNCHRONOUS}`);
      db.exec(`
        CREATE TABLE IF NOT EXISTS sel (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      `);
      const version = db.prepare("SELECT value FROM kv WHERE key = 'schema'").get() as
        | { value: string }
        | undefined;
      if (version === undefined) {
        db.prepare("INSERT INTO kv (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
      } else if (version.value !== SCHEMA_VERSION) {
        throw new Error(
          `schema version ${version.value} is not supported (expected ${SCHEMA_VERSION})`,
        );
      }
      for (const row of db.prepare("SELECT id, bytes FROM sel").all()) {
        const bytes = (row as { bytes: unknown }).bytes;
        if (!(bytes instanceof Uint8Array) || bytes.length !== 16) {
          throw new Error(`SEL record ${(row as { id: unknown }).id} is not 16 bytes`);
        }
      }
    } catch (error) {
      db.close();
      throw new StateFileError(
        path,
        `is corrupt or not a bmc-emu state file (${errorMessage(error)})`,
        error,
      );
    }
    return new SqliteStore(path, db);
  }

  /** SEL records in id order. */
  selRecords(): StoredSelRecord[] {
    return this.#db.prepare("SELECT id, bytes FROM sel ORDER BY id").all().map((row) => {
      const r = row as { id: number; bytes: Uint8Array };
      return { id: r.id, bytes: new Uint8Array(r.bytes) };
    });
  }

  /** Store a record. */
  addSelRecord(record: StoredSelRecord): void {
    this.#write();
    this.#insertSel.run(record.id, record.bytes);
  }

  /** Delete a record. */
  deleteSelRecord(id: number): void {
    this.#write();
    this.#deleteSel.run(id);
  }

  /** Delete all records. */
  clearSel(): void {
    this.#write();
    this.#db.exec("DELETE FROM sel");
  }

  /** Read a value (from memory after the first read: this process is the file's only writer). */
  getValue(key: string): string | undefined {
    if (this.#values.has(key)) return this.#values.get(key);
    const row = this.#getValue.get(key) as { value: string } | undefined;
    this.#values.set(key, row?.value);
    return row?.value;
  }

  /** Write a value (nothing is written when it is unchanged). */
  setValue(key: string, value: string): void {
    if (this.getValue(key) === value) return;
    this.#write();
    this.#setValue.run(key, value);
    this.#values.set(key, value);
  }

  /** Begin the batch's transaction before its first write. */
  #write(): void {
    if (this.#inBatch && !this.#inTransaction) {
      this.#db.exec("BEGIN IMMEDIATE");
      this.#inTransaction = true;
    }
  }

  /**
   * Run `fn` as one transaction (nested calls join the outer one); a batch
   * that writes nothing costs no transaction.
   *
   * @param fn Writes.
   */
  batch(fn: () => void): void {
    if (this.#inBatch) {
      fn();
      return;
    }
    this.#inBatch = true;
    try {
      fn();
      if (this.#inTransaction) this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#inTransaction) {
        this.#db.exec("ROLLBACK");
        this.#values.clear();
      }
      throw error;
    } finally {
      this.#inTransaction = false;
      this.#inBatch = false;
    }
  }

  /** Close the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
