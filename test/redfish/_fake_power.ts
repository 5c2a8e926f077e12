/**
 * A power backend that can do everything (like qmp) and records what it did.
 *
 * @module
 */

import type { PowerBackend, PowerCheck, PowerOp } from "../../src/core/ports.ts";

/** Records operations; every one is possible. */
export class FakeQmpBackend implements PowerBackend {
  /** Backend name. */
  readonly kind = "fake-qmp";
  /** Operations performed, in order. */
  readonly performed: PowerOp[] = [];

  /** Always possible. */
  check(_op: PowerOp): PowerCheck {
    return { ok: true };
  }

  /** Record `op`. */
  perform(op: PowerOp): void {
    this.performed.push(op);
  }
}
