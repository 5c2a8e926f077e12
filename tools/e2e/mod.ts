/**
 * End-to-end harness: real bmc-emu process, real QEMU, real Linux guest.
 *
 * @module
 */

export { BmcProcess, type BmcProcessOptions, type LogEntry } from "./bmc_process.ts";
export {
  cachedKernels,
  findKernel,
  type GuestKernel,
  KERNEL_CACHE,
} from "../../src/guest/guest_kernel.ts";
export { type GuestContext, type GuestRunOptions, withGuest } from "./harness.ts";
export { LineWaiter } from "../../src/guest/line_waiter.ts";
export { type GuestResult, QemuGuest } from "../../src/guest/qemu_guest.ts";
export { e2eRequirements, type E2eSetup, INSTALL_HINT } from "./requirements.ts";
