/**
 * Builds and caches the guest's initramfs: busybox-static, ipmitool with its
 * shared libraries, the kernel's IPMI and SMBus modules (decompressed), and
 * the guest init and agent scripts. A run adds a small overlay archive with
 * its own boot script (the kernel unpacks concatenated archives in order).
 *
 * @module
 */

import { sha256Hex } from "../util/sha256_hex.ts";
import { fromFileUrl } from "../util/file_url.ts";
import { type CpioEntry, writeCpio } from "./cpio.ts";
import { exists, type GuestKernel, moduleLoadOrder, parseModulesDep } from "./guest_kernel.ts";
import { concatBytes } from "../util/bytes.ts";

/** Modules the guest image carries (dependencies are added). */
export const GUEST_MODULES = [
  "ipmi_msghandler",
  "ipmi_devintf",
  "ipmi_si",
  "i2c_smbus",
  "i2c_i801",
  "ipmi_ssif",
  "ipmi_watchdog",
  "ipmi_poweroff",
] as const;

/** Host binaries copied into the guest. */
export const GUEST_BINARIES = { busybox: "/bin/busybox", ipmitool: "/usr/bin/ipmitool" } as const;

const GUEST_DIR = new URL("./image/", import.meta.url);
/** Scripts installed in the guest's /bin (besides /init). */
const GUEST_SCRIPTS = [
  "e2e-agent",
  "e2e-run",
  "load-ipmi",
  "wdfeed",
  "mcprobe",
  "e2e-evidence",
] as const;
/** Bump when the image layout changes, to invalidate caches. */
const IMAGE_VERSION = "4";

/** IANA's enterprise number registry, which ipmitool reads for manufacturer names. */
export const ENTERPRISE_NUMBERS = "/usr/share/misc/enterprise-numbers.txt";
/**
 * The enterprise numbers the guest's registry keeps (the whole file is 4.7 MB
 * and ipmitool parses it on every run): the manufacturers of the shipped
 * firmware profiles and of the peers.
 */
const GUEST_ENTERPRISE_NUMBERS = new Set([
  0,
  11,
  343,
  674,
  4753,
  7244,
  10368,
  10876,
  19046,
  20301,
  32473,
  47196,
  47488,
  49871,
]);

/**
 * The registry trimmed to `keep`: the header, then each kept entry (its
 * number line and the indented lines under it).
 *
 * @param text The registry.
 * @param keep Enterprise numbers to keep.
 * @returns The trimmed registry.
 */
export function trimEnterpriseNumbers(text: string, keep: ReadonlySet<number>): string {
  const out: string[] = [];
  let inHeader = true;
  let keeping = false;
  for (const line of text.split("\n")) {
    if (/^\d+$/.test(line)) {
      inHeader = false;
      keeping = keep.has(Number(line));
    }
    if (inHeader || keeping) out.push(line);
  }
  return out.join("\n") + "\n";
}

/** Default cache directory for built images. */
export const DEFAULT_CACHE_DIR: string = fromFileUrl(new URL("../../.cache/e2e/", import.meta.url));

async function run(cmd: string, args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

/**
 * Shared libraries a binary needs, from `ldd`.
 *
 * @param binary Path of the binary.
 * @returns Absolute library paths, including the dynamic loader.
 */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const text = new TextDecoder().decode(await run("ldd", [binary]));
  const libs: string[] = [];
  for (const line of text.split("\n")) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

async function moduleBytes(path: string): Promise<Uint8Array> {
  if (path.endsWith(".xz")) return await run("xz", ["-dc", path]);
  if (path.endsWith(".zst")) return await run("zstd", ["-dcq", path]);
  if (path.endsWith(".gz")) return await run("gzip", ["-dc", path]);
  return await Deno.readFile(path);
}

function parentDirs(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join("/")).filter((p) => p !== "");
}

async function statKey(path: string): Promise<string> {
  const info = await Deno.stat(path).catch(() => null);
  return info === null ? `${path}:missing` : `${path}:${info.size}:${info.mtime?.getTime() ?? 0}`;
}

/**
 * Build (or reuse from the cache) the base image for `kernel`.
 *
 * @param kernel Guest kernel.
 * @param cacheDir Cache directory.
 * @returns Path of the base cpio archive.
 */
export async function baseInitramfs(
  kernel: GuestKernel,
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<string> {
  const dep = parseModulesDep(await Deno.readTextFile(`${kernel.modulesDir}/modules.dep`));
  const modules = moduleLoadOrder(dep, GUEST_MODULES);
  const libs = await sharedLibraries(GUEST_BINARIES.ipmitool);
  const scripts: Record<string, string> = {};
  for (const name of ["init", ...GUEST_SCRIPTS]) {
    scripts[name] = await Deno.readTextFile(new URL(name, GUEST_DIR));
  }
  const keyParts = [
    IMAGE_VERSION,
    kernel.version,
    ...await Promise.all(modules.map((m) => statKey(`${kernel.modulesDir}/${m.relPath}`))),
    ...await Promise.all(
      [...Object.values(GUEST_BINARIES), ...libs, ENTERPRISE_NUMBERS].map(statKey),
    ),
    JSON.stringify(scripts),
  ];
  const key = (await sha256Hex(keyParts.join("\n"))).slice(0, 16);
  const path = `${cacheDir}initramfs-${kernel.version}-${key}.cpio`;
  if (await exists(path)) return path;
  const enc = new TextEncoder();
  const files: CpioEntry[] = [];
  const dirs = new Set([
    "bin",
    "sbin",
    "etc",
    "etc/e2e",
    "lib",
    "lib64",
    "usr",
    "usr/bin",
    "proc",
    "sys",
    "dev",
    "tmp",
    "run",
    "var",
    "lib/modules",
    "lib/modules/e2e",
  ]);
  const addFile = async (guestPath: string, hostPath: string, mode: number): Promise<void> => {
    for (const d of parentDirs(guestPath)) dirs.add(d);
    files.push({ kind: "file", path: guestPath, data: await Deno.readFile(hostPath), mode });
  };
  files.push({ kind: "file", path: "init", data: enc.encode(scripts["init"]!), mode: 0o755 });
  for (const script of GUEST_SCRIPTS) {
    files.push({
      kind: "file",
      path: `bin/${script}`,
      data: enc.encode(scripts[script]!),
      mode: 0o755,
    });
  }
  await addFile("bin/busybox", GUEST_BINARIES.busybox, 0o755);
  files.push({ kind: "symlink", path: "bin/sh", target: "busybox" });
  await addFile("usr/bin/ipmitool", GUEST_BINARIES.ipmitool, 0o755);
  const registry = await Deno.readTextFile(ENTERPRISE_NUMBERS).catch(() => null);
  if (registry !== null) {
    dirs.add("usr/share").add("usr/share/misc");
    files.push({
      kind: "file",
      path: "usr/share/misc/enterprise-numbers.txt",
      data: enc.encode(trimEnterpriseNumbers(registry, GUEST_ENTERPRISE_NUMBERS)),
      mode: 0o644,
    });
  }
  for (const lib of libs) await addFile(lib.slice(1), lib, 0o755);
  for (const m of modules) {
    const data = await moduleBytes(`${kernel.modulesDir}/${m.relPath}`);
    files.push({ kind: "file", path: `lib/modules/e2e/${m.name}.ko`, data, mode: 0o644 });
  }
  files.push({
    kind: "file",
    path: "lib/modules/e2e/order",
    data: enc.encode(modules.map((m) => m.name).join("\n") + "\n"),
  });
  const entries: CpioEntry[] = [
    ...[...dirs].sort().map((d): CpioEntry => ({ kind: "dir", path: d })),
    { kind: "chardev", path: "dev/console", major: 5, minor: 1 },
    ...files,
  ];
  await Deno.mkdir(cacheDir, { recursive: true });
  // Test modules run in parallel workers of one process and may build the
  // same image at once: each writes its own file and renames it into place
  // atomically, so a reader never sees a half-written archive.
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  await Deno.writeFile(tmp, writeCpio(entries));
  await Deno.rename(tmp, path);
  return path;
}

/**
 * Write the run's initrd: the base image followed by an overlay holding
 * `/etc/e2e/boot.sh` (run at every boot before the agent starts).
 *
 * @param base Base image path.
 * @param bootScript Shell script body.
 * @param out Output path.
 */
export async function writeRunInitrd(base: string, bootScript: string, out: string): Promise<void> {
  const overlay = writeCpio([
    { kind: "dir", path: "etc" },
    { kind: "dir", path: "etc/e2e" },
    {
      kind: "file",
      path: "etc/e2e/boot.sh",
      data: new TextEncoder().encode(`#!/bin/sh\n${bootScript}\n`),
      mode: 0o755,
    },
  ]);
  await Deno.writeFile(out, concatBytes([await Deno.readFile(base), overlay]));
}
