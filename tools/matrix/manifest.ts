/**
 * The kernel matrix's manifest (`tools/kernels.json`): which kernel builds
 * the matrix runs, why each one is there (which fix it has or lacks), and the
 * verdict each shipped scenario is expected to give on it (measured; CI
 * asserts the ones marked `ci`).
 *
 * @module
 */

import { z } from "zod";
import { type Verdict, VERDICTS } from "./verdict.ts";

/** Interfaces a cell can run on. */
export const IFACES = ["kcs", "bt", "ssif"] as const;

/** One guest interface type. */
export type Iface = typeof IFACES[number];

const release = z.string().regex(
  /^\d+\.\d+[\w.+~-]*-amd64$/,
  "must be a kernel release as 'uname -r' prints it, e.g. 6.18.9+deb13-amd64",
);

const kernelEntry = z.object({
  release,
  line: z.string().regex(/^\d+\.\d+$/, "must be a kernel line such as 6.18"),
  suite: z.string().min(1).describe("Debian suite that carries it"),
  why: z.string().min(1).describe("Why it is in the matrix: which fixes it has or lacks"),
  ci: z.boolean().default(false).describe("Run by CI on every push"),
  expect: z.record(z.string(), z.union([z.enum(VERDICTS), z.array(z.enum(VERDICTS)).min(2)]))
    .default({})
    .describe(
      "Scenario name → measured verdict on KCS, or the verdicts measured across runs where the " +
        "cell varies (e.g. an ipmitool request now and then refused at once: protected or recovered)",
    ),
}).strict();

const manifestSchema = z.object({
  $comment: z.string().optional(),
  ciScenarios: z.array(z.string().min(1)).min(1),
  kernels: z.array(kernelEntry).min(1),
}).strict().superRefine((m, ctx) => {
  const seen = new Set<string>();
  m.kernels.forEach((k, i) => {
    if (seen.has(k.release)) {
      ctx.addIssue({
        code: "custom",
        path: ["kernels", i, "release"],
        message: `${k.release} is listed twice`,
      });
    }
    seen.add(k.release);
    if (!k.release.startsWith(`${k.line}.`)) {
      ctx.addIssue({
        code: "custom",
        path: ["kernels", i, "line"],
        message: `${k.release} is not on line ${k.line}`,
      });
    }
  });
});

/** One manifest kernel. */
export type ManifestKernel = z.output<typeof kernelEntry>;

/** The manifest. */
export type Manifest = z.output<typeof manifestSchema>;

/** The committed manifest. */
export const MANIFEST_PATH = new URL("../kernels.json", import.meta.url).pathname;

/**
 * Validate a manifest.
 *
 * @param value Parsed JSON.
 * @param source Where it came from, for messages.
 * @returns The manifest.
 * @throws {Error} Naming the field and what is wrong with it.
 */
export function parseManifest(value: unknown, source: string): Manifest {
  const r = manifestSchema.safeParse(value);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
  throw new Error(`${source}: ${why.join("; ")}`);
}

/**
 * Read and validate a manifest file.
 *
 * @param path File. @default the committed manifest
 * @returns The manifest.
 */
export async function loadManifest(path: string = MANIFEST_PATH): Promise<Manifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`${path}: cannot read the manifest (${error})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${error})`);
  }
  return parseManifest(json, path);
}

/**
 * Whether a measured verdict is what the manifest expects.
 *
 * @param expected The manifest's `expect` entry (absent: nothing is expected).
 * @param verdict The measured verdict.
 * @returns `true` if it matches (or nothing is expected).
 */
export function expectationMet(
  expected: Verdict | readonly Verdict[] | undefined,
  verdict: Verdict,
): boolean {
  if (expected === undefined) return true;
  return typeof expected === "string" ? expected === verdict : expected.includes(verdict);
}
