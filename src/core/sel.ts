/**
 * The System Event Log repository (IPMI v2.0 ch. 31): record ids that never
 * repeat until a clear, BMC-filled timestamps from the wall clock shifted by
 * Set SEL Time, reservations, capacity and overflow, all persisted through
 * the state store before a command is answered. A reservation stays valid
 * until the next Reserve SEL or a BMC reset (as in OpenIPMI), so a Clear SEL
 * status poll with the same reservation works; Delete and Clear require it.
 *
 * @module
 */

import type { Clock } from "../clock/clock.ts";
import { CompletionCode } from "../codec/constants.ts";
import { le16, le32, RECORD_FIRST, RECORD_LAST, Reservation, type Result } from "./command.ts";
import type { SelConfig } from "./config.ts";
import type { EventSink } from "./events.ts";
import type { StateStore, StoredSelRecord } from "./ports.ts";
import { decodeSelRecord, isTimestamped, SEL_RECORD_BYTES } from "./sel_record.ts";

const KEY_TIME_OFFSET = "sel.timeOffset";
const KEY_NEXT_ID = "sel.nextId";
const KEY_LAST_ADD = "sel.lastAdd";
const KEY_LAST_ERASE = "sel.lastErase";
const KEY_OVERFLOW = "sel.overflow";

function err<T>(cc: number): Result<T> {
  return { ok: false, cc };
}

function done<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Get SEL Info fields. */
export interface SelInfo {
  /** Number of records. */
  readonly entries: number;
  /** Free bytes. */
  readonly freeBytes: number;
  /** Timestamp of the most recent addition (0 = never). */
  readonly lastAdd: number;
  /** Timestamp of the most recent erase (0 = never). */
  readonly lastErase: number;
  /** Whether an add was lost because the SEL was full. */
  readonly overflow: boolean;
}

/** The SEL of one BMC. */
export class Sel {
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #config: SelConfig;
  readonly #events: EventSink;
  readonly #records: StoredSelRecord[];
  readonly #reservation = new Reservation();

  /**
   * Load the SEL from the store.
   *
   * @param deps Store, clock, policy and event sink.
   */
  constructor(deps: {
    store: StateStore;
    clock: Clock;
    config: SelConfig;
    events: EventSink;
  }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#config = deps.config;
    this.#events = deps.events;
    this.#records = this.#store.selRecords();
  }

  /** Number of records. */
  get size(): number {
    return this.#records.length;
  }

  /** The SEL time in seconds: wall clock plus the Set SEL Time offset. */
  time(): number {
    const offset = Number(this.#store.getValue(KEY_TIME_OFFSET) ?? "0");
    return Math.floor(this.#clock.wallMs() / 1000) + offset;
  }

  /**
   * Set the SEL time (stores the offset from the wall clock).
   *
   * @param seconds New SEL time.
   */
  setTime(seconds: number): void {
    const offset = seconds - Math.floor(this.#clock.wallMs() / 1000);
    this.#store.setValue(KEY_TIME_OFFSET, String(offset));
  }

  /** Get SEL Info fields. */
  info(): SelInfo {
    return {
      entries: this.#records.length,
      freeBytes: Math.min(
        0xffff,
        (this.#config.capacity - this.#records.length) * SEL_RECORD_BYTES,
      ),
      lastAdd: Number(this.#store.getValue(KEY_LAST_ADD) ?? "0"),
      lastErase: Number(this.#store.getValue(KEY_LAST_ERASE) ?? "0"),
      overflow: this.#store.getValue(KEY_OVERFLOW) === "1",
    };
  }

  /** Capacity in records. */
  get capacity(): number {
    return this.#config.capacity;
  }

  /** Start a new reservation, cancelling the previous one. */
  reserve(): number {
    return this.#reservation.reserve();
  }

  /** Cancel the current reservation (BMC reset). */
  cancelReservation(): void {
    this.#reservation.cancel();
  }

  /**
   * Whether `id` is the current reservation.
   *
   * @param id Reservation id from a request.
   * @returns `true` if valid.
   */
  reservationValid(id: number): boolean {
    return this.#reservation.valid(id);
  }

  /**
   * Add a record: assigns the id and, for timestamped types, the time.
   *
   * @param bytes 16 record bytes (id and timestamp fields are overwritten).
   * @param source Who added it (for the event).
   * @returns The stored record, or cc 0xC4 when full and rejecting.
   */
  add(bytes: Uint8Array, source: string): Result<StoredSelRecord> {
    let result: Result<StoredSelRecord> = err(CompletionCode.Unspecified);
    this.#store.batch(() => {
      result = this.#add(bytes, source);
    });
    return result;
  }

  #add(bytes: Uint8Array, source: string): Result<StoredSelRecord> {
    if (this.#records.length >= this.#config.capacity) {
      this.#store.setValue(KEY_OVERFLOW, "1");
      if (this.#config.whenFull === "reject" || this.#records.length === 0) {
        this.#events.emit("sel.full", { capacity: this.#config.capacity, source });
        return err(CompletionCode.OutOfSpace);
      }
      const oldest = this.#records.shift()!;
      this.#store.deleteSelRecord(oldest.id);
      this.#events.emit("sel.deleted", { recordId: oldest.id, reason: "overwritten" });
    }
    const id = this.#allocateId();
    const record = bytes.slice(0, SEL_RECORD_BYTES);
    record.set(le16(id), 0);
    const now = this.time();
    if (isTimestamped(record[2]!)) record.set(le32(now), 3);
    const stored = { id, bytes: record };
    this.#store.addSelRecord(stored);
    this.#store.setValue(KEY_LAST_ADD, String(now));
    this.#records.push(stored);
    this.#events.emit("sel.added", { source, record: decodeSelRecord(record) });
    return done(stored);
  }

  #allocateId(): number {
    let next = Number(this.#store.getValue(KEY_NEXT_ID) ?? "1");
    if (next < 1 || next >= RECORD_LAST) next = this.#lowestFreeId();
    this.#store.setValue(KEY_NEXT_ID, String(next + 1));
    return next;
  }

  #lowestFreeId(): number {
    const used = new Set(this.#records.map((r) => r.id));
    let id = 1;
    while (used.has(id)) id++;
    return id;
  }

  #indexOf(id: number): number {
    if (this.#records.length === 0) return -1;
    if (id === RECORD_FIRST) return 0;
    if (id === RECORD_LAST) return this.#records.length - 1;
    return this.#records.findIndex((r) => r.id === id);
  }

  /**
   * Get SEL Entry: a record, or part of one.
   *
   * @param req Reservation, record id, offset and count (0xFF = all).
   * @returns Next record id and the bytes read.
   */
  get(req: {
    reservation: number;
    recordId: number;
    offset: number;
    count: number;
  }): Result<{ next: number; bytes: Uint8Array }> {
    const checked = req.offset !== 0 || req.reservation !== 0;
    if (checked && !this.reservationValid(req.reservation)) {
      return err(CompletionCode.ReservationCancelled);
    }
    const index = this.#indexOf(req.recordId);
    if (index < 0) return err(CompletionCode.NotPresent);
    if (req.offset >= SEL_RECORD_BYTES) return err(CompletionCode.ParameterOutOfRange);
    const record = this.#records[index]!;
    const end = req.count === 0xff
      ? SEL_RECORD_BYTES
      : Math.min(SEL_RECORD_BYTES, req.offset + req.count);
    const next = this.#records[index + 1]?.id ?? RECORD_LAST;
    return done({ next, bytes: record.bytes.subarray(req.offset, end) });
  }

  /** All records in id order (API). */
  records(): readonly StoredSelRecord[] {
    return this.#records;
  }

  /**
   * Delete one record (a valid reservation is required from the host;
   * `reservation` `null` skips the check for the control API).
   *
   * @param reservation Reservation id, or `null` for the API.
   * @param recordId Record id (0000 first, FFFF last).
   * @returns The deleted record id.
   */
  delete(reservation: number | null, recordId: number): Result<number> {
    if (reservation !== null && !this.reservationValid(reservation)) {
      return err(CompletionCode.ReservationCancelled);
    }
    const index = this.#indexOf(recordId);
    if (index < 0) return err(CompletionCode.NotPresent);
    const [record] = this.#records.splice(index, 1);
    this.#store.batch(() => {
      this.#store.deleteSelRecord(record!.id);
      this.#store.setValue(KEY_LAST_ERASE, String(this.time()));
    });
    this.#events.emit("sel.deleted", { recordId: record!.id, reason: "deleted" });
    return done(record!.id);
  }

  /**
   * Clear the SEL (erasure completes at once).
   *
   * @param reservation Reservation id, or `null` for the API.
   * @returns Completion.
   */
  clear(reservation: number | null): Result<void> {
    if (reservation !== null && !this.reservationValid(reservation)) {
      return err(CompletionCode.ReservationCancelled);
    }
    const removed = this.#records.length;
    this.#records.length = 0;
    this.#store.batch(() => {
      this.#store.clearSel();
      this.#store.setValue(KEY_NEXT_ID, "1");
      this.#store.setValue(KEY_OVERFLOW, "0");
      this.#store.setValue(KEY_LAST_ERASE, String(this.time()));
    });
    this.#events.emit("sel.cleared", { removed });
    return done(undefined);
  }
}
