/**
 * The JSON Schema of profile files, generated from the zod schema so
 * editors can complete and check profiles.
 *
 * @module
 */

import { z } from "zod";
import { profileSchema } from "./schema.ts";

/**
 * The profile JSON Schema document.
 *
 * @returns JSON Schema (draft 2020-12) describing profile input files.
 */
export function profileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(profileSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://bmc-emu.invalid/profile.schema.json",
    title: "bmc-emu firmware profile",
  };
}

/**
 * The schema as the committed file's text.
 *
 * @returns Pretty-printed JSON with a trailing newline.
 */
export function profileJsonSchemaText(): string {
  return JSON.stringify(profileJsonSchema(), null, 2) + "\n";
}
