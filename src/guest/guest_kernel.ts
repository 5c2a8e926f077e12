/**
 * Guest kernels for the end-to-end harness: the installed Debian kernel, or
 * any unpacked kernel tree (`boot/vmlinuz-*` + `lib/modules/<version>/`,
 * as `dpkg -x` of Debian's kernel packages produces).
 *
 * @module
 */

/** A bootable kernel and its modules. */
export interface GuestKernel {
  /** Kernel release (`6.1.0-56-amd64`). */
  readonly version: string;
  /** Path of the bzImage. */
  readonly image: string;
  /** `lib/modules/<version>` directory. */
  readonly modulesDir: string;
}

/** Whether something is at `path`. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Find a kernel under `root` (`/` for the installed one): the newest
 * `boot/vmlinuz-<v>` that has `lib/modules/<v>` (or `usr/lib/modules/<v>`).
 *
 * @param root Root of the tree.
 * @returns The kernel, or `null` if none is complete.
 */
export async function findKernel(root = "/"): Promise<GuestKernel | null> {
  const base = root.endsWith("/") ? root : root + "/";
  const versions: string[] = [];
  try {
    for await (const entry of Deno.readDir(`${base}boot`)) {
      if (entry.name.startsWith("vmlinuz-")) versions.push(entry.name.slice("vmlinuz-".length));
    }
  } catch {
    return null;
  }
  versions.sort(compareVersions).reverse();
  for (const version of versions) {
    for (const mods of [`${base}lib/modules/${version}`, `${base}usr/lib/modules/${version}`]) {
      if (await exists(`${mods}/modules.dep`)) {
        return { version, image: `${base}boot/vmlinuz-${version}`, modulesDir: mods };
      }
    }
  }
  return null;
}

/** A module file resolved for loading. */
export interface ModuleFile {
  /** Module name (`ipmi_si`). */
  readonly name: string;
  /** Path relative to the modules directory (may end in .xz/.zst). */
  readonly relPath: string;
}

function moduleName(relPath: string): string {
  const file = relPath.split("/").pop()!;
  return file.replace(/\.ko(\.(xz|zst|gz))?$/, "").replaceAll("-", "_");
}

/**
 * Parse `modules.dep` into name → (path, dependency paths).
 *
 * @param text File contents.
 * @returns Map keyed by module name.
 */
export function parseModulesDep(text: string): Map<string, { relPath: string; deps: string[] }> {
  const out = new Map<string, { relPath: string; deps: string[] }>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const relPath = line.slice(0, colon).trim();
    const deps = line.slice(colon + 1).trim().split(/\s+/).filter((d) => d !== "");
    out.set(moduleName(relPath), { relPath, deps });
  }
  return out;
}

/**
 * The wanted modules and everything they depend on, dependencies first.
 * Modules the kernel has built in (absent from `modules.dep`) are skipped.
 *
 * @param dep Parsed `modules.dep`.
 * @param wanted Module names.
 * @returns Load order.
 */
export function moduleLoadOrder(
  dep: Map<string, { relPath: string; deps: string[] }>,
  wanted: readonly string[],
): ModuleFile[] {
  const order: ModuleFile[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const entry = dep.get(name);
    if (entry === undefined) return;
    for (const d of entry.deps) visit(moduleName(d));
    order.push({ name, relPath: entry.relPath });
  };
  for (const name of wanted) visit(name.replaceAll("-", "_"));
  return order;
}

/** Where `tools/fetch-kernel.sh` unpacks kernels by default. */
export const KERNEL_CACHE = new URL("../../.cache/kernels/", import.meta.url).pathname;

/**
 * The kernels unpacked under `dir` (one tree per release), newest first.
 *
 * @param dir Cache directory (default `.cache/kernels/`).
 * @returns Complete kernels only.
 */
export async function cachedKernels(dir: string = KERNEL_CACHE): Promise<GuestKernel[]> {
  const found: GuestKernel[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isDirectory) continue;
      const kernel = await findKernel(`${dir}/${entry.name}`);
      if (kernel !== null) found.push(kernel);
    }
  } catch {
    return [];
  }
  return found.sort((a, b) => compareVersions(b.version, a.version));
}
