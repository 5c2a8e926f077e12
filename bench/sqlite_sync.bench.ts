/**
 * What a durable SEL add costs: one SEL record stored (one transaction)
 * with SQLite `synchronous=NORMAL` (survives `kill -9`) against `FULL`
 * (also survives a host power loss: one fsync per commit). The state file
 * lives in the working directory's file system, not in /tmp, so the fsync
 * is a real one.
 */

import { SqliteStore, type Synchronous } from "../src/store/sqlite_store.ts";

const dir = await Deno.makeTempDir({ dir: ".", prefix: ".bench-sqlite-" });
const RECORD = Uint8Array.from([0, 0, 2, 0, 0, 0, 0, 0x41, 0, 4, 0x12, 1, 0x6f, 2, 0xff, 0xff]);

function store(synchronous: Synchronous): { add(): void } {
  const s = SqliteStore.open(`${dir}/${synchronous}.db`, { synchronous });
  let id = 0;
  return {
    add() {
      id = (id % 0xfffe) + 1;
      s.addSelRecord({ id, bytes: RECORD });
    },
  };
}

const normal = store("NORMAL");
const full = store("FULL");

Deno.bench("SEL add, synchronous=NORMAL", { group: "sqlite", baseline: true }, () => normal.add());
Deno.bench("SEL add, synchronous=FULL", { group: "sqlite" }, () => full.add());

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
