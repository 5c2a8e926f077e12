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
  "ui",
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
  ui: [...LEAVES, "core", "scenario"],
  api: BELOW_CLI.filter((l) => l !== "api" && l !== "store" && l !== "guest"),
  cli: BELOW_CLI,
  "": [...BELOW_CLI, "cli"],
};

/**
 * The layering as text, one line per layer (`core → clock, codec, log,
 * util`); README's Architecture section shows this block.
 *
 * @returns The lines.
 */
export function layerPicture(): string[] {
  return Object.entries(ALLOWED).filter(([layer]) => layer !== "").map(([layer, deps]) =>
    `${layer.padEnd(9)} → ${deps.length === 0 ? "(nothing)" : [...deps].sort().join(", ")}`
  );
}

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

/**
 * The `.ts` files under a directory.
 *
 * @param dir Directory.
 * @param rel Path of `dir` in the result (`""` for the top).
 * @yields Paths relative to the top directory.
 */
export async function* walk(dir: string, rel = ""): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory) yield* walk(`${dir}/${e.name}`, path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

/** One import edge of the module graph, both ends relative to `src/` (or a full path outside). */
export interface ImportEdge {
  /** Importing module, relative to `src/`. */
  readonly from: string;
  /** Imported module: relative to `src/`, or the file URL when outside it. */
  readonly to: string;
  /** A dynamic `import()`. */
  readonly dynamic: boolean;
}

/** The part of `deno info --json` this tool reads. */
interface DenoInfo {
  readonly modules: readonly {
    readonly specifier: string;
    readonly dependencies?: readonly {
      readonly code?: { readonly specifier: string };
      readonly type?: { readonly specifier: string };
      readonly isDynamic?: boolean;
    }[];
  }[];
}

/**
 * The project's import edges from `deno info --json` output: every static
 * and dynamic import, type-only ones included, between local files.
 *
 * @param info Parsed `deno info --json`.
 * @param srcUrl `file://…/src/`.
 * @returns Edges whose importing side is under `src/`.
 */
export function importEdges(info: DenoInfo, srcUrl: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of info.modules) {
    if (!m.specifier.startsWith(srcUrl)) continue;
    const from = m.specifier.slice(srcUrl.length);
    for (const d of m.dependencies ?? []) {
      for (const target of new Set([d.code?.specifier, d.type?.specifier])) {
        if (target === undefined || !target.startsWith("file:")) continue;
        const to = target.startsWith(srcUrl) ? target.slice(srcUrl.length) : target;
        edges.push({ from, to, dynamic: d.isDynamic === true });
      }
    }
  }
  return edges;
}

/**
 * Layering violations among import edges.
 *
 * @param edges Import edges.
 * @returns Violations.
 */
export function checkImports(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const { from, to, dynamic } of edges) {
    const layer = layerOf(from);
    const allowed = ALLOWED[layer];
    if (allowed === undefined) {
      problems.push(`${from}: layer "${layer}" is not in tools/check_layers.ts`);
      continue;
    }
    const how = dynamic ? "dynamically imports" : "imports";
    if (to.startsWith("file:")) {
      problems.push(`${from}: ${how} outside src/: ${to}`);
      continue;
    }
    const target = layerOf(to);
    if (target !== layer && !allowed.includes(target)) {
      problems.push(
        `${from}: layer "${layer || "(root)"}" may not ${
          dynamic ? "dynamically import" : "import"
        } "${target || "(root)"}" (${to})`,
      );
    }
  }
  return [...new Set(problems)];
}

/**
 * Whether a file of a pure layer reaches for I/O or ambient time.
 *
 * @param rel Path relative to `src/`.
 * @param text Source.
 * @returns Violations.
 */
export function checkPurity(rel: string, text: string): string[] {
  const layer = layerOf(rel);
  if (ALLOWED[layer] === undefined) {
    return [`${rel}: layer "${layer}" is not in tools/check_layers.ts`];
  }
  if (!PURE.includes(layer) && !PURE_FILES.includes(rel)) return [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return FORBIDDEN.filter(([pattern]) => pattern.test(code)).map(([, what]) =>
    `${rel}: ${what} is not allowed in ${layer}/`
  );
}

/** The module graph of the entry points, from `deno info --json`. */
async function graph(entries: readonly string[]): Promise<DenoInfo> {
  const modules: DenoInfo["modules"][number][] = [];
  for (const entry of entries) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Error(`deno info --json ${entry} failed`);
    modules.push(...(JSON.parse(new TextDecoder().decode(out.stdout)) as DenoInfo).modules);
  }
  return { modules };
}

if (import.meta.main) {
  const problems: string[] = [];
  const srcUrl = new URL("../src/", import.meta.url).href;
  const entries = [`${SRC}main.ts`, `${SRC}mod.ts`];
  const local = new Set<string>();
  for await (const rel of walk(SRC)) {
    local.add(rel);
    problems.push(...checkPurity(rel, await Deno.readTextFile(`${SRC}${rel}`)));
  }
  const edges = importEdges(await graph(entries), srcUrl);
  const reached = new Set(edges.flatMap((e) => [e.from, e.to]));
  // Files no entry point reaches are checked as entry points of their own.
  const orphans = [...local].filter((rel) => !reached.has(rel) && !rel.endsWith("_test.ts"));
  const more = orphans.length === 0
    ? []
    : importEdges(await graph(orphans.map((r) => SRC + r)), srcUrl);
  problems.push(...checkImports([...edges, ...more]));
  for (const p of new Set(problems)) {
    // deno-lint-ignore no-console
    console.error(p);
  }
  if (problems.length > 0) Deno.exit(1);
  // deno-lint-ignore no-console
  console.log("check_layers: layering rules hold (module graph of deno info --json)");
}
