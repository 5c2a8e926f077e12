/**
 * bmc-emu as a real subprocess (`deno run src/main.ts serve …`) on free
 * ports, with its JSON log captured and parsed, for end-to-end tests.
 *
 * @module
 */

import { fromFileUrl } from "../../src/util/file_url.ts";
import { type Endpoint, parseEndpoint } from "../../src/transport/endpoint.ts";
import { LineWaiter } from "../../src/guest/line_waiter.ts";
import { readLines } from "../../src/guest/read_lines.ts";
import { errorMessage } from "../../src/util/error_message.ts";

/** The CLI entry point. */
export const MAIN_TS: string = fromFileUrl(new URL("../../src/main.ts", import.meta.url));

/** Options for {@link BmcProcess.start}. */
export interface BmcProcessOptions {
  /** Extra `serve` arguments (`--profile`, `--state-dir`, `--config`, …). */
  readonly args?: readonly string[];
  /** VM endpoint to listen on. @default "tcp:127.0.0.1:0" */
  readonly vmListen?: string;
}

/** A parsed JSON log line. */
export type LogEntry = Readonly<Record<string, unknown>> & { readonly msg: string };

/** A running bmc-emu process. */
export class BmcProcess {
  /** Log lines (JSON text). */
  readonly log: LineWaiter = new LineWaiter();
  readonly #process: Deno.ChildProcess;
  readonly #status: Promise<Deno.CommandStatus>;
  readonly #readers: Promise<void>[] = [];
  #vmEndpoints = new Map<string, Endpoint>();
  #apiUrl: string | null = null;

  private constructor(process: Deno.ChildProcess) {
    this.#process = process;
    this.#status = process.status;
  }

  /**
   * Start `serve` and wait until its VM endpoint (and API, if any) listen.
   *
   * @param options Arguments.
   * @returns The running process.
   */
  static async start(options: BmcProcessOptions = {}): Promise<BmcProcess> {
    const extra = [...(options.args ?? [])];
    const hasState = extra.includes("--state-dir") || extra.includes("--config");
    const args = [
      "run",
      "-A",
      MAIN_TS,
      "serve",
      "--log-format",
      "json",
      "--log-level",
      "debug",
      ...(extra.includes("--config") ? [] : ["--vm-listen", options.vmListen ?? "tcp:127.0.0.1:0"]),
      ...(extra.includes("--api-listen") ? [] : ["--api-listen", "127.0.0.1:0"]),

      ...(hasState ? [] : ["--ephemeral"]),
      ...extra,
    ];
    const process = new Deno.Command(Deno.execPath(), {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const bmc = new BmcProcess(process);
    bmc.#readers.push(readLines(process.stderr, (line) => bmc.#onLog(line)));
    // Generous: a cold module cache or another deno holding the cache lock on a loaded
    // 2-core CI host has taken over 20 s before the first log line.
    const timeoutMs = 60_000;
    try {
      await bmc.log.waitFor(/"msg":"serving"/, {
        timeoutMs,
        what: "bmc-emu to start",
        fromStart: true,
      });
    } catch (error) {
      await bmc.stop();
      throw new Error(`bmc-emu did not start: ${errorMessage(error)}`);
    }
    return bmc;
  }

  #onLog(line: string): void {
    this.log.push(line);
    let entry: LogEntry;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (entry.msg === "listening for QEMU" && typeof entry.endpoint === "string") {
      this.#vmEndpoints.set(String(entry.bmc ?? "bmc0"), parseEndpoint(entry.endpoint));
    }
    if (entry.msg === "API listening" && typeof entry.url === "string") this.#apiUrl = entry.url;
  }

  /**
   * The VM endpoint a BMC listens on.
   *
   * @param bmc BMC id. @default "bmc0"
   * @returns Endpoint with the real port.
   */
  vmEndpoint(bmc = "bmc0"): Endpoint {
    const endpoint = this.#vmEndpoints.get(bmc);
    if (endpoint === undefined) throw new Error(`BMC ${bmc} is not listening for QEMU`);
    return endpoint;
  }

  /** Process id (for CPU accounting in benchmarks). */
  get pid(): number {
    return this.#process.pid;
  }

  /** Base URL of the HTTP API (`http://127.0.0.1:PORT`). */
  get apiUrl(): string {
    if (this.#apiUrl === null) throw new Error("bmc-emu serves no HTTP API");
    return this.#apiUrl;
  }

  /** Parsed log entries so far. */
  entries(): LogEntry[] {
    const out: LogEntry[] = [];
    for (const line of this.log.lines) {
      try {
        out.push(JSON.parse(line));
      } catch {
        // Not JSON (Deno warnings).
      }
    }
    return out;
  }

  /** Resolves with the exit status. */
  get status(): Promise<Deno.CommandStatus> {
    return this.#status;
  }

  /**
   * Send a signal.
   *
   * @param signal Signal.
   */
  kill(signal: Deno.Signal): void {
    try {
      this.#process.kill(signal);
    } catch {
      // Already exited.
    }
  }

  /**
   * Stop gracefully (SIGTERM), then forcibly after a deadline.
   *
   * @param timeoutMs Grace period.
   * @returns Exit status.
   */
  async stop(timeoutMs = 5000): Promise<Deno.CommandStatus> {
    this.kill("SIGTERM");
    const timer = setTimeout(() => this.kill("SIGKILL"), timeoutMs);
    const status = await this.#status;
    clearTimeout(timer);
    await Promise.all(this.#readers);
    return status;
  }

  /** Kill with SIGKILL (a crash) and wait. */
  async crash(): Promise<void> {
    this.kill("SIGKILL");
    await this.#status;
    await Promise.all(this.#readers);
  }
}
