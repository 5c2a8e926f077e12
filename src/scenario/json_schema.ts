/**
 * The JSON Schema of scenario files, generated from the zod schema.
 *
 * @module
 */

import { z } from "zod";
import { scenarioSchema } from "./scenario_schema.ts";

/**
 * The schema as the committed file's text.
 *
 * @returns Pretty-printed JSON with a trailing newline.
 */
export function scenarioJsonSchemaText(): string {
  const schema = {
    ...z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://bmc-emu.invalid/scenario.schema.json",
    title: "bmc-emu scenario",
  };
  return JSON.stringify(schema, null, 2) + "\n";
}
