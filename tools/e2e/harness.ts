/**
 * The end-to-end harness: a bmc-emu process and a QEMU guest attached to it,
 * always torn down, with the guest console and BMC log attached to failures.
 *
 * @module
 */

import { type InterfaceKind, qemuIpmiArgs, reconnectOption } from "../../src/runtime/qemu_args.ts";
import { qemuConsoleArgs } from "../../src/lan/lan_config.ts";
import { type Endpoint, formatEndpoint } from "../../src/transport/endpoint.ts";
import { BmcProcess, type BmcProcessOptions } from "./bmc_process.ts";
import type { GuestKernel } from "../../src/guest/guest_kernel.ts";
import { baseInitramfs, writeRunInitrd } from "../../src/guest/initramfs.ts";
import { GUEST_SHELL_APPEND, QemuGuest } from "../../src/guest/qemu_guest.ts";
import { detectQemuVersion } from "../../src/guest/qemu_version.ts";
import { errorMessage } from "../../src/util/error_message.ts";

/** Options for {@link withGuest}. */
export interface GuestRunOptions {
  /** Guest kernel. */
  readonly kernel: GuestKernel;
  /** System interface. @default "kcs" */
  readonly iface?: InterfaceKind;
  /** Boot script, run at every boot. @default `load-ipmi <iface>` */
  readonly bootScript?: string;
  /** bmc-emu options, or an already running process (not stopped here). */
  readonly bmc?: BmcProcessOptions | BmcProcess;
  /** The BMC the guest attaches to (one added at run time, say). @default "bmc0" */
  readonly attach?: string;
  /**
   * Give QEMU a QMP socket and `-action shutdown=pause`; a BMC started here
   * gets `--qmp` pointing at it (the qmp power backend).
   */
  readonly qmp?: boolean;
  /** Extra kernel command line (e.g. `sysctl.kernel.hung_task_timeout_secs=60`). */
  readonly append?: string;
  /**
   * Connect the guest's ttyS0 to the BMC's console endpoint (a BMC started
   * here gets `--console-listen`): SOL and the console API see it, and a
   * shell on it (`e2e.shell=1`) reads what SOL types. The failure report shows the
   * BMC's console ring instead of the captured console.
   */
  readonly console?: boolean;
}

/** What a test body gets. */
export interface GuestContext {
  /** The guest. */
  readonly guest: QemuGuest;
  /** The BMC process. */
  readonly bmc: BmcProcess;
  /** Scratch directory (removed afterwards). */
  readonly workDir: string;
  /** QMP socket path when `qmp` was asked for. */
  readonly qmpPath: string | null;
}

function tail(text: string, lines: number): string {
  return text.split("\n").slice(-lines).join("\n");
}

/** The BMC's console ring, read over its API (for failure reports). */
async function bmcConsole(bmc: BmcProcess): Promise<string> {
  try {
    const r = await fetch(`${bmc.apiUrl}/api/v1/bmcs/bmc0/console`);
    return await r.text();
  } catch (error) {
    return `(console not readable: ${errorMessage(error)})`;
  }
}

/**
 * Start bmc-emu (unless given) and a guest attached to it, run `fn`, and tear
 * everything down whatever happens. Failures carry the console and BMC log.
 *
 * @param options Guest and BMC options.
 * @param fn Test body.
 */
export async function withGuest(
  options: GuestRunOptions,
  fn: (ctx: GuestContext) => Promise<void>,
): Promise<void> {
  const iface = options.iface ?? "kcs";
  const workDir = await Deno.makeTempDir({ prefix: "bmc-emu-e2e-" });
  const ownBmc = !(options.bmc instanceof BmcProcess);
  let bmc: BmcProcess | null = options.bmc instanceof BmcProcess ? options.bmc : null;
  let guest: QemuGuest | null = null;
  try {
    const base = await baseInitramfs(options.kernel);
    await writeRunInitrd(base, options.bootScript ?? `load-ipmi ${iface}`, `${workDir}/initrd`);
    const qmpPath = options.qmp ? `${workDir}/qmp.sock` : null;
    const consoleEndpoint: Endpoint | null = options.console
      ? { transport: "unix", path: `${workDir}/console.sock` }
      : null;
    if (bmc === null) {
      const bmcOptions = (options.bmc ?? {}) as BmcProcessOptions;
      const args = [
        ...(bmcOptions.args ?? []),
        ...(qmpPath === null ? [] : ["--qmp", `unix:${qmpPath}`]),
        ...(consoleEndpoint === null ? [] : ["--console-listen", formatEndpoint(consoleEndpoint)]),
      ];
      bmc = await BmcProcess.start({ ...bmcOptions, args });
    }
    const qemuVersion = await detectQemuVersion();
    const append = [options.append ?? "", options.console ? GUEST_SHELL_APPEND : ""].join(" ")
      .trim();
    const serialArgs = consoleEndpoint === null ? {} : {
      serialArgs: qemuConsoleArgs(
        consoleEndpoint,
        "bmc0",
        reconnectOption(qemuVersion ?? undefined),
      ),
    };
    guest = await QemuGuest.start({
      kernel: options.kernel,
      initrd: `${workDir}/initrd`,
      workDir,
      ...(append === "" ? {} : { append }),
      ...serialArgs,
      deviceArgs: qemuIpmiArgs({
        endpoint: bmc.vmEndpoint(options.attach),
        qemuRole: "client",
        iface,
        ...(qemuVersion === null ? {} : { qemuVersion }),
      }),
      extraArgs: qmpPath === null
        ? []
        : ["-qmp", `unix:${qmpPath},server=on,wait=off`, "-action", "shutdown=pause"],
    });
    await guest.waitReady(90_000);
    await fn({ guest, bmc, workDir, qmpPath });
  } catch (error) {
    const console = guest === null
      ? "(not started)"
      : options.console && bmc !== null
      ? tail(await bmcConsole(bmc), 60)
      : tail(guest.console.text, 60);
    const log = bmc === null ? "(not started)" : tail(bmc.log.text, 60);
    const message = errorMessage(error);
    throw new Error(
      `${message}\n--- guest console (tail) ---\n${console}\n--- bmc-emu log (tail) ---\n${log}`,
      {
        cause: error,
      },
    );
  } finally {
    await guest?.stop();
    if (ownBmc) await bmc?.stop();
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}
