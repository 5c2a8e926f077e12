/**
 * Headless Chromium for the dashboard's browser tests: Debian's `chromium`
 * (or `BMC_EMU_CHROMIUM`) driven by `puppeteer-core`.
 *
 * @module
 */

import puppeteer, { type Browser } from "puppeteer-core";

/** Where the browser is: `BMC_EMU_CHROMIUM` or Debian's `/usr/bin/chromium`. */
export const CHROMIUM: string = Deno.env.get("BMC_EMU_CHROMIUM") ?? "/usr/bin/chromium";

/** Whether the browser is installed. */
export function chromiumAvailable(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/**
 * Launch headless Chromium.
 *
 * @returns The browser (close it).
 */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/** Where screenshots go (`BMC_EMU_ARTIFACTS` or `.cache/artifacts/`), created. */
export async function artifactDir(): Promise<string> {
  const dir = Deno.env.get("BMC_EMU_ARTIFACTS") ??
    new URL("../../.cache/artifacts/", import.meta.url).pathname;
  await Deno.mkdir(dir, { recursive: true });
  return dir.endsWith("/") ? dir : `${dir}/`;
}
