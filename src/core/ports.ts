/**
 * The ports of the BMC core: what it asks of the world. Implementations live
 * at the edges (the VM session, power backends, the state store, the event
 * bus); the core only ever sees these interfaces.
 *
 * @module
 */

/** Attention states of the system interface (VM commands `00`/`01`/`02`). */
export const ATTENTION_STATES = ["none", "attn", "attn-irq"] as const;

/** Attention state of the system interface. */
export type Attention = typeof ATTENTION_STATES[number];

/** Disruptive actions the BMC can ask QEMU to perform on the VM. */
export const HOST_ACTIONS = ["nmi", "reset", "power-off", "graceful-shutdown"] as const;

/** A host action. */
export type HostAction = typeof HOST_ACTIONS[number];

/** What became of a host action. */
export type HostActionOutcome = "sent" | "unsupported" | "disconnected";

/**
 * The link to the VM's BMC interface (one per BMC): QEMU through the VM
 * protocol. Sends nothing QEMU did not advertise; reports instead.
 */
export interface HostLink {
  /** Capability bits QEMU advertised, or `null` while no VM is connected. */
  capabilities(): number | null;
  /** Announce a changed attention state (`NOATTN`/`ATTN`/`ATTN_IRQ`). */
  setAttention(attention: Attention): void;
  /** Announce a changed interface-interrupt enable (`ENABLE_IRQ`/`DISABLE_IRQ`). */
  setIrqEnabled(enabled: boolean): void;
  /**
   * Perform a host action; it goes out after the response to the request
   * being handled, if any.
   *
   * @param action The action.
   * @returns Whether it was sent, and why not.
   */
  act(action: HostAction): HostActionOutcome;
  /**
   * Close the VM connection (a BMC reset in `disconnect` mode).
   *
   * @param reason Why, for the log.
   */
  disconnect(reason: string): void;
}

/** Chassis power operations a backend may perform. */
export const POWER_OPS = ["on", "off", "cycle", "reset", "soft-off", "diag"] as const;

/** A chassis power operation. */
export type PowerOp = typeof POWER_OPS[number];

/** Whether a power operation is possible now, and why not. */
export type PowerCheck = { readonly ok: true } | {
  readonly ok: false;
  readonly reason: string;
};

/** What a power backend reports about the VM it observes. */
export interface PowerObserver {
  /**
   * The VM's power state changed without the BMC asking (or confirming it).
   *
   * @param power New state.
   * @param cause What was observed.
   */
  powerObserved(power: "on" | "off", cause: string): void;
  /**
   * The VM was reset without the BMC asking (a guest reboot).
   *
   * @param cause What was observed.
   */
  hostResetObserved(cause: string): void;
}

/**
 * How the chassis model acts on the VM: `vm` (VM protocol commands only) or
 * `qmp` (QEMU's monitor, able to pause and resume).
 */
export interface PowerBackend {
  /** Backend name shown in state (`vm`, `qmp`). */
  readonly kind: string;
  /**
   * Whether `op` can be performed now.
   *
   * @param op The operation.
   * @returns `{ ok: true }` or the reason it cannot.
   */
  check(op: PowerOp): PowerCheck;
  /**
   * Perform `op` (asynchronously at the edge; results come back as power
   * notifications to the chassis model).
   *
   * @param op The operation, already checked.
   */
  perform(op: PowerOp): void;
  /**
   * Register the observer of power changes the backend sees (optional:
   * backends that cannot observe the VM do not implement it).
   *
   * @param observer The BMC's observer.
   */
  observe?(observer: PowerObserver): void;
}

/** A record the SEL keeps: its id and the 16 stored bytes. */
export interface StoredSelRecord {
  /** Record id (also bytes 0–1 of `bytes`). */
  readonly id: number;
  /** The full 16-byte record. */
  readonly bytes: Uint8Array;
}

/**
 * What survives a restart of bmc-emu (SEL, SEL time offset, power restore
 * policy, FRU writes, …). Every write is durable when the call returns, so a
 * write acknowledged to the guest has reached the store.
 */
export interface StateStore {
  /** Human description (`memory`, or the database path). */
  readonly location: string;
  /** All SEL records in id order. */
  selRecords(): StoredSelRecord[];
  /** Store a new SEL record. */
  addSelRecord(record: StoredSelRecord): void;
  /** Delete one SEL record. */
  deleteSelRecord(id: number): void;
  /** Delete every SEL record. */
  clearSel(): void;
  /** Read a small named value (`undefined` if never written). */
  getValue(key: string): string | undefined;
  /** Write a small named value. */
  setValue(key: string, value: string): void;
  /**
   * Run `fn` as one durable unit (one transaction).
   *
   * @param fn Writes to group.
   */
  batch(fn: () => void): void;
  /** Release resources. */
  close(): void;
}
