/**
 * Architecture rules as a script (run by `deno task lint`): which layer of
 * `src/` may import which, and no I/O, console or global timers in the pure
 * layers. Prints every violation; exits 1 if there are any.
 *
 * @module
 */

import { fromFileUrl } from "../src/util/file_url.ts";

const SRC = fromFileUrl(new URL("../src/", import.meta.url));

/** Leaf layers: they import nothing from the project. */
const LEAVES = ["util", "io", "codec", "clock", "log"];

/** Layers below the command line: every one but the leaves and `cli`. */
const BELOW_CLI = [
  ...LEAVES,
  "core",
  "profile",
  "events",
  "store",
  "transport",
  "lan",
  "runtime",
  "api",
  "power",
  "faults",
  "scenario",
  "guest",
  "redfish",
];

/** Layer → layers it may import (besides itself). */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  util: [],
  io: [],
  codec: [],
  clock: [],
  log: [],
  core: ["codec", "clock", "log", "util"],
  profile: ["core", "codec", "util", "io"],
  events: ["core", "clock"],
  store: ["core", "util"],
  transport: [...LEAVES, "core"],
  lan: [...LEAVES, "core", "transport"],
  power: [...LEAVES, "core", "transport"],
  faults: [...LEAVES, "core", "profile"],
  runtime: [
    ...LEAVES,
    "core",
    "profile",
    "events",
    "store",
    "transport",
    "power",
    "faults",
    "lan",
  ],
  scenario: [...LEAVES, "core", "profile", "events", "faults", "runtime"],
  redfish: [...LEAVES, "core", "events", "transport", "runtime", "lan", "faults"],
  guest: [...LEAVES, "runtime"],
  api: BELOW_CLI.filter((l) => l !== "api" && l !== "store" && l !== "guest"),
  cli: BELOW_CLI,
  "": [...BELOW_CLI, "cli"],
};

/** Layers that must stay free of I/O and ambient time. */
const PURE = ["codec", "core", "util"];
const PURE_FILES = ["profile/parse_profile.ts", "profile/schema.ts", "profile/profile_error.ts"];
const FORBIDDEN: [RegExp, string][] = [
  [/\bDeno\./, "Deno.* (I/O belongs at the edges)"],
  [/\bconsole\./, "console (use the injected Logger)"],
  [/\bsetTimeout\(|\bsetInterval\(/, "global timers (use the injected Clock)"],
  [/\bDate\.now\(|\bnew Date\(\)|performance\.now\(/, "ambient time (use the injected Clock)"],
];

function layerOf(rel: string): string {
  const slash = rel.indexOf("/");
  return slash < 0 ? "" : rel.slice(0, slash);
}

function resolve(fromRel: string, spec: string): string {
  const parts = fromRel.split("/").slice(0, -1);
  for (const p of spec.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

async function* walk(dir: string, rel = ""): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory) yield* walk(`${dir}/${e.name}`, path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

/**
 * Check one file's source.
 *
 * @param rel Path relative to `src/`.
 * @param text Source.
 * @returns Violations.
 */
export function checkFile(rel: string, text: string): string[] {
  const problems: string[] = [];
  const layer = layerOf(rel);
  const allowed = ALLOWED[layer];
  if (allowed === undefined) return [`${rel}: layer "${layer}" is not in tools/check_layers.ts`];
  for (const m of text.matchAll(/^\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (!spec.startsWith(".")) continue;
    const target = resolve(rel, spec);
    if (target.startsWith("..")) {
      problems.push(`${rel}: imports outside src/: ${spec}`);
      continue;
    }
    const to = layerOf(target);
    if (to !== layer && !allowed.includes(to)) {
      problems.push(
        `${rel}: layer "${layer || "(root)"}" may not import "${to || "(root)"}" (${spec})`,
      );
    }
  }
  if (PURE.includes(layer) || PURE_FILES.includes(rel)) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
    for (const [pattern, what] of FORBIDDEN) {
      if (pattern.test(code)) problems.push(`${rel}: ${what} is not allowed in ${layer}/`);
    }
  }
  return problems;
}

if (import.meta.main) {
  const problems: string[] = [];
  for await (const rel of walk(SRC)) {
    problems.push(...checkFile(rel, await Deno.readTextFile(`${SRC}${rel}`)));
  }
  for (const p of problems) {
    // deno-lint-ignore no-console
    console.error(p);
  }
  if (problems.length > 0) Deno.exit(1);
  // deno-lint-ignore no-console
  console.log("check_layers: layering rules hold");
}
