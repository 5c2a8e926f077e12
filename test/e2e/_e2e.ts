/**
 * Registers end-to-end tests: ignored with the reason when QEMU or the
 * kernel is missing, failed instead when `CI=true`.
 *
 * @module
 */

import { e2eRequirements, type E2eSetup } from "../../tools/e2e/mod.ts";

const requirements = await e2eRequirements();
const strict = Deno.env.get("CI") === "true";
let warned = false;

/**
 * Register an e2e test.
 *
 * @param name Test name.
 * @param fn Body, given the e2e setup.
 */
export function e2eTest(name: string, fn: (setup: E2eSetup) => Promise<void>): void {
  if (requirements.ok) {
    const setup = requirements.setup;
    Deno.test({ name, fn: () => fn(setup) });
    return;
  }
  const reason = requirements.reason;
  if (strict) {
    Deno.test(name, () => {
      throw new Error(`e2e dependency missing with CI=true: ${reason}`);
    });
    return;
  }
  if (!warned) {
    warned = true;
    // deno-lint-ignore no-console
    console.warn(`e2e tests ignored: ${reason}`);
  }
  Deno.test({ name: `${name} (ignored: ${reason})`, ignore: true, fn: () => {} });
}
