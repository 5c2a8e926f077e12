/**
 * `serve --config FILE`: many BMCs in one process, declared in JSON and
 * validated by a schema, with errors that name the file and the field.
 *
 * @module
 */

import { SchemaError } from "../util/schema_error.ts";
import { z } from "zod";
import { FaultRuleError, faultRuleSchema, resolveFaultRule } from "../faults/fault_schema.ts";
import { redfishFaultSchema } from "../faults/redfish_fault_schema.ts";
import { readJsonFile } from "../io/read_json_file.ts";
import { describeIssue, formatIssuePath, primaryIssue } from "../profile/parse_profile.ts";
import {
  type Endpoint,
  formatEndpoint,
  parseAddress,
  parseEndpoint,
} from "../transport/endpoint.ts";
import { errorMessage } from "../util/error_message.ts";
import { addressField, lanSchema, lanUserSchema } from "../lan/lan_config.ts";

/** A BMC id: letters, digits, `.`, `_`, `-`. */
export const BMC_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const endpoint = z.string().transform((text, ctx): Endpoint => {
  try {
    return parseEndpoint(text);
  } catch (error) {
    ctx.addIssue({
      code: "custom",
      message: `must be tcp:HOST:PORT or unix:PATH (${errorMessage(error)})`,
    });
    return z.NEVER;
  }
});

/** Fault rules whose names (netfn, command) resolve; the issue names the rule's field. */
const faultRules = z.array(faultRuleSchema).superRefine((rules, ctx) => {
  rules.forEach((rule, j) => {
    try {
      resolveFaultRule(rule, () => 0);
    } catch (error) {
      if (!(error instanceof FaultRuleError)) throw error;
      ctx.addIssue({
        code: "custom",
        path: [j, ...error.field.split(".")],
        message: error.problem,
      });
    }
  });
});

/**
 * One BMC's configuration: an entry of a config file's `bmcs`, the body of
 * `POST /api/v1/bmcs`, and what `serve`'s single-BMC flags describe.
 */
export const bmcEntrySchema = z.object({
  id: z.string().regex(BMC_ID_PATTERN, "must be 1-64 letters, digits, '.', '_' or '-'"),
  profile: z.string().min(1).default("generic").describe("Shipped profile name or path"),
  vm: z.union([
    z.object({ listen: endpoint.describe("bmc-emu listens; QEMU dials with reconnect=") }).strict(),
    z.object({ connect: endpoint.describe("QEMU listens; bmc-emu dials with backoff") }).strict(),
  ]),
  qmp: endpoint.optional().describe("QEMU monitor: selects the qmp power backend"),
  stateFile: z.string().min(1).nullable().optional().describe(
    "State database; default <stateDir>/<id>.sqlite; null keeps this BMC in memory",
  ),
  faults: faultRules.default([]).describe(
    "Fault rules active from the start (match.channel: system or lan)",
  ),
  lan: lanSchema.optional().describe("IPMI over LAN (RMCP+) of this BMC (none unless given)"),
  console: z.object({
    listen: endpoint.describe("Where QEMU's serial chardev connects (SOL, console log)"),
  }).strict().optional().describe("The guest's serial console endpoint"),
  redfish: z.object({
    listen: addressField.describe("HOST:PORT of this BMC's Redfish service"),
    tls: z.union([
      z.object({ cert: z.string().min(1), key: z.string().min(1) }).strict(),
      z.literal("self-signed"),
    ]).optional().describe("PEM certificate and key files, or self-signed: serve HTTPS"),
    faults: z.array(redfishFaultSchema).max(256).optional().describe(
      'Fault rules on the Redfish channel (match.channel: "redfish")',
    ),
  }).strict().optional().describe("This BMC's Redfish service (none unless given)"),
  users: z.array(lanUserSchema).min(1).max(14).optional().describe(
    "The BMC's users (IPMI over LAN, Redfish); default admin/admin, loopback only",
  ),
}).strict();

/**
 * One BMC's configuration, validated: the one shape the single-BMC flags,
 * the config file, `POST /api/v1/bmcs` and the shard workers pass around.
 * What a running BMC needs besides (its loaded profile, its state file, its
 * LAN specs) is derived from it by `bmcSpecOf()`.
 */
export type BmcConfigEntry = z.output<typeof bmcEntrySchema>;

/**
 * Parse the API address: `HOST:PORT`, or `off`.
 *
 * @param text Address.
 * @returns Host and port, `null` for off, or `undefined` if malformed.
 */
export function parseApiAddress(
  text: string,
): { hostname: string; port: number } | null | undefined {
  return text === "off" ? null : parseAddress(text) ?? undefined;
}

/** Default state directory (a config file's and `serve`'s). */
export const DEFAULT_STATE_DIR = ".bmc-state";

/** The config file format. */
export const configSchema = z.object({
  $schema: z.string().optional(),
  stateDir: z.string().min(1).nullable().default(DEFAULT_STATE_DIR).describe(
    "Directory of the per-BMC state databases; null keeps all state in memory",
  ),
  api: z.object({
    listen: z.string().superRefine((text, ctx) => {
      if (parseApiAddress(text) === undefined) {
        ctx.addIssue({ code: "custom", message: `must be HOST:PORT or off, got "${text}"` });
      }
    }).optional().describe("HOST:PORT, or off"),
    token: z.string().min(16, "must be at least 16 characters").optional(),
  }).strict().optional(),
  bmcs: z.array(bmcEntrySchema).min(1, "must declare at least one BMC").max(10_000),
}).strict();

/** A validated config file. */
export type ServeConfig = z.output<typeof configSchema>;

/** A config file that cannot be used; the message names the file and the field. */
export class ConfigError extends SchemaError {
  /**
   * Create the error.
   *
   * @param file Config file.
   * @param field Offending field ("" for the whole file).
   * @param problem What is wrong.
   */
  constructor(file: string, field: string, problem: string) {
    super("config", file, field, problem);
    this.name = "ConfigError";
  }
}

/**
 * Validate a config document.
 *
 * @param json Parsed JSON.
 * @param file File name for errors.
 * @returns The config.
 * @throws {ConfigError} Naming the first problem.
 */
export function parseConfig(json: unknown, file: string): ServeConfig {
  const result = configSchema.safeParse(json);
  if (!result.success) {
    const issue = primaryIssue(result.error);
    throw new ConfigError(file, formatIssuePath(issue.path), describeIssue(issue));
  }
  const repeated = repeatedKeys(result.data)[0];
  if (repeated !== undefined) throw new ConfigError(file, repeated.field, repeated.problem);
  return result.data;
}

/** Ids and VM endpoints that two BMCs of a valid config share. */
function repeatedKeys(config: ServeConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const ids = new Set<string>();
  const listens = new Set<string>();
  config.bmcs.forEach((b, i) => {
    if (ids.has(b.id)) out.push({ field: `bmcs[${i}].id`, problem: `repeats the id "${b.id}"` });
    ids.add(b.id);
    if ("listen" in b.vm && !(b.vm.listen.transport === "tcp" && b.vm.listen.port === 0)) {
      const key = formatEndpoint(b.vm.listen);
      if (listens.has(key)) {
        out.push({ field: `bmcs[${i}].vm.listen`, problem: `repeats the endpoint ${key}` });
      }
      listens.add(key);
    }
  });
  return out;
}

/** One problem of a config document. */
export interface ConfigProblem {
  /** Field path (`bmcs[1].vm.listen`), `""` for the document. */
  readonly field: string;
  /** What is wrong with it. */
  readonly problem: string;
}

/**
 * Every problem of a config document (for `serve --check-config`), not only the first.
 *
 * @param json Parsed JSON.
 * @returns Problems, empty when the config is valid.
 */
export function configProblems(json: unknown): ConfigProblem[] {
  const result = configSchema.safeParse(json);
  if (result.success) return repeatedKeys(result.data);
  const out = result.error.issues.map((one) => {
    // For a field that may take several shapes, name the closest shape's problem.
    const issue = primaryIssue(new z.ZodError([one]));
    return { field: formatIssuePath(issue.path), problem: describeIssue(issue) };
  });
  // Repeated ids are a problem whatever else is wrong.
  const bmcs = (json as { bmcs?: unknown } | null)?.bmcs;
  const seen = new Set<string>();
  if (Array.isArray(bmcs)) {
    bmcs.forEach((b, i) => {
      const id = (b as { id?: unknown } | null)?.id;
      if (typeof id !== "string") return;
      if (seen.has(id)) out.push({ field: `bmcs[${i}].id`, problem: `repeats the id "${id}"` });
      seen.add(id);
    });
  }
  return out;
}

/**
 * Read and validate a config file.
 *
 * @param file Path.
 * @returns The config.
 * @throws {ConfigError} If unreadable, not JSON, or invalid.
 */
export async function loadConfig(file: string): Promise<ServeConfig> {
  const json = await readJsonFile(file, (problem) => new ConfigError(file, "", problem));
  return parseConfig(json, file);
}
