/**
 * `bmc-emu guest`: a Linux guest attached to a BMC in one command. Builds
 * (and caches) an initramfs for the chosen kernel with busybox, the IPMI
 * modules, ipmitool and a watchdog feeder; boots QEMU attached to a running
 * bmc-emu (`--bmc URL`) or to one started here; gives an interactive console
 * (Ctrl-a x quits) or runs `--run CMD` and exits with its status.
 *
 * @module
 */

import { qemuIpmiArgs } from "../runtime/qemu_args.ts";
import { type Endpoint, parseEndpoint } from "../transport/endpoint.ts";
import { baseInitramfs, writeRunInitrd } from "../guest/initramfs.ts";
import { GUEST_SHELL_APPEND, QemuGuest } from "../guest/qemu_guest.ts";
import { detectQemuVersion } from "../guest/qemu_version.ts";
import { errorMessage } from "../util/error_message.ts";
import { serve } from "./serve.ts";
import { parseServeArgs } from "./serve_args.ts";
import { parseCommandLine } from "./parse.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { GUEST_HELP } from "./guest_help.ts";
import { resolveKernel } from "../guest/resolve_kernel.ts";
import { guestBootScript } from "./guest_boot.ts";

const IFACES = ["kcs", "bt", "ssif"] as const;
type Iface = typeof IFACES[number];

const OPTIONS = {
  kernel: { type: "string" },
  iface: { type: "string" },
  bmc: { type: "string" },
  id: { type: "string" },
  profile: { type: "string" },
  run: { type: "string" },
  timeout: { type: "string" },
  qemu: { type: "string" },
  memory: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** I/O of the command. */
export interface GuestIo {
  /** A line on standard output. */
  readonly stdout: (line: string) => void;
  /** A line on standard error. */
  readonly stderr: (line: string) => void;
  /** Aborts the run (SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
}

/** A BMC the guest attaches to. */
interface AttachedBmc {
  readonly apiUrl: string;
  readonly id: string;
  readonly endpoint: Endpoint;
  readonly qemuRole: "client" | "server";
  readonly stop: () => Promise<void>;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  }
  return n;
}

/** A free TCP port on loopback. */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** The VM endpoint of a BMC of a running bmc-emu, from its state (`vm: "listen tcp:…"`). */
async function attachRunning(apiUrl: string, id: string): Promise<AttachedBmc> {
  const url = `${apiUrl.replace(/\/$/, "")}/api/v1/bmcs`;
  const token = Deno.env.get("BMC_EMU_API_TOKEN");
  let res: Response;
  try {
    res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  } catch (error) {
    throw new Error(`cannot reach bmc-emu at ${apiUrl}: ${errorMessage(error)}`);
  }
  const body = await res.json().catch(() => null) as
    | { bmcs?: { id?: unknown; vm?: unknown }[]; error?: unknown }
    | null;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${body?.error ?? res.statusText}`);
  const list = Array.isArray(body) ? body as { id?: unknown; vm?: unknown }[] : body?.bmcs ?? [];
  const entry = list.find((b) => b.id === id);
  if (entry === undefined) {
    throw new Error(
      `bmc-emu at ${apiUrl} has no BMC "${id}" (it has: ${list.map((b) => b.id).join(", ")})`,
    );
  }
  const m = /^(listen|connect) (\S+)$/.exec(String(entry.vm ?? ""));
  if (m === null) throw new Error(`${url}: no VM endpoint for ${id} (vm: ${entry.vm})`);
  return {
    apiUrl,
    id,
    endpoint: parseEndpoint(m[2]!),
    // bmc-emu listens → QEMU dials; bmc-emu dials → QEMU must listen there.
    qemuRole: m[1] === "listen" ? "client" : "server",
    stop: () => Promise.resolve(),
  };
}

/** Start a BMC in this process (ephemeral state, VM link on a UNIX socket in `workDir`). */
async function startOwnBmc(
  workDir: string,
  profile: string | undefined,
  io: GuestIo,
): Promise<AttachedBmc> {
  const port = freePort();
  const vm = `unix:${workDir}/bmc.sock`;
  const options = parseServeArgs([
    "--ephemeral",
    "--vm-listen",
    vm,
    "--api-listen",
    `127.0.0.1:${port}`,
    ...(profile === undefined ? [] : ["--profile", profile]),
  ]);
  if (options === "help" || "checkProfile" in options || "checkConfig" in options) {
    throw new Error("unreachable");
  }
  const stop = new AbortController();
  io.signal.addEventListener("abort", () => stop.abort(), { once: true });
  const log = await Deno.open(`${workDir}/bmc-emu.log`, { write: true, create: true });
  const enc = new TextEncoder();
  const write = (line: string) => {
    log.writeSync(enc.encode(line + "\n"));
  };
  const running = serve(options, { stdout: write, stderr: write, signal: stop.signal });
  const apiUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`${apiUrl}/healthz`).then((r) => r.body?.cancel().then(() => r.ok))
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      stop.abort();
      throw new Error(`the BMC did not start; see ${workDir}/bmc-emu.log`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    apiUrl,
    id: "bmc0",
    endpoint: parseEndpoint(vm),
    qemuRole: "client",
    stop: async () => {
      stop.abort();
      await running;
      log.close();
    },
  };
}

/**
 * Run `bmc-emu guest`.
 *
 * @param argv Arguments after `guest`.
 * @param io Output and stop signal.
 * @returns Exit code: the command's status with `--run`, else 0.
 */
export async function guest(argv: string[], io: GuestIo): Promise<number> {
  const { values } = parseCommandLine(argv, OPTIONS);
  if (values.help) {
    io.stdout(GUEST_HELP);
    return ExitCode.Ok;
  }
  const iface = (values.iface ?? "kcs") as Iface;
  if (!IFACES.includes(iface)) {
    throw new UsageError(`--iface must be one of ${IFACES.join(", ")}, got "${values.iface}"`);
  }
  const timeoutS = positiveInt("timeout", values.timeout, 300);
  const memoryMb = positiveInt("memory", values.memory, 256);
  const interactive = values.run === undefined;
  if (interactive && !Deno.stdin.isTerminal()) {
    throw new UsageError("the interactive console needs a terminal; use --run CMD to script it");
  }
  const workDir = await Deno.makeTempDir({ prefix: "bmc-emu-guest-" });
  let bmc: AttachedBmc | null = null;
  let vm: QemuGuest | null = null;
  try {
    const kernel = await resolveKernel(
      values.kernel,
      (line) => io.stderr(`bmc-emu guest: ${line}`),
    );
    bmc = values.bmc === undefined
      ? await startOwnBmc(workDir, values.profile, io)
      : await attachRunning(values.bmc, values.id ?? "bmc0");
    io.stderr(
      `bmc-emu guest: ${kernel.version}, ${iface.toUpperCase()}, BMC ${bmc.id} at ${bmc.apiUrl}`,
    );
    io.stderr("bmc-emu guest: building the initramfs (cached after the first run)");
    const qemuVersion = await detectQemuVersion(values.qemu);
    const base = await baseInitramfs(kernel);
    await writeRunInitrd(
      base,
      guestBootScript({ iface, apiUrl: bmc.apiUrl, bmc: bmc.id, interactive }),
      `${workDir}/initrd`,
    );
    vm = await QemuGuest.start({
      kernel,
      initrd: `${workDir}/initrd`,
      workDir,
      memoryMb,
      console: interactive ? "interactive" : "capture",
      deviceArgs: qemuIpmiArgs({
        endpoint: bmc.endpoint,
        qemuRole: bmc.qemuRole,
        iface,
        ...(qemuVersion === null ? {} : { qemuVersion }),
      }),
      ...(interactive ? { append: `loglevel=4 ${GUEST_SHELL_APPEND}` } : {}),
      ...(values.qemu === undefined ? {} : { qemu: values.qemu }),
    });
    const stopGuest = () => void vm?.stop();
    io.signal.addEventListener("abort", stopGuest, { once: true });
    if (interactive) {
      await vm.status;
      return ExitCode.Ok;
    }
    await vm.waitReady(90_000);
    const r = await vm.run(values.run!, timeoutS * 1000);
    if (r.output !== "") io.stdout(r.output.replace(/\n$/, ""));
    return r.code;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr(`bmc-emu guest: ${errorMessage(error)}`);
    if (vm !== null && !interactive) {
      io.stderr("--- guest console (tail) ---");
      for (const line of vm.console.lines.slice(-20)) io.stderr(line);
    }
    return ExitCode.Failure;
  } finally {
    await vm?.stop();
    await bmc?.stop();
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}
