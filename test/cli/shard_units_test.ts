import assert from "node:assert/strict";
import { parseServeArgs } from "../../src/cli/serve_args.ts";
import { UsageError } from "../../src/cli/usage_error.ts";
import { mergeExpositions } from "../../src/cli/shard/merge_metrics.ts";
import { defaultWorkers } from "../../src/cli/shard/worker_count.ts";

Deno.test("--workers takes 1 to 64 and nothing else", () => {
  const o = parseServeArgs(["--workers", "4"]);
  assert.equal(typeof o === "object" && "workers" in o ? o.workers : null, 4);
  const none = parseServeArgs([]);
  assert.ok(typeof none === "object" && !("workers" in none), "no flag: the default applies");
  for (const bad of ["0", "65", "2.5", "two", ""]) {
    assert.throws(
      () => parseServeArgs(["--workers", bad]),
      (e) =>
        e instanceof UsageError && /--workers must be a whole number from 1 to 64/.test(e.message),
      bad,
    );
  }
});

Deno.test("the default worker count: one per 500 BMCs, at most the CPUs and 8", () => {
  assert.equal(defaultWorkers(1, 16), 1);
  assert.equal(defaultWorkers(999, 16), 1);
  assert.equal(defaultWorkers(1000, 16), 2);
  assert.equal(defaultWorkers(10_000, 2), 2);
  assert.equal(defaultWorkers(10_000, 64), 8);
  assert.equal(defaultWorkers(0, 4), 1);
});

Deno.test("mergeExpositions keeps each family's header once and sums process-wide gauges", () => {
  const shard = (bmc: string, sel: number) =>
    [
      "# HELP bmc_emu_sel_entries SEL records",
      "# TYPE bmc_emu_sel_entries gauge",
      `bmc_emu_sel_entries{bmc="${bmc}"} ${sel}`,
      "# HELP bmc_emu_bmcs BMCs served by this process",
      "# TYPE bmc_emu_bmcs gauge",
      "bmc_emu_bmcs 2",
      "# HELP bmc_emu_events_last_id Id of the most recent event",
      "# TYPE bmc_emu_events_last_id gauge",
      "bmc_emu_events_last_id 7",
      "",
    ].join("\n");
  const only1 = '# HELP x_total X\n# TYPE x_total counter\nx_total{bmc="b"} 3\n';
  const merged = mergeExpositions([shard("a", 1), shard("b", 5) + only1], {
    bmc_emu_events_last_id: 40,
  });
  assert.equal(
    merged,
    [
      "# HELP bmc_emu_sel_entries SEL records",
      "# TYPE bmc_emu_sel_entries gauge",
      'bmc_emu_sel_entries{bmc="a"} 1',
      'bmc_emu_sel_entries{bmc="b"} 5',
      "# HELP bmc_emu_bmcs BMCs served by this process",
      "# TYPE bmc_emu_bmcs gauge",
      "bmc_emu_bmcs 4",
      "# HELP bmc_emu_events_last_id Id of the most recent event",
      "# TYPE bmc_emu_events_last_id gauge",
      "bmc_emu_events_last_id 40",
      "# HELP x_total X",
      "# TYPE x_total counter",
      'x_total{bmc="b"} 3',
      "",
    ].join("\n"),
  );
});
