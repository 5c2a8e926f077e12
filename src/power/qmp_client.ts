/**
 * A minimal QEMU Machine Protocol client: greeting, capability negotiation,
 * commands matched to replies by id, and asynchronous events.
 *
 * @module
 */

import { dial, type Endpoint } from "../transport/endpoint.ts";

/** A QMP event. */
export interface QmpEvent {
  /** Event name (`RESET`, `SHUTDOWN`, `STOP`, …). */
  readonly event: string;
  /** Event data. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** An error reply from QEMU. */
export class QmpError extends Error {
  /** QMP error class (`GenericError`, `CommandNotFound`, …). */
  readonly errorClass: string;

  /**
   * Create the error.
   *
   * @param command Command that failed.
   * @param errorClass QMP error class.
   * @param description QEMU's description.
   */
  constructor(command: string, errorClass: string, description: string) {
    super(`QMP command ${command} failed: ${errorClass}: ${description}`);
    this.name = "QmpError";
    this.errorClass = errorClass;
  }
}

interface Pending {
  readonly command: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** One QMP connection. */
export class QmpClient {
  readonly #conn: Deno.Conn;
  readonly #onEvent: (event: QmpEvent) => void;
  readonly #pending = new Map<number, Pending>();
  readonly #encoder = new TextEncoder();
  #nextId = 1;
  #greeting: ((value: unknown) => void) | null = null;
  readonly #reader: Promise<void>;
  #closed = false;

  private constructor(conn: Deno.Conn, onEvent: (event: QmpEvent) => void) {
    this.#conn = conn;
    this.#onEvent = onEvent;
    this.#reader = this.#read();
  }

  /**
   * Connect, wait for the greeting and leave capability negotiation mode.
   *
   * @param endpoint QMP socket.
   * @param onEvent Receives asynchronous events.
   * @returns A ready client.
   */
  static async connect(endpoint: Endpoint, onEvent: (event: QmpEvent) => void): Promise<QmpClient> {
    const conn = await dial(endpoint);
    const client = new QmpClient(conn, onEvent);
    const greeted = new Promise((resolve) => client.#greeting = resolve);
    await Promise.race([
      greeted,
      client.#reader.then(() => Promise.reject(new Error("QMP closed before its greeting"))),
    ]);
    await client.execute("qmp_capabilities");
    return client;
  }

  /** Resolves when the connection has ended. */
  get closed(): Promise<void> {
    return this.#reader;
  }

  /**
   * Run a command.
   *
   * @param command Command name.
   * @param args Arguments.
   * @returns QEMU's `return` value.
   * @throws {QmpError} When QEMU answers with an error.
   */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error(`QMP is closed; cannot run ${command}`));
    const id = this.#nextId++;
    const message = JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) +
      "\r\n";
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { command, resolve, reject });
      this.#write(message).catch((error) => {
        this.#pending.delete(id);
        reject(error);
      });
    });
  }

  async #write(text: string): Promise<void> {
    const bytes = this.#encoder.encode(text);
    let offset = 0;
    while (offset < bytes.length) offset += await this.#conn.write(bytes.subarray(offset));
  }

  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    let rest = "";
    try {
      for await (const chunk of this.#conn.readable) {
        rest += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = rest.indexOf("\n")) >= 0) {
          const line = rest.slice(0, nl).trim();
          rest = rest.slice(nl + 1);
          if (line !== "") this.#onMessage(line);
        }
      }
    } catch {
      // Connection reset.
    }
    this.#closed = true;
    for (const p of this.#pending.values()) {
      p.reject(new Error(`QMP closed while ${p.command} ran`));
    }
    this.#pending.clear();
  }

  #onMessage(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    if ("QMP" in msg) {
      this.#greeting?.(msg);
      this.#greeting = null;
      return;
    }
    if (typeof msg.event === "string") {
      this.#onEvent({ event: msg.event, data: (msg.data ?? {}) as Record<string, unknown> });
      return;
    }
    const pending = typeof msg.id === "number" ? this.#pending.get(msg.id) : undefined;
    if (pending === undefined) return;
    this.#pending.delete(msg.id as number);
    if ("error" in msg) {
      const e = msg.error as { class?: string; desc?: string };
      pending.reject(new QmpError(pending.command, e.class ?? "Error", e.desc ?? ""));
    } else {
      pending.resolve(msg.return);
    }
  }

  /** Close the connection. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    await this.#reader;
  }
}
