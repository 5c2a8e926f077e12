/**
 * The bare Deno responder: the floor of Deno's socket path for the VM
 * protocol. It parses VM frames and answers each request with a fixed,
 * well-formed reply for its netfn and command (no BMC, no events, no
 * logging), so `bench-compare` can tell the runtime's cost from bmc-emu's.
 *
 *   deno run -A tools/bench/bare_responder.ts [--port N]   # prints "listening PORT"
 *
 * @module
 */

import { VmChar } from "../../src/codec/constants.ts";
import type { Endpoint } from "../../src/transport/endpoint.ts";
import { terminate } from "./peer_process.ts";
import { readLines } from "../../src/guest/read_lines.ts";

/** Data bytes after cc 0 per `netfn << 8 | cmd` (the lengths vm-load checks). */
const DATA_BYTES: ReadonlyMap<number, number> = new Map([
  [0x06 << 8 | 0x01, 11], // Get Device ID
  [0x06 << 8 | 0x22, 0], // Reset Watchdog Timer
  [0x06 << 8 | 0x24, 0], // Set Watchdog Timer
  [0x06 << 8 | 0x25, 8], // Get Watchdog Timer
  [0x06 << 8 | 0x31, 1], // Get Message Flags
  [0x0a << 8 | 0x44, 2], // Add SEL Entry
]);

function escaped(b: number): boolean {
  return b === VmChar.Message || b === VmChar.Command || b === VmChar.Escape;
}

/**
 * The reply frame for one unescaped request body (seq, netfn/lun, cmd, …).
 *
 * @param body Unescaped request bytes without the terminator.
 * @param len How many of them.
 * @returns Wire bytes.
 */
export function bareReply(body: Uint8Array, len: number): Uint8Array {
  const seq = body[0]!;
  const netfnLun = body[1]!;
  const cmd = body[2]!;
  const data = DATA_BYTES.get((netfnLun >> 2) << 8 | cmd) ?? 0;
  const plain = [seq, netfnLun + 4, cmd, 0, ...new Array<number>(data).fill(0)];
  let sum = 0;
  for (const b of plain) sum += b;
  plain.push(-sum & 0xff);
  const out: number[] = [];
  for (const b of plain) {
    if (escaped(b)) out.push(VmChar.Escape, b | 0x10);
    else out.push(b);
  }
  out.push(VmChar.Message);
  return len < 4 ? new Uint8Array() : Uint8Array.from(out);
}

async function serve(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
  await conn.write(Uint8Array.of(0xff, 0x01, VmChar.Command, 0x00, VmChar.Command));
  const buf = new Uint8Array(64 * 1024);
  const body = new Uint8Array(512);
  let len = 0;
  let escape = false;
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i]!;
        if (b === VmChar.Message) {
          const reply = bareReply(body, len);
          if (reply.length > 0) await conn.write(reply);
          len = 0;
        } else if (b === VmChar.Command) {
          len = 0;
        } else if (b === VmChar.Escape) {
          escape = true;
        } else {
          if (len < body.length) body[len++] = escape ? b & ~0x10 : b;
          escape = false;
        }
      }
    }
  } catch {
    // Peer went away.
  }
  try {
    conn.close();
  } catch {
    // Already closed.
  }
}

/** The responder as a subprocess, for comparisons. */
export class BareResponder {
  readonly #process: Deno.ChildProcess;
  /** Its VM endpoint (TCP on loopback). */
  readonly endpoint: Endpoint;

  readonly #reading: Promise<void>;

  private constructor(process: Deno.ChildProcess, port: number, reading: Promise<void>) {
    this.#process = process;
    this.#reading = reading;
    this.endpoint = { transport: "tcp", hostname: "127.0.0.1", port };
  }

  /**
   * Start it on a free loopback port.
   *
   * @returns The running responder.
   */
  static async start(): Promise<BareResponder> {
    const process = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", import.meta.filename!],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const { promise, resolve } = Promise.withResolvers<number>();
    const reading = readLines(process.stdout, (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m !== null) resolve(Number(m[1]));
    });
    // The port, or 0 when its stdout ends without one (it failed to start).
    const port = await Promise.race([promise, reading.then(() => 0)]);
    const responder = new BareResponder(process, port, reading);
    if (port === 0) {
      await responder.stop();
      throw new Error("the bare responder did not start");
    }
    return responder;
  }

  /** Process id (for CPU accounting in benchmarks). */
  get pid(): number {
    return this.#process.pid;
  }

  /** Stop it. */
  async stop(): Promise<void> {
    await terminate(this.#process);
    await this.#reading;
  }
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--port");
  const port = i >= 0 ? Number(Deno.args[i + 1]) : 0;
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const out = new TextEncoder().encode(`listening ${(listener.addr as Deno.NetAddr).port}\n`);
  await Deno.stdout.write(out);
  for await (const conn of listener) void serve(conn);
}
