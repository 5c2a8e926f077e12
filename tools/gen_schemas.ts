/**
 * Regenerate `firmware-profiles/profile.schema.json` from the zod schema:
 * `deno run --allow-write tools/gen_profile_schema.ts`.
 *
 * @module
 */

import { profileJsonSchemaText } from "../src/profile/json_schema.ts";

const target = new URL("../firmware-profiles/profile.schema.json", import.meta.url);
await Deno.writeTextFile(target, profileJsonSchemaText());
// deno-lint-ignore no-console
console.log(`wrote ${target.pathname}`);
