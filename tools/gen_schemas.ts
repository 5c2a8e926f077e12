/**
 * Regenerate the committed JSON Schemas from the zod schemas:
 * `deno run --allow-write tools/gen_schemas.ts`.
 *
 * - `firmware-profiles/profile.schema.json`
 * - `tools/scenarios/scenario.schema.json`
 *
 * @module
 */

import { profileJsonSchemaText } from "../src/profile/json_schema.ts";
import { scenarioJsonSchemaText } from "../src/scenario/json_schema.ts";
import { configJsonSchemaText } from "../src/runtime/config_json_schema.ts";

/** Committed schema files and their generators. */
export const SCHEMA_FILES: ReadonlyArray<readonly [URL, () => string]> = [
  [new URL("../firmware-profiles/profile.schema.json", import.meta.url), profileJsonSchemaText],
  [new URL("./scenarios/scenario.schema.json", import.meta.url), scenarioJsonSchemaText],
  [new URL("./config.schema.json", import.meta.url), configJsonSchemaText],
];

if (import.meta.main) {
  for (const [url, text] of SCHEMA_FILES) {
    await Deno.writeTextFile(url, text());
    // deno-lint-ignore no-console
    console.log(`wrote ${url.pathname}`);
  }
}
