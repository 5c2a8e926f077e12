import assert from "node:assert/strict";
import { NetFn, StorageCmd } from "../../src/codec/constants.ts";
import { SqliteStore, StateFileError } from "../../src/store/sqlite_store.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

async function tempFile(name: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "bmc-emu-state-" });
  return { path: `${dir}/${name}`, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("SqliteStore keeps the SEL, its time offset and the restore policy across reopen", async () => {
  const { path, cleanup } = await tempFile("bmc0.sqlite");
  try {
    const first = SqliteStore.open(path);
    const t = testBmc({ store: first });
    t.send(NetFn.Storage, StorageCmd.AddSelEntry, [0, 0, 0x02, ...new Array(13).fill(7)]);
    t.send(NetFn.Storage, StorageCmd.AddSelEntry, [0, 0, 0x02, ...new Array(13).fill(8)]);
    t.send(NetFn.Storage, StorageCmd.SetSelTime, [0, 0, 0, 0x40]);
    t.send(NetFn.Chassis, 0x06, [0x01]);
    first.close();
    const second = SqliteStore.open(path);
    const u = testBmc({ store: second });
    assert.deepEqual(u.bmc.sel.records().map((r) => r.id), [1, 2]);
    assert.equal(u.bmc.sel.records()[1]!.bytes[15], 8);
    assert.equal(u.bmc.chassis.restorePolicy, 1);
    assert.equal(u.bmc.sel.time() >>> 24, 0x40);
    const next = u.send(NetFn.Storage, StorageCmd.AddSelEntry, [
      0,
      0,
      0x02,
      ...new Array(13).fill(9),
    ]);
    assert.equal(next.data[0], 3, "ids continue after a restart");
    second.close();
  } finally {
    await cleanup();
  }
});

Deno.test("SqliteStore refuses a corrupt state file and names it", async () => {
  const { path, cleanup } = await tempFile("bmc0.sqlite");
  try {
    await Deno.writeTextFile(path, "this is not a database, but it is someone's data".repeat(100));
    assert.throws(() => SqliteStore.open(path), (e: unknown) => {
      assert.ok(e instanceof StateFileError);
      assert.equal(e.path, path);
      assert.match(
        e.message,
        /Cannot use state file ".*bmc0\.sqlite": is corrupt or not a bmc-emu state file/,
      );
      assert.match(e.message, /refusing to start/);
      return true;
    });
    assert.match(await Deno.readTextFile(path), /someone's data/, "the file is left untouched");
  } finally {
    await cleanup();
  }
});

Deno.test("SqliteStore refuses an unreadable path", async () => {
  const { path, cleanup } = await tempFile("missing-dir/bmc0.sqlite");
  try {
    assert.throws(() => SqliteStore.open(path), StateFileError);
  } finally {
    await cleanup();
  }
});

Deno.test("SqliteStore.batch() rolls back a failed unit", async () => {
  const { path, cleanup } = await tempFile("bmc0.sqlite");
  try {
    const store = SqliteStore.open(path);
    assert.throws(() =>
      store.batch(() => {
        store.setValue("a", "1");
        throw new Error("fail inside");
      }), /fail inside/);
    assert.equal(store.getValue("a"), undefined);
    store.close();
  } finally {
    await cleanup();
  }
});
