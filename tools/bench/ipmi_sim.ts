/**
 * OpenIPMI's `ipmi_sim` as a VM-protocol peer for comparisons: a generated
 * configuration (one BMC at 0x20 with the watchdog sensor and a SEL, the
 * VM serial interface on a loopback port), started and stopped here.
 *
 * @module
 */

import type { Endpoint } from "../../src/transport/endpoint.ts";
import { terminate } from "./peer_process.ts";

/** Where `ipmi_sim` is (Debian's openipmi package). */
export const IPMI_SIM = "/usr/bin/ipmi_sim";

/** The two files ipmi_sim reads. */
export interface IpmiSimConfig {
  /** `-c` file: the simulator's name and its VM serial interface. */
  readonly lanConf: string;
  /** `-f` file: the BMC's commands at start-up. */
  readonly emu: string;
}

/**
 * The configuration: the VM interface on `127.0.0.1:port` (channel 15, the
 * system interface, "codec VM"); one BMC at 0x20 with the identity of
 * OpenIPMI's sample `ipmisim1.emu` (vendors.md), the watchdog sensor and a
 * 1000-record SEL.
 *
 * @param port Loopback port.
 * @returns The files' text.
 */
export function ipmiSimConfig(port: number): IpmiSimConfig {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`port must be 1–65535, got ${port}`);
  }
  return {
    lanConf: `name "bench"\nset_working_mc 0x20\n  serial 15 127.0.0.1 ${port} codec VM\n`,
    emu: [
      "mc_setbmc 0x20",
      "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr",
      "sel_enable 0x20 1000 0x0a",
      "sensor_add 0x20 0 0 35 0x6f event-only",
      "mc_enable 0x20",
      "",
    ].join("\n"),
  };
}

/** Whether something listens on the loopback `port` (binding it fails). */
function portTaken(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return false;
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) return true;
    throw error;
  }
}

/** A running ipmi_sim. */
export class IpmiSim {
  readonly #process: Deno.ChildProcess;
  readonly #dir: string;
  /** Its VM endpoint (TCP on loopback). */
  readonly endpoint: Endpoint;

  private constructor(process: Deno.ChildProcess, dir: string, port: number) {
    this.#process = process;
    this.#dir = dir;
    this.endpoint = { transport: "tcp", hostname: "127.0.0.1", port };
  }

  /**
   * Start ipmi_sim with its VM interface on `port` and wait until it listens.
   *
   * @param port Loopback port.
   * @returns The running simulator.
   */
  static async start(port: number): Promise<IpmiSim> {
    const dir = await Deno.makeTempDir({ prefix: "bmc-emu-ipmi-sim-" });
    const config = ipmiSimConfig(port);
    await Deno.writeTextFile(`${dir}/lan.conf`, config.lanConf);
    await Deno.writeTextFile(`${dir}/bench.emu`, config.emu);
    const process = new Deno.Command(IPMI_SIM, {
      args: ["-c", `${dir}/lan.conf`, "-f", `${dir}/bench.emu`, "-s", `${dir}/state`, "-n"],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const sim = new IpmiSim(process, dir, port);
    // ipmi_sim serves a single VM connection and is slow to notice one that
    // closed, so a probe connection could make it refuse QEMU's: find out
    // that it listens by failing to bind its port instead.
    const deadline = Date.now() + 10_000;
    while (!portTaken(port)) {
      if (Date.now() > deadline) {
        await sim.stop();
        throw new Error(`ipmi_sim did not listen on ${port} within 10 s`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return sim;
  }

  /** Process id (for CPU accounting in benchmarks). */
  get pid(): number {
    return this.#process.pid;
  }

  /** Stop it and remove its files. */
  async stop(): Promise<void> {
    await this.#process.stderr.cancel().catch(() => {});
    await terminate(this.#process);
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }
}
