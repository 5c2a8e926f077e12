/**
 * A QEMU guest under test: boots a kernel with the harness initramfs, keeps
 * its console (ttyS0), and runs shell scripts through the agent on ttyS1.
 * Waits are always bounded by a deadline.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "./base64.ts";
import type { GuestKernel } from "./guest_kernel.ts";
import { LineWaiter } from "./line_waiter.ts";
import { readLines } from "./read_lines.ts";
import { defaultQemu } from "./qemu_version.ts";

/**
 * Kernel command line word that makes the image's init keep a login shell
 * on the console (ttyS0), for an interactive console or SOL.
 */
export const GUEST_SHELL_APPEND = "e2e.shell=1";

/** Options for {@link QemuGuest.start}. */
export interface QemuGuestOptions {
  /** Kernel to boot. */
  readonly kernel: GuestKernel;
  /** Initrd path (base image + overlay). */
  readonly initrd: string;
  /** Working directory for sockets. */
  readonly workDir: string;
  /** IPMI device arguments (`qemuIpmiArgs`). */
  readonly deviceArgs: readonly string[];
  /** Machine type. @default "q35" */
  readonly machine?: "q35" | "pc";
  /** Memory in MiB. @default 256 */
  readonly memoryMb?: number;
  /** Extra kernel command line. */
  readonly append?: string;
  /** Extra QEMU arguments (e.g. `-qmp …`, `-action …`). */
  readonly extraArgs?: readonly string[];
  /** QEMU binary. @default `BMC_EMU_QEMU`, else "qemu-system-x86_64" */
  readonly qemu?: string;
  /**
   * `capture`: the console's lines are collected in {@link QemuGuest.console};
   * `interactive`: the console is this process's terminal, multiplexed with
   * QEMU's monitor (Ctrl-a x quits, Ctrl-a c switches to the monitor).
   * @default "capture"
   */
  readonly console?: "capture" | "interactive";
  /**
   * QEMU arguments for the first serial port (ttyS0) instead of this
   * process's stdio, e.g. a BMC's console endpoint (`qemuConsoleArgs`);
   * {@link QemuGuest.console} then stays empty.
   */
  readonly serialArgs?: readonly string[];
}

/** Result of a guest script. */
export interface GuestResult {
  /** Exit status of the script. */
  readonly code: number;
  /** Standard output and error, interleaved. */
  readonly output: string;
}

interface PendingCommand {
  readonly resolve: (result: GuestResult) => void;
  readonly reject: (error: Error) => void;
}

const decoder = new TextDecoder();

/** A running guest. */
export class QemuGuest {
  /** Console (ttyS0) lines so far. */
  readonly console: LineWaiter = new LineWaiter();
  readonly #agentLines = new LineWaiter();
  readonly #process: Deno.ChildProcess;
  readonly #pending = new Map<number, PendingCommand>();
  #agent: Deno.UnixConn | null = null;
  #nextId = 1;
  #boots = 0;
  #stderr = "";
  #exited = false;
  readonly #status: Promise<Deno.CommandStatus>;
  readonly #readers: Promise<void>[] = [];

  private constructor(process: Deno.ChildProcess) {
    this.#process = process;
    this.#status = process.status.then((s) => {
      this.#exited = true;
      this.console.close();
      this.#agentLines.close();
      this.#failPending(new Error(`QEMU exited (code ${s.code})`));
      return s;
    });
  }

  /**
   * Start QEMU and connect to the agent channel.
   *
   * @param options Guest options.
   * @returns The running guest (not yet booted: use {@link QemuGuest.waitReady}).
   */
  static async start(options: QemuGuestOptions): Promise<QemuGuest> {
    const agentPath = `${options.workDir}/agent.sock`;
    const interactive = options.console === "interactive";
    const args = [
      "-machine",
      `${options.machine ?? "q35"},accel=tcg`,
      "-m",
      String(options.memoryMb ?? 256),
      "-smp",
      "1",
      "-nodefaults",
      "-no-user-config",
      "-display",
      "none",
      ...(options.serialArgs !== undefined
        ? ["-monitor", "none", ...options.serialArgs]
        : interactive
        ? [
          "-chardev",
          "stdio,id=con,mux=on,signal=off",
          "-serial",
          "chardev:con",
          "-mon",
          "chardev=con",
        ]
        : ["-monitor", "none", "-chardev", "stdio,id=con,signal=off", "-serial", "chardev:con"]),
      "-chardev",
      `socket,id=agent,path=${agentPath},server=on,wait=off`,
      "-serial",
      "chardev:agent",
      "-kernel",
      options.kernel.image,
      "-initrd",
      options.initrd,
      "-append",
      `console=ttyS0 panic=0 loglevel=6 ${options.append ?? ""}`.trim(),
      ...options.deviceArgs,
      ...(options.extraArgs ?? []),
    ];
    const process = new Deno.Command(options.qemu ?? defaultQemu(), {
      args,
      stdin: interactive ? "inherit" : "null",
      stdout: interactive ? "inherit" : options.serialArgs === undefined ? "piped" : "null",
      stderr: "piped",
    }).spawn();
    const guest = new QemuGuest(process);
    if (!interactive && options.serialArgs === undefined) {
      guest.#readers.push(readLines(process.stdout, (line) => guest.console.push(line)));
    }
    guest.#readers.push(readLines(process.stderr, (line) => guest.#stderr += line + "\n"));
    try {
      guest.#agent = await guest.#connectAgent(agentPath);
    } catch (error) {
      await guest.stop();
      throw new Error(`Cannot reach the guest agent: ${error}; QEMU said: ${guest.#stderr}`);
    }
    guest.#readers.push(readLines(guest.#agent.readable, (line) => guest.#onAgentLine(line)));
    return guest;
  }

  async #connectAgent(path: string): Promise<Deno.UnixConn> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (this.#exited) throw new Error("QEMU exited before the agent socket appeared");
      try {
        return await Deno.connect({ transport: "unix", path });
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  #onAgentLine(line: string): void {
    const ready = /^@@READY (\S+)/.exec(line);
    if (ready) {
      this.#boots++;
      this.#failPending(new Error("the guest rebooted while the command ran"));
    }
    const result = /^@@RESULT (\d+) (\d+) ?(\S*)$/.exec(line);
    if (result) {
      const pending = this.#pending.get(Number(result[1]));
      this.#pending.delete(Number(result[1]));
      pending?.resolve({
        code: Number(result[2]),
        output: decoder.decode(decodeBase64(result[3]!)),
      });
    }
    this.#agentLines.push(line);
  }

  #failPending(error: Error): void {
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  /** Number of boots that reached the agent. */
  get boots(): number {
    return this.#boots;
  }

  /** QEMU's standard error so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Resolves with QEMU's exit status. */
  get status(): Promise<Deno.CommandStatus> {
    return this.#status;
  }

  /** Whether QEMU has exited. */
  get exited(): boolean {
    return this.#exited;
  }

  /**
   * Wait until the agent reports boot number `boot` (1 = first boot).
   *
   * @param timeoutMs Deadline.
   * @param boot Boot count to wait for. @default the next one after those seen
   */
  async waitReady(timeoutMs = 60_000, boot = this.#boots + 1): Promise<void> {
    let seen = 0;
    await this.#agentLines.waitFor((line) => line.startsWith("@@READY") && ++seen >= boot, {
      timeoutMs,
      what: `guest boot ${boot} to reach the agent`,
      fromStart: true,
    });
  }

  /**
   * Run a shell script in the guest.
   *
   * @param script Script text.
   * @param timeoutMs Deadline. @default 60000
   * @returns Exit code and output.
   */
  run(script: string, timeoutMs = 60_000): Promise<GuestResult> {
    if (this.#agent === null || this.#exited) {
      return Promise.reject(new Error("the guest is not running"));
    }
    const id = this.#nextId++;
    const line = `${id} ${encodeBase64(new TextEncoder().encode(script))}\n`;
    return new Promise<GuestResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`guest command timed out after ${timeoutMs} ms: ${script.slice(0, 200)}`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#agent!.write(new TextEncoder().encode(line)).catch((e) => {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(e);
      });
    });
  }

  /**
   * Run a script and require exit status 0.
   *
   * @param script Script text.
   * @param timeoutMs Deadline.
   * @returns Output.
   * @throws {Error} With the output when the script fails.
   */
  async ok(script: string, timeoutMs = 60_000): Promise<string> {
    const r = await this.run(script, timeoutMs);
    if (r.code !== 0) {
      throw new Error(`guest script failed (exit ${r.code}): ${script}\n${r.output}`);
    }
    return r.output;
  }

  /** Kill QEMU and wait for it and all readers. */
  async stop(): Promise<void> {
    if (!this.#exited) {
      try {
        this.#process.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await this.#status;
    try {
      this.#agent?.close();
    } catch {
      // Already closed.
    }
    await Promise.all(this.#readers);
  }
}
