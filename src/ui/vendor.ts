/**
 * The browser libraries of the dashboard, served from their npm package
 * files (pinned in `deno.lock`, resolved through `deno.json`'s imports):
 * nothing is fetched from a CDN and nothing is built by the user.
 *
 * @module
 */

/** Served name (`/ui/vendor/<name>`) → the module specifier it is read from. */
export const VENDOR: Readonly<Record<string, string>> = {
  "preact.mjs": "preact",
  "hooks.mjs": "preact/hooks",
  "htm.mjs": "htm",
};

/**
 * The import map of the dashboard's page: bare names → served files.
 *
 * @returns Import map JSON.
 */
export function importMap(): { imports: Record<string, string> } {
  const imports: Record<string, string> = {};
  for (const [name, specifier] of Object.entries(VENDOR)) imports[specifier] = `/ui/vendor/${name}`;
  return { imports };
}

/**
 * The text of one vendored module.
 *
 * @param name Served name (`preact.mjs`).
 * @returns The file's text, or `null` for a name that is not vendored.
 */
export async function readVendor(name: string): Promise<string | null> {
  const specifier = Object.hasOwn(VENDOR, name) ? VENDOR[name] : undefined;
  if (specifier === undefined) return null;
  return await Deno.readTextFile(new URL(import.meta.resolve(specifier)));
}
