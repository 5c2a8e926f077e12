/**
 * The `vm` power backend: chassis operations expressed only as VM protocol
 * commands. It cannot power a VM on (QEMU has no such command); power cycle
 * becomes a reset; power off ends QEMU unless it runs with
 * `-action shutdown=pause`.
 *
 * @module
 */

import { VmCapability } from "../codec/constants.ts";
import type { HostAction, HostLink, PowerBackend, PowerCheck, PowerOp } from "./ports.ts";

const ACTION_BY_OP: Record<Exclude<PowerOp, "on">, [HostAction, number]> = {
  off: ["power-off", VmCapability.Power],
  cycle: ["reset", VmCapability.Reset],
  reset: ["reset", VmCapability.Reset],
  "soft-off": ["graceful-shutdown", VmCapability.GracefulShutdown],
  diag: ["nmi", VmCapability.Nmi],
};

const OK: PowerCheck = { ok: true };

/** Power operations over the VM link. */
export class VmPowerBackend implements PowerBackend {
  /** Backend name. */
  readonly kind = "vm";
  readonly #link: HostLink;

  /**
   * Create the backend.
   *
   * @param link The VM link.
   */
  constructor(link: HostLink) {
    this.#link = link;
  }

  /**
   * Whether `op` is possible: never `on`; others need a connected QEMU that
   * advertised the matching capability.
   *
   * @param op Operation.
   * @returns The check result.
   */
  check(op: PowerOp): PowerCheck {
    if (op === "on") {
      return {
        ok: false,
        reason:
          "the vm power backend cannot power on: QEMU has no power-on command on the VM link (use the qmp backend)",
      };
    }
    const caps = this.#link.capabilities();
    if (caps === null) return { ok: false, reason: "no VM is connected" };
    const [action, cap] = ACTION_BY_OP[op];
    if ((caps & cap) === 0) {
      return { ok: false, reason: `QEMU did not advertise the ${action} capability` };
    }
    return OK;
  }

  /**
   * Send the VM command for `op`.
   *
   * @param op Operation (checked).
   */
  perform(op: PowerOp): void {
    if (op === "on") return;
    this.#link.act(ACTION_BY_OP[op][0]);
  }
}
