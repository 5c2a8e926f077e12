/**
 * The kernel matrix's cache of finished cells, so an interrupted run resumes
 * where it stopped: one JSON file per cell under `.cache/matrix/`, keyed by
 * kernel (with the patch's content), scenario (with the file's content),
 * interface and bmc-emu version.
 *
 * @module
 */

import type { Cell } from "./cell.ts";
import { VERDICTS } from "./verdict.ts";
import { sha256Hex } from "../../src/util/sha256_hex.ts";

/** What identifies a cached cell. */
export interface CellKey {
  /** Kernel label (release, ` + PATCH` for a patched driver). */
  readonly kernel: string;
  /** Content hash of the patch or module set, `""` for a stock kernel. */
  readonly kernelHash: string;
  /** Scenario name. */
  readonly scenario: string;
  /** Content hash of the scenario file. */
  readonly scenarioHash: string;
  /** Interface. */
  readonly iface: string;
  /** bmc-emu version. */
  readonly version: string;
}

/** Default cache directory. */
export const CELL_CACHE_DIR = new URL("../../.cache/matrix/", import.meta.url).pathname;

function isCell(v: unknown): v is Cell {
  const c = v as Partial<Cell> | null;
  return typeof c === "object" && c !== null && typeof c.kernel === "string" &&
    typeof c.scenario === "string" && typeof c.iface === "string" &&
    (VERDICTS as readonly string[]).includes(c.verdict as string) &&
    Array.isArray(c.evidence) && typeof c.seconds === "number";
}

/** Finished cells on disk. */
export class CellCache {
  readonly #dir: string;

  /**
   * Open (create on first write) a cache.
   *
   * @param dir Directory. @default {@link CELL_CACHE_DIR}
   */
  constructor(dir: string = CELL_CACHE_DIR) {
    this.#dir = dir.endsWith("/") ? dir : dir + "/";
  }

  async #path(key: CellKey): Promise<string> {
    const id = await sha256Hex(JSON.stringify([
      key.kernel,
      key.kernelHash,
      key.scenario,
      key.scenarioHash,
      key.iface,
      key.version,
    ]));
    return `${this.#dir}${id.slice(0, 32)}.json`;
  }

  /**
   * The cached cell for a key.
   *
   * @param key Cell key.
   * @returns The cell, or `null` if absent or unreadable (a damaged entry is ignored).
   */
  async get(key: CellKey): Promise<Cell | null> {
    try {
      const stored = JSON.parse(await Deno.readTextFile(await this.#path(key))) as {
        key?: CellKey;
        cell?: unknown;
      };
      if (JSON.stringify(stored.key) !== JSON.stringify(key) || !isCell(stored.cell)) return null;
      return stored.cell;
    } catch {
      return null;
    }
  }

  /**
   * Store a finished cell (atomically: a crash mid-write leaves no half file).
   *
   * @param key Cell key.
   * @param cell The cell.
   */
  async put(key: CellKey, cell: Cell): Promise<void> {
    await Deno.mkdir(this.#dir, { recursive: true });
    const path = await this.#path(key);
    const tmp = `${path}.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(tmp, JSON.stringify({ key, cell }, null, 2) + "\n");
    await Deno.rename(tmp, path);
  }
}
