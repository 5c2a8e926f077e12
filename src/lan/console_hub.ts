/**
 * A BMC's serial console endpoint: QEMU's guest serial port reaches it as a
 * socket chardev (`-chardev socket,…` + `-serial chardev:…`), bmc-emu
 * listens. What the guest prints is kept in a bounded ring, appended to a
 * bounded log file, and fanned out to subscribers (the SOL payload, the
 * API); what a subscriber writes goes to the guest.
 *
 * @module
 */

import type { Logger } from "../log/logger.ts";
import { describeAddr, type Endpoint, formatEndpoint } from "../transport/endpoint.ts";
import { listenEndpoint } from "../transport/listen_endpoint.ts";
import { errorMessage } from "../util/error_message.ts";

/** Options of a console hub. */
export interface ConsoleHubOptions {
  /** Logger. */
  readonly log: Logger;
  /** File the console is appended to, or `null`. */
  readonly logFile?: string | null;
  /** Bytes kept in memory. @default 65536 */
  readonly ringBytes?: number;
  /** Size at which the log file is rotated to `<file>.1`. @default 4 MiB */
  readonly logFileBytes?: number;
}

/** Receives guest output. */
export type ConsoleListener = (bytes: Uint8Array) => void;

/** The console of one BMC. */
export class ConsoleHub {
  readonly #log: Logger;
  readonly #ring: Uint8Array;
  #ringStart = 0;
  #ringLength = 0;
  readonly #listeners = new Set<ConsoleListener>();
  readonly #logFile: string | null;
  readonly #logFileBytes: number;
  #logFileSize = 0;
  #fileChain: Promise<void> = Promise.resolve();
  #filePending = 0;
  #listener: Deno.Listener | null = null;
  #conn: Deno.Conn | null = null;
  #loop: Promise<void> | null = null;
  #endpoint: Endpoint | null = null;
  #closed = false;
  /** Bytes received from the guest. */
  bytesIn = 0;
  /** Bytes written to the guest. */
  bytesOut = 0;

  /**
   * Create a hub with no endpoint (tests feed it with {@link ConsoleHub.receive}).
   *
   * @param options Logger, log file and sizes.
   */
  constructor(options: ConsoleHubOptions) {
    this.#log = options.log;
    this.#ring = new Uint8Array(options.ringBytes ?? 65536);
    this.#logFile = options.logFile ?? null;
    this.#logFileBytes = options.logFileBytes ?? 4 * 1024 * 1024;
  }

  /**
   * Listen for QEMU's chardev on `endpoint`.
   *
   * @param endpoint Where to listen.
   * @throws {Deno.errors.AddrInUse} And other listen errors.
   */
  async listen(endpoint: Endpoint): Promise<void> {
    const listener = await listenEndpoint(endpoint);
    this.#listener = listener;
    const addr = listener.addr;
    this.#endpoint = endpoint.transport === "tcp" && addr.transport === "tcp"
      ? { ...endpoint, port: addr.port }
      : endpoint;
    this.#loop = this.#accept(listener);
  }

  /** The bound endpoint, or `null`. */
  get endpoint(): Endpoint | null {
    return this.#endpoint;
  }

  /** Whether a guest serial port is connected. */
  get connected(): boolean {
    return this.#conn !== null;
  }

  async #accept(listener: Deno.Listener): Promise<void> {
    const serving = new Set<Promise<void>>();
    while (!this.#closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        break;
      }
      // The newest connection wins (a restarted QEMU replaces a stale one).
      this.#conn?.close();
      this.#conn = conn;
      this.#log.info("console connected", {
        console: formatEndpoint(this.#endpoint!),
        peer: describeAddr(conn.remoteAddr),
      });
      const p = this.#read(conn).finally(() => serving.delete(p));
      serving.add(p);
    }
    await Promise.all(serving);
  }

  async #read(conn: Deno.Conn): Promise<void> {
    const buf = new Uint8Array(4096);
    try {
      while (true) {
        const n = await conn.read(buf);
        if (n === null) break;
        this.receive(buf.slice(0, n));
      }
    } catch (error) {
      if (!this.#closed) this.#log.debug("console read ended", { error: errorMessage(error) });
    }
    if (this.#conn === conn) {
      this.#conn = null;
      try {
        conn.close();
      } catch {
        // Already closed.
      }
      if (!this.#closed) this.#log.info("console disconnected");
    }
  }

  /**
   * Take guest output (from the socket, or a test).
   *
   * @param bytes Output.
   */
  receive(bytes: Uint8Array): void {
    this.bytesIn += bytes.length;
    this.#keep(bytes);
    this.#append(bytes);
    for (const l of this.#listeners) l(bytes);
  }

  #keep(bytes: Uint8Array): void {
    const cap = this.#ring.length;
    const src = bytes.length > cap ? bytes.subarray(bytes.length - cap) : bytes;
    for (const b of src) {
      this.#ring[(this.#ringStart + this.#ringLength) % cap] = b;
      if (this.#ringLength < cap) this.#ringLength++;
      else this.#ringStart = (this.#ringStart + 1) % cap;
    }
  }

  #append(bytes: Uint8Array): void {
    const file = this.#logFile;
    if (file === null || this.#filePending > 1024 * 1024) return;
    this.#filePending += bytes.length;
    this.#fileChain = this.#fileChain.then(async () => {
      try {
        if (this.#logFileSize + bytes.length > this.#logFileBytes) {
          await Deno.rename(file, `${file}.1`).catch(() => {});
          this.#logFileSize = 0;
        }
        await Deno.writeFile(file, bytes, { append: true });
        this.#logFileSize += bytes.length;
      } catch (error) {
        this.#log.debug("console log write failed", { error: errorMessage(error) });
      } finally {
        this.#filePending -= bytes.length;
      }
    });
  }

  /** What the ring holds, oldest first. */
  tail(): Uint8Array {
    const out = new Uint8Array(this.#ringLength);
    for (let i = 0; i < this.#ringLength; i++) {
      out[i] = this.#ring[(this.#ringStart + i) % this.#ring.length]!;
    }
    return out;
  }

  /**
   * Receive guest output as it arrives.
   *
   * @param listener Callback.
   * @returns Unsubscribe.
   */
  subscribe(listener: ConsoleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Send input to the guest.
   *
   * @param bytes Input.
   * @returns Whether a guest is connected (otherwise the input is dropped).
   */
  write(bytes: Uint8Array): boolean {
    const conn = this.#conn;
    if (conn === null) return false;
    this.bytesOut += bytes.length;
    conn.write(bytes).catch((error) => {
      this.#log.debug("console write failed", { error: errorMessage(error) });
    });
    return true;
  }

  /** Stop listening, disconnect, and finish pending log writes. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    try {
      this.#listener?.close();
    } catch {
      // Already closed.
    }
    try {
      this.#conn?.close();
    } catch {
      // Already closed.
    }
    this.#conn = null;
    await this.#loop;
    await this.#fileChain;
  }
}
