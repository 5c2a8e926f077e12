/**
 * The dashboard's own files (`src/ui/assets/`): ES modules and a style
 * sheet the browser loads as they are, with no build step.
 *
 * @module
 */

/** The files under `assets/` that are served (anything else is a 404). */
export const ASSETS: readonly string[] = [
  "index.html",
  "style.css",
  "app.js",
  "api.js",
  "store.js",
  "live.js",
  "rack_view.js",
  "bmc_view.js",
  "timeline.js",
  "timeline_view.js",
  "sel_table.js",
  "sensor_table.js",
  "controls.js",
  "fault_form.js",
  "format.js",
  "config.js",
  "guest_panel.js",
  "traffic.js",
];

const TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
};

/**
 * The content type of an asset.
 *
 * @param name File name.
 * @returns Its `Content-Type`.
 */
export function assetType(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/**
 * An asset's text.
 *
 * @param name File name (one of {@link ASSETS}).
 * @returns The text, or `null` for a name that is not an asset.
 */
export async function readAsset(name: string): Promise<string | null> {
  if (!ASSETS.includes(name)) return null;
  return await Deno.readTextFile(new URL(`./assets/${name}`, import.meta.url));
}
