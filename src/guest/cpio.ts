/**
 * A writer for the `newc` cpio format the Linux initramfs unpacker reads.
 * Archives can be concatenated: later entries overwrite earlier ones.
 *
 * @module
 */

import { concatBytes } from "../util/bytes.ts";

/** One archive entry. */
export type CpioEntry =
  | { readonly kind: "dir"; readonly path: string; readonly mode?: number }
  | {
    readonly kind: "file";
    readonly path: string;
    readonly data: Uint8Array;
    readonly mode?: number;
  }
  | { readonly kind: "symlink"; readonly path: string; readonly target: string }
  | {
    readonly kind: "chardev";
    readonly path: string;
    readonly major: number;
    readonly minor: number;
    readonly mode?: number;
  };

const MAGIC = "070701";
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;
const encoder = new TextEncoder();

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

function pad4(length: number): number {
  return (4 - (length % 4)) % 4;
}

/**
 * Encode entries as one `newc` archive with its trailer.
 *
 * @param entries Entries (paths without a leading slash).
 * @returns Archive bytes.
 */
export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let ino = 1;
  const add = (
    path: string,
    mode: number,
    data: Uint8Array,
    rdev: [number, number] = [0, 0],
  ): void => {
    const name = encoder.encode(path + "\0");
    const header = MAGIC + [
      ino++,
      mode,
      0,
      0,
      mode & S_IFDIR ? 2 : 1,
      0,
      data.length,
      0,
      0,
      rdev[0],
      rdev[1],
      name.length,
      0,
    ].map(hex8).join("");
    chunks.push(encoder.encode(header), name, new Uint8Array(pad4(110 + name.length)));
    chunks.push(data, new Uint8Array(pad4(data.length)));
  };
  for (const e of entries) {
    switch (e.kind) {
      case "dir":
        add(e.path, S_IFDIR | (e.mode ?? 0o755), new Uint8Array());
        break;
      case "file":
        add(e.path, S_IFREG | (e.mode ?? 0o644), e.data);
        break;
      case "symlink":
        add(e.path, S_IFLNK | 0o777, encoder.encode(e.target));
        break;
      case "chardev":
        add(e.path, S_IFCHR | (e.mode ?? 0o600), new Uint8Array(), [e.major, e.minor]);
        break;
    }
  }
  add("TRAILER!!!", 0, new Uint8Array());
  return concatBytes(chunks);
}
