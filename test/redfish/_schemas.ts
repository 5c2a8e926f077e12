/**
 * DMTF's Redfish JSON Schemas and Base registry, read from `../shared/redfish/`
 * (never copied into the project), with an Ajv validator that resolves the
 * schemas' `http://redfish.dmtf.org/schemas/v1/…` references to that folder.
 *
 * @module
 */

import { Ajv, type ValidateFunction } from "ajv";
import { fromFileUrl } from "../../src/util/file_url.ts";

/** The shared Redfish folder. */
export const REDFISH_DATA = fromFileUrl(new URL("../../../shared/redfish/", import.meta.url));
const SCHEMAS = `${REDFISH_DATA}json-schema/`;
const BASE = "http://redfish.dmtf.org/schemas/v1/";

/** Whether the shared data is there (a fresh clone has it beside the project). */
export const haveRedfishData = await Deno.stat(`${SCHEMAS}ServiceRoot.json`).then(
  () => true,
  () => false,
);

/** Tests that need the data are ignored without it, except with `CI=true` (then they fail). */
export const ignoreWithoutData = !haveRedfishData && Deno.env.get("CI") !== "true";

let ajv: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function load(): Ajv {
  if (ajv !== null) return ajv;
  const a = new Ajv({
    strict: false,
    validateFormats: false,
    allErrors: true,
    validateSchema: false,
  });
  const names = [...Deno.readDirSync(SCHEMAS)].map((e) => e.name).filter((n) =>
    n.endsWith(".json")
  );
  const meta = (n: string) => n.startsWith("redfish-schema");
  // The folder holds the newest version of each type only: references to older
  // versions (the unversioned schemas' anyOf lists them all) go to the newest.
  const present = new Set(names);
  const newest = new Map<string, string>();
  for (const n of names.filter((n) => /\.v\d+_\d+_\d+\.json$/.test(n)).sort()) {
    newest.set(n.slice(0, n.indexOf(".v")), n);
  }
  const retarget = (text: string) =>
    text.replace(
      /([A-Za-z0-9]+)\.v\d+_\d+_\d+\.json/g,
      (file, type: string) => present.has(file) ? file : newest.get(type) ?? file,
    );
  const referenced = new Map<string, Set<string>>();
  for (const name of [...names.filter(meta), ...names.filter((n) => !meta(n))]) {
    const text = retarget(Deno.readTextFileSync(`${SCHEMAS}${name}`));
    for (const m of text.matchAll(/"(http:\/\/[^"#]+\.json)#\/definitions\/(\w+)"/g)) {
      const defs = referenced.get(m[1]!) ?? new Set<string>();
      referenced.set(m[1]!, defs.add(m[2]!));
    }
    const schema = JSON.parse(text);
    const id = `${BASE}${name}`; // the name the references use ($ids repeat across versions)
    delete schema.$id;
    if (meta(name)) a.addMetaSchema(schema, id);
    else a.addSchema(schema, id);
  }
  // Schemas outside the folder (Swordfish): anything goes; no served resource uses them.
  for (const [uri, defs] of referenced) {
    if (present.has(uri.slice(BASE.length))) continue;
    a.addSchema({ definitions: Object.fromEntries([...defs].map((d) => [d, {}])) }, uri);
  }
  return ajv = a;
}

/**
 * Validate a resource against the schema its `@odata.type` names
 * (`#ComputerSystem.v1_27_0.ComputerSystem` → `ComputerSystem.v1_27_0.json`;
 * collections → `ComputerSystemCollection.json`).
 *
 * @param body The resource.
 * @returns Problems (empty when valid).
 */
export function schemaProblems(body: Record<string, unknown>): string[] {
  const type = body["@odata.type"];
  if (typeof type !== "string") return ["no @odata.type"];
  const m = /^#([A-Za-z]+)(?:\.(v\d+_\d+_\d+))?\.([A-Za-z]+)$/.exec(type);
  if (m === null) return [`malformed @odata.type ${type}`];
  const file = m[2] === undefined ? `${m[1]}.json` : `${m[1]}.${m[2]}.json`;
  return validateAgainst(`${BASE}${file}`, body);
}

/**
 * Validate a value against a schema by URI.
 *
 * @param uri Schema `$id` (with an optional `#/definitions/X`).
 * @param value The value.
 * @returns Problems.
 */
export function validateAgainst(uri: string, value: unknown): string[] {
  let validate = compiled.get(uri);
  if (validate === undefined) {
    validate = load().getSchema(uri);
    if (validate === undefined) return [`no schema ${uri}`];
    compiled.set(uri, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) =>
    `${uri.slice(BASE.length)}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`
  );
}

/** The Base message registry. */
export function baseRegistry(): {
  Messages: Record<string, { Message: string; MessageSeverity: string }>;
} {
  return JSON.parse(Deno.readTextFileSync(`${REDFISH_DATA}registries/Base.1.9.3.json`));
}
