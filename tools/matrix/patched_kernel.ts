/**
 * A kernel with its IPMI modules replaced: built out of tree from a patch
 * against `drivers/char/ipmi/` (`tools/build-ipmi-modules.sh`), or taken from
 * a directory of prebuilt `.ko` files. The result is a kernel tree beside the
 * stock one (hard links, the IPMI modules swapped, depmod run) that the
 * harness boots like any other.
 *
 * @module
 */

import { basename } from "node:path";
import type { GuestKernel } from "../../src/guest/guest_kernel.ts";
import { findKernel, KERNEL_CACHE } from "../../src/guest/guest_kernel.ts";
import { sha256Hex } from "../../src/util/sha256_hex.ts";

const BUILD = new URL("../build-ipmi-modules.sh", import.meta.url).pathname;

/** A kernel with replaced IPMI modules. */
export interface PatchedKernel {
  /** The bootable tree. */
  readonly kernel: GuestKernel;
  /** Row label suffix: the patch's or directory's file name. */
  readonly name: string;
  /** Content hash of the patch or of the modules. */
  readonly hash: string;
}

async function run(cmd: string, args: string[], log: (l: string) => void): Promise<void> {
  const child = new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).spawn();
  const tail: string[] = [];
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s.pipeThrough(new TextDecoderStream())) {
      for (const line of chunk.split("\n").filter((l) => l.trim() !== "")) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.startsWith("build-ipmi-modules:")) log(line);
      }
    }
  };
  const [status] = await Promise.all([child.status, pump(child.stdout), pump(child.stderr)]);
  if (!status.success) throw new Error(`${basename(cmd)} failed:\n${tail.join("\n")}`);
}

async function modulesHash(dir: string): Promise<string> {
  const parts: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".ko")) {
      parts.push(e.name, await sha256Hex(await Deno.readFile(`${dir}/${e.name}`)));
    }
  }
  if (parts.length === 0) throw new Error(`${dir} holds no .ko files`);
  return sha256Hex(parts.sort().join("\n"));
}

/**
 * Build (or reuse) the patched tree for `stock`.
 *
 * @param stock The stock kernel.
 * @param source A patch file or a directory of `.ko` files.
 * @param log Progress.
 * @returns The patched kernel.
 */
export async function patchedKernel(
  stock: GuestKernel,
  source: { readonly patch?: string; readonly modules?: string },
  log: (line: string) => void,
): Promise<PatchedKernel> {
  const name = basename(source.patch ?? source.modules!);
  const hash = source.patch !== undefined
    ? await sha256Hex(await Deno.readFile(source.patch))
    : await modulesHash(source.modules!);
  const tree = `${KERNEL_CACHE}${stock.version}+${hash.slice(0, 12)}`;
  const existing = await findKernel(tree);
  if (existing !== null) return { kernel: existing, name, hash };
  let modules = source.modules;
  if (source.patch !== undefined) {
    modules = `${KERNEL_CACHE}../ipmi-modules/${stock.version}+${hash.slice(0, 12)}`;
    log(`building the IPMI modules of ${stock.version} with ${name}`);
    await run(BUILD, [stock.version, source.patch, modules], log);
  }
  await run(BUILD, ["--install", stock.image, stock.modulesDir, modules!, tree], log);
  const kernel = await findKernel(tree);
  if (kernel === null) throw new Error(`no kernel tree in ${tree} after installing the modules`);
  return { kernel, name, hash };
}
