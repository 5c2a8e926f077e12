/**
 * Headless browsers for the dashboard's browser tests, driven by
 * `puppeteer-core`: Debian's `chromium` (or `BMC_EMU_CHROMIUM`) over the
 * DevTools protocol, and Debian's `firefox-esr` (or `BMC_EMU_FIREFOX`) over
 * WebDriver BiDi.
 *
 * @module
 */

import puppeteer, { type Browser } from "puppeteer-core";

/** Where the browser is: `BMC_EMU_CHROMIUM` or Debian's `/usr/bin/chromium`. */
export const CHROMIUM: string = Deno.env.get("BMC_EMU_CHROMIUM") ?? "/usr/bin/chromium";

/** Where Firefox is: `BMC_EMU_FIREFOX` or Debian's `/usr/bin/firefox-esr`. */
export const FIREFOX: string = Deno.env.get("BMC_EMU_FIREFOX") ?? "/usr/bin/firefox-esr";

function installed(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Whether Chromium is installed. */
export function chromiumAvailable(): boolean {
  return installed(CHROMIUM);
}

/** Whether Firefox is installed. */
export function firefoxAvailable(): boolean {
  return installed(FIREFOX);
}

/**
 * Launch headless Firefox (WebDriver BiDi).
 *
 * @returns The browser (close it).
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true });
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
