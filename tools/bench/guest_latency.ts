/**
 * Guest-visible latency: a real guest runs N Get Device ID through
 * `ipmitool exec` over KCS against a BMC, and the guest's clock times the
 * whole batch. The BMC is bmc-emu, OpenIPMI's ipmi_sim (both through QEMU's
 * ipmi-bmc-extern), or QEMU's in-process ipmi-bmc-sim (no socket at all).
 *
 * @module
 */

import { qemuIpmiArgs } from "../../src/runtime/qemu_args.ts";
import { BmcProcess } from "../e2e/bmc_process.ts";
import type { GuestKernel } from "../../src/guest/guest_kernel.ts";
import { baseInitramfs, writeRunInitrd } from "../../src/guest/initramfs.ts";
import { QemuGuest } from "../../src/guest/qemu_guest.ts";
import { IpmiSim } from "./ipmi_sim.ts";
import { freePort } from "../free_port.ts";

/** The BMCs compared. */
export const GUEST_BMCS = ["ipmi-bmc-sim", "ipmi_sim", "bmc-emu"] as const;

/** One of {@link GUEST_BMCS}. */
export type GuestBmc = typeof GUEST_BMCS[number];

/**
 * Boot a guest against `bmc` and time `requests` Get Device ID through
 * `ipmitool exec` (after one warm-up request).
 *
 * @param kernel Guest kernel.
 * @param bmc Which BMC.
 * @param requests How many requests.
 * @param warmups Untimed batches first (a JIT-compiled BMC reaches its steady state).
 * @returns Seconds for the timed batch, by the guest's clock.
 */
export async function guestLatency(
  kernel: GuestKernel,
  bmc: GuestBmc,
  requests: number,
  warmups = 0,
): Promise<number> {
  const workDir = await Deno.makeTempDir({ prefix: "bmc-emu-latency-" });
  let emu: BmcProcess | null = null;
  let sim: IpmiSim | null = null;
  let guest: QemuGuest | null = null;
  try {
    await writeRunInitrd(await baseInitramfs(kernel), "load-ipmi kcs", `${workDir}/initrd`);
    let deviceArgs: string[];
    if (bmc === "ipmi-bmc-sim") {
      deviceArgs = [
        "-device",
        "ipmi-bmc-sim,id=bmc0",
        "-device",
        "isa-ipmi-kcs,bmc=bmc0,ioport=0xca2,irq=5",
      ];
    } else {
      let endpoint;
      if (bmc === "ipmi_sim") {
        sim = await IpmiSim.start(freePort());
        endpoint = sim.endpoint;
      } else {
        emu = await BmcProcess.start({ args: ["--log-level", "info", "--api-listen", "off"] });
        endpoint = emu.vmEndpoint();
      }
      deviceArgs = qemuIpmiArgs({ endpoint, qemuRole: "client", iface: "kcs" });
    }
    guest = await QemuGuest.start({ kernel, initrd: `${workDir}/initrd`, workDir, deviceArgs });
    await guest.waitReady(90_000);
    const ready = await guest.run(
      `[ -e /dev/ipmi0 ] || { dmesg | grep -i ipmi; exit 1; }; ` +
        `i=0; while [ $i -lt ${requests} ]; do echo "raw 0x06 0x01"; i=$((i+1)); done > /tmp/cmds; ` +
        `ipmitool raw 0x06 0x01 >/dev/null`,
      60_000,
    );
    if (ready.code !== 0) throw new Error(`${bmc}: the guest found no BMC:\n${ready.output}`);
    const batch =
      "t0=$(cut -d' ' -f1 /proc/uptime); ipmitool exec /tmp/cmds >/tmp/out 2>&1; rc=$?; " +
      't1=$(cut -d" " -f1 /proc/uptime); echo "@@T $t0 $t1 $rc $(grep -c "^ [0-9a-f][0-9a-f] " /tmp/out)"';
    for (let i = 0; i < warmups; i++) await guest.ok(batch, 300_000);
    const out = await guest.ok(batch, 300_000);
    const m = /@@T (\S+) (\S+) (\d+) (\d+)/.exec(out);
    if (m === null || m[3] !== "0") throw new Error(`ipmitool exec failed: ${out}`);
    if (Number(m[4]) !== requests) {
      throw new Error(`${bmc}: ${m[4]} of ${requests} Get Device ID answered`);
    }
    return Number(m[2]) - Number(m[1]);
  } finally {
    await guest?.stop();
    await emu?.stop();
    await sim?.stop();
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}
