/**
 * A real `bmc-emu serve` with IPMI over LAN for host-side tests, and the
 * helpers that run the LAN clients against it.
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url).pathname;

/** Whether a program is on PATH. */
export function has(binary: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${binary}`], stdout: "null" })
      .outputSync()
      .success;
  } catch {
    return false;
  }
}

/** ipmitool is installed. */
export const IPMITOOL = has("ipmitool");
/** FreeIPMI is installed. */
export const FREEIPMI = has("bmc-info") && has("ipmi-sensors");
/** script(1) is installed (a pty for sol activate). */
export const SCRIPT = has("script");

/** A running `bmc-emu serve`. */
export interface Serve {
  readonly port: number;
  readonly api: string | null;
  readonly dir: string;
  readonly console: string;
  /** Path of the VM socket (`--vm-listen unix:…`). */
  readonly vm: string;
  readonly out: string[];
  stop(): Promise<void>;
}

/**
 * Start `serve` with a LAN endpoint and wait for its banner.
 *
 * @param extra More flags.
 * @param config A config file to use instead of the flags.
 * @param api Listen for the HTTP API on a free port.
 * @returns The running server.
 */
export async function serve(
  extra: string[] = [],
  config?: (dir: string) => unknown,
  api = false,
): Promise<Serve> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-lan-" });
  const consolePath = `${dir}/console.sock`;
  let flags = [
    "--ephemeral",
    "--api-listen",
    api ? "127.0.0.1:0" : "off",
    "--vm-listen",
    `unix:${dir}/vm.sock`,
    "--console-listen",
    `unix:${consolePath}`,
  ];
  if (config !== undefined) {
    await Deno.writeTextFile(`${dir}/bmcs.json`, JSON.stringify(config(dir)));
    flags = ["--config", `${dir}/bmcs.json`];
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}src/main.ts`,
      "serve",
      ...flags,
      ...extra,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const out: string[] = [];
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let port = 0;
  let buffered = "";
  const deadline = Date.now() + 30_000;
  while (port === 0 && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const m = /IPMI over LAN bmc0: udp [^\s]+:(\d+)/.exec(buffered);
    if (m !== null) port = Number(m[1]);
  }
  out.push(buffered);
  const drain = (async () => {
    try {
      while (!(await reader.read()).done) { /* keep the pipe flowing */ }
    } catch { /* closed */ }
  })();
  if (port === 0) {
    child.kill();
    await child.status;
    throw new Error(`serve did not start: ${buffered}`);
  }
  const apiUrl = /Control API: (http:\/\/[^\s/]+)/.exec(buffered)?.[1] ?? null;
  return {
    port,
    api: apiUrl,
    dir,
    console: consolePath,
    vm: `${dir}/vm.sock`,
    out,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await drain;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Run a program with a 60 s limit.
 *
 * @param cmd Program.
 * @param args Arguments.
 * @param input Standard input.
 * @returns Exit code and output (stdout then stderr).
 */
export async function run(
  cmd: string,
  args: string[],
  input?: string,
): Promise<{ code: number; out: string }> {
  const c = new Deno.Command("timeout", {
    args: ["60", cmd, ...args],
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const w = c.stdin.getWriter();
    await w.write(new TextEncoder().encode(input));
    await w.close();
  }
  const r = await c.output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

/**
 * ipmitool's lanplus arguments for the server.
 *
 * @param s Server.
 * @param suite Cipher suite.
 * @param user User.
 * @param password Password.
 * @param extra More arguments before the command.
 * @returns Arguments.
 */
export function lanplus(
  s: Serve,
  suite: number,
  user = "admin",
  password = "secret",
  extra: string[] = [],
): string[] {
  return [
    "-I",
    "lanplus",
    "-H",
    "127.0.0.1",
    "-p",
    String(s.port),
    "-U",
    user,
    "-P",
    password,
    "-C",
    String(suite),
    ...extra,
  ];
}

/**
 * FreeIPMI's LAN_2_0 host arguments for the server.
 *
 * @param s Server.
 * @param user User.
 * @param password Password.
 * @returns Arguments.
 */
export function freeipmi(s: Serve, user = "admin", password = "secret"): string[] {
  return ["-h", `127.0.0.1:${s.port}`, "-u", user, "-p", password, "--driver-type=LAN_2_0"];
}

/** An administrator admin/secret and a User bob/bobpw. */
export const USERS = [
  "--lan-listen",
  "127.0.0.1:0",
  "--lan-user",
  "admin:secret",
  "--lan-user",
  "bob:bobpw:user",
];

/**
 * A config file of one BMC `bmc0` with LAN on a free loopback port and the
 * administrator admin/secret, for {@link serve}'s `config`.
 *
 * @param stateDir Where state persists (`null`: in memory).
 * @param bmc More fields of the BMC (`faults`, …).
 * @returns The config for a server directory.
 */
export function lanConfig(
  stateDir: string | null,
  bmc: Record<string, unknown> = {},
): (dir: string) => unknown {
  return (dir) => ({
    stateDir,
    api: { listen: "off" },
    bmcs: [{
      id: "bmc0",
      vm: { listen: `unix:${dir}/vm.sock` },
      lan: { listen: "127.0.0.1:0" },
      users: [{ id: 2, name: "admin", password: "secret", privilege: "administrator" }],
      ...bmc,
    }],
  });
}

/** The guest's end of a console endpoint: what SOL clients type arrives here. */
export interface SerialPeer {
  /** Everything read so far. */
  readonly text: () => string;
  /**
   * Write guest output.
   *
   * @param text Output.
   */
  write(text: string): Promise<void>;
  /**
   * Wait until what was read matches (woken by each read).
   *
   * @param pattern What to wait for.
   * @param timeoutMs Deadline.
   */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Disconnect. */
  close(): Promise<void>;
}

/**
 * Connect to a console endpoint the way QEMU's `-serial chardev:` does.
 *
 * @param path Unix socket of `--console-listen`.
 * @returns The peer.
 */
export async function serialPeer(path: string): Promise<SerialPeer> {
  const conn = await Deno.connect({ transport: "unix", path });
  let read = "";
  let wake = (): void => {};
  const reading = (async () => {
    const buf = new Uint8Array(1024);
    while (true) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      read += new TextDecoder().decode(buf.subarray(0, n));
      wake();
    }
  })();
  return {
    text: () => read,
    write: async (text) => void await conn.write(new TextEncoder().encode(text)),
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(read) && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          wake = () => (clearTimeout(timer), resolve());
        });
      }
    },
    async close() {
      conn.close();
      await reading;
    },
  };
}
