import assert from "node:assert/strict";
import { NetFn, StorageCmd } from "../../src/codec/constants.ts";
import { MemoryStore } from "../../src/store/memory_store.ts";
import { temperatureSensor } from "../_helpers/sensor_fixtures.ts";
import { testBmc } from "../_helpers/test_bmc.ts";

/** Get SDR Repository Info bytes 6-9: most recent addition timestamp (LS first). */
function additionTime(t: ReturnType<typeof testBmc>): number {
  const d = t.send(NetFn.Storage, StorageCmd.GetSdrRepositoryInfo).data;
  return (d[5]! | (d[6]! << 8) | (d[7]! << 16) | (d[8]! << 24)) >>> 0;
}

Deno.test("SDR addition timestamp survives a restart on the same state store while the records are the same", () => {
  const store = new MemoryStore();
  const first = testBmc({ store });
  const before = additionTime(first);
  first.bmc.close();
  // Restarted an hour later: SDR caches (FreeIPMI's) keyed on the timestamp stay valid.
  const again = testBmc({ store });
  again.clock.advance(3_600_000);
  const restarted = testBmc({ store, clock: again.clock });
  assert.equal(additionTime(restarted), before);
  restarted.bmc.close();
  again.bmc.close();
  // Other records (another sensor set): a new timestamp.
  const changed = testBmc({
    store,
    clock: again.clock,
    config: { sensors: [temperatureSensor("Inlet Temp", "0x04", 25)] },
  });
  assert.equal(additionTime(changed), before + 3600);
  changed.bmc.close();
});
