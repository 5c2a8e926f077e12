/**
 * `bmc-emu guest --help`.
 *
 * @module
 */

import { DEFAULT_API_URL } from "../runtime/config_plan.ts";

/** Help text of the guest command. */
export const GUEST_HELP =
  `Usage: bmc-emu guest [options]          (deno task guest / deno task demo)

Boots a Linux guest in QEMU (TCG, no KVM needed) attached to a BMC, with the
IPMI drivers loaded, ipmitool and a watchdog feeder inside. Without --bmc a
BMC is started in this process (ephemeral state; its log is kept next to the
guest's sockets until exit). The initramfs is built from the kernel's own
modules, busybox-static and ipmitool, and cached under .cache/e2e/.

Options:
  --kernel VERSION|DIR  guest kernel: a release such as 6.18.9+deb13-amd64
                        (from .cache/kernels/, the machine, or fetched from
                        Debian with tools/fetch-kernel.sh) or a tree with
                        boot/vmlinuz-* and lib/modules/<release>/
                        (default: the installed kernel)
  --iface kcs|bt|ssif   the guest's system interface (default kcs)
  --bmc URL             attach to a BMC of a running bmc-emu (its API URL,
                        e.g. ${DEFAULT_API_URL}; BMC_EMU_API_TOKEN is sent)
  --id ID               which BMC at --bmc (default bmc0)
  --profile NAME|PATH   firmware profile of the BMC started here (default generic)
  --run CMD             run CMD in the guest once it is up, print its output
                        and exit with its status (no console)
  --timeout SECONDS     limit for --run (default 300)
  --qemu PATH           QEMU binary (default qemu-system-x86_64)
  --memory MB           guest memory (default 256)
  -h, --help            this help

Without --run the guest's console is this terminal: Ctrl-a x quits,
Ctrl-a c switches to QEMU's monitor. On boot the guest prints what to try.

Exit status: with --run the command's own; 0 after a console session;
1 the guest or BMC could not start; 2 usage.

Examples:
  deno task demo
  deno task guest --kernel 6.18.9+deb13-amd64 --run "uname -r"
  deno task start &  deno task guest --bmc ${DEFAULT_API_URL}`;
