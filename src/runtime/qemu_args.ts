/**
 * QEMU command-line arguments that attach a guest to a bmc-emu BMC. The
 * start-up banner, README and the end-to-end harness all use this, so they
 * cannot drift apart.
 *
 * @module
 */

import type { Endpoint } from "../transport/endpoint.ts";

/** System interface types QEMU offers for an external BMC. */
export type InterfaceKind = "kcs" | "bt" | "ssif";

/** A QEMU release (`qemu-system-x86_64 --version`). */
export interface QemuVersion {
  /** Major version. */
  readonly major: number;
  /** Minor version. */
  readonly minor: number;
}

/**
 * Parse the first line of `qemu-system-x86_64 --version`.
 *
 * @param text Its output (`QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)`).
 * @returns The version, or `null` if the text is not QEMU's.
 */
export function parseQemuVersion(text: string): QemuVersion | null {
  const m = /QEMU emulator version (\d+)\.(\d+)/.exec(text);
  return m === null ? null : { major: Number(m[1]), minor: Number(m[2]) };
}

/**
 * The chardev option that makes QEMU redial a listening BMC: `reconnect=S`
 * up to QEMU 9.1; `reconnect-ms=MS` from 9.2 (10.2 rejects `reconnect=`).
 *
 * @param version QEMU's version (unknown: the 7.2 spelling, Debian bookworm's).
 * @param seconds Seconds between attempts.
 * @returns The option.
 */
export function reconnectOption(version: QemuVersion | undefined, seconds = 1): string {
  const ms = version !== undefined &&
    (version.major > 9 || (version.major === 9 && version.minor >= 2));
  return ms ? `reconnect-ms=${seconds * 1000}` : `reconnect=${seconds}`;
}

/** Options for {@link qemuIpmiArgs}. */
export interface QemuIpmiOptions {
  /** BMC endpoint as QEMU reaches it. */
  readonly endpoint: Endpoint;
  /** `client`: bmc-emu listens (QEMU dials, `reconnect=`); `server`: QEMU listens. */
  readonly qemuRole: "client" | "server";
  /** Interface device. */
  readonly iface: InterfaceKind;
  /** QEMU object id prefix. @default "bmc0" */
  readonly id?: string;
  /** Seconds between QEMU reconnect attempts. @default 1 */
  readonly reconnectSeconds?: number;
  /** QEMU's version, for the reconnect option's spelling. @default 7.2 */
  readonly qemuVersion?: QemuVersion;
}

/**
 * The `-chardev`/`-device` arguments for one BMC and interface.
 *
 * @example KCS over TCP, QEMU as client
 * ```ts
 * import assert from "node:assert/strict";
 * import { qemuIpmiArgs } from "./qemu_args.ts";
 * const args = qemuIpmiArgs({
 *   endpoint: { transport: "tcp", hostname: "127.0.0.1", port: 9002 },
 *   qemuRole: "client",
 *   iface: "kcs",
 * });
 * assert.deepEqual(args, [
 *   "-chardev", "socket,id=bmc0-chr,host=127.0.0.1,port=9002,reconnect=1",
 *   "-device", "ipmi-bmc-extern,id=bmc0,chardev=bmc0-chr",
 *   "-device", "isa-ipmi-kcs,bmc=bmc0,ioport=0xca2,irq=5",
 * ]);
 * ```
 *
 * @param options Endpoint, role and interface.
 * @returns Arguments (flag and value pairs).
 */
export function qemuIpmiArgs(options: QemuIpmiOptions): string[] {
  const id = options.id ?? "bmc0";
  const chr = `${id}-chr`;
  const where = options.endpoint.transport === "tcp"
    ? `host=${options.endpoint.hostname},port=${options.endpoint.port}`
    : `path=${options.endpoint.path}`;
  const role = options.qemuRole === "client"
    ? reconnectOption(options.qemuVersion, options.reconnectSeconds ?? 1)
    : "server=on,wait=off";
  const device = {
    kcs: `isa-ipmi-kcs,bmc=${id},ioport=0xca2,irq=5`,
    bt: `isa-ipmi-bt,bmc=${id},ioport=0xe4,irq=5`,
    ssif: `smbus-ipmi,bmc=${id},address=0x10`,
  }[options.iface];
  return [
    "-chardev",
    `socket,id=${chr},${where},${role}`,
    "-device",
    `ipmi-bmc-extern,id=${id},chardev=${chr}`,
    "-device",
    device,
  ];
}

/**
 * Human-readable attachment instructions for the start-up banner.
 *
 * @param endpoint BMC endpoint.
 * @param qemuRole QEMU's role.
 * @returns Lines of text.
 */
export function qemuAttachHelp(endpoint: Endpoint, qemuRole: "client" | "server"): string[] {
  const lines = ["Attach a QEMU guest to this BMC with:"];
  const variants: [InterfaceKind, string][] = [
    ["kcs", "KCS"],
    ["bt", "BT"],
    ["ssif", "SSIF (needs -machine q35)"],
  ];
  for (const [iface, label] of variants) {
    const args = qemuIpmiArgs({ endpoint, qemuRole, iface });
    const pairs: string[] = [];
    for (let i = 0; i < args.length; i += 2) pairs.push(`${args[i]} ${args[i + 1]}`);
    lines.push(`  ${label}:`, `    ${pairs.join(" \\\n    ")}`);
  }
  if (qemuRole === "client") {
    lines.push(
      "  (QEMU 7.2-9.1 spelling; QEMU 9.2 and later: reconnect-ms=1000 instead of reconnect=1,",
      "   and start bmc-emu first: QEMU 11.0 exits if its first connection attempt fails)",
    );
  }
  return lines;
}
