/**
 * The JSON Schema of `serve --config` files, generated from the zod schema
 * (editors complete and check a config with it: `"$schema": "…/config.schema.json"`).
 *
 * @module
 */

import { z } from "zod";
import { configSchema } from "./config_file.ts";

/**
 * The schema as the committed file's text.
 *
 * @returns Pretty-printed JSON with a trailing newline.
 */
export function configJsonSchemaText(): string {
  const schema = {
    ...z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }),
    $id: "https://bmc-emu.invalid/config.schema.json",
    title: "bmc-emu serve --config file",
  };
  return JSON.stringify(schema, null, 2) + "\n";
}
