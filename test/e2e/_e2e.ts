/**
 * Registers end-to-end tests: ignored with the reason when QEMU or the
 * kernel is missing, failed instead when `CI=true`.
 *
 * @module
 */

import {
  cachedKernels,
  e2eRequirements,
  type E2eSetup,
  type GuestKernel,
  KERNEL_CACHE,
} from "../../tools/e2e/mod.ts";

const requirements = await e2eRequirements();
const strict = Deno.env.get("CI") === "true";
let warned = false;

/**
 * Register one test: run with `setup`, or without one ignored with the
 * reason (failed instead when `CI=true`, where every dependency must be there).
 */
function register(
  name: string,
  setup: E2eSetup | null,
  reason: string,
  fn: (setup: E2eSetup) => Promise<void>,
): void {
  const missing = setup === null;
  if (missing && !strict && !warned) {
    warned = true;
    // deno-lint-ignore no-console
    console.warn(`e2e tests ignored: ${reason}`);
  }
  Deno.test({
    name: missing && !strict ? `${name} (ignored: ${reason})` : name,
    ignore: missing && !strict,
    fn: () => {
      if (setup === null) throw new Error(`e2e dependency missing with CI=true: ${reason}`);
      return fn(setup);
    },
  });
}

/** A further dependency of one test (a client program, a library). */
export interface E2eNeed {
  /** Whether it is there. */
  readonly present: boolean;
  /** Why the test is ignored without it (what to install). */
  readonly missing: string;
}

/**
 * Register an e2e test.
 *
 * @param name Test name.
 * @param fn Body, given the e2e setup.
 * @param need A further dependency: without it the test is ignored with its reason (failed with
 *   `CI=true`), as without QEMU or the kernel.
 */
export function e2eTest(
  name: string,
  fn: (setup: E2eSetup) => Promise<void>,
  need?: E2eNeed,
): void {
  if (!requirements.ok) register(name, null, requirements.reason, fn);
  else if (need !== undefined && !need.present) register(name, null, need.missing, fn);
  else register(name, requirements.setup, "", fn);
}

/**
 * Register an e2e test on a kernel from `.cache/kernels/` (unpacked by
 * `tools/fetch-kernel.sh`), chosen by `select`. Ignored with the reason when
 * none is there, failed instead when `CI=true`.
 *
 * @param name Test name.
 * @param wanted What kernel is needed, and how to get it (for the message).
 * @param select Picks the kernel.
 * @param fn Body, given the setup with that kernel.
 */
export async function e2eKernelTest(
  name: string,
  wanted: string,
  select: (kernel: GuestKernel) => boolean,
  fn: (setup: E2eSetup) => Promise<void>,
): Promise<void> {
  const kernel = (await cachedKernels()).find(select);
  if (requirements.ok && kernel !== undefined) {
    register(`${name} [${kernel.version}]`, { ...requirements.setup, kernel }, "", fn);
  } else {
    const reason = requirements.ok ? `no ${wanted} in ${KERNEL_CACHE}` : requirements.reason;
    register(name, null, reason, fn);
  }
}
