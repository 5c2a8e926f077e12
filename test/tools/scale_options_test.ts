import assert from "node:assert/strict";
import { scaleOptions } from "../../tools/load/scale_options.ts";

Deno.test("bench-scale's options: defaults, and each bad value named by its option", () => {
  assert.deepEqual(scaleOptions({}), {
    bmcs: 1000,
    profile: "generic",
    workers: null,
    vm: "listen",
    generator: "deno",
    generators: 1,
    durationMs: 20_000,
    rate: 1,
    stopFeedingAfterMs: 10_000,
  });
  const big = scaleOptions({ bmcs: "10000", vm: "connect", workers: "2", rate: "0.5" });
  assert.equal(big.generators, 10, "one generator per 1000 BMCs");
  assert.equal(big.vm, "connect");
  assert.equal(big.workers, 2);
  assert.equal(big.rate, 0.5);
  const cases: [Record<string, string>, RegExp][] = [
    [{ vm: "sideways" }, /^--vm must be listen or connect, got "sideways"$/],
    [{ generator: "rust" }, /^--generator must be deno or native, got "rust"$/],
    [{ generator: "native" }, /^--generator native needs --vm connect: the native generator/],
    [
      { generator: "native", vm: "listen" },
      /^--generator native needs --vm connect: the native generator accepts the BMCs' connections and does not dial BMCs that listen$/,
    ],
    [{ workers: "0" }, /^--workers must be a whole number of at least 1, got "0"$/],
    [{ bmcs: "10001" }, /^--bmcs must be a whole number from 1 to 10000, got "10001"$/],
    [{ bmcs: "2.5" }, /^--bmcs must be a whole number from 1 to 10000/],
    [{ generators: "" }, /^--generators must be a whole number of at least 1, got ""$/],
    [{ rate: "0" }, /^--rate must be a number of requests per second above 0, got "0"$/],
    [{ duration: "soon" }, /^--duration must be a duration such as 10s/],
    [{ "stop-feeding": "x" }, /^--stop-feeding must be a duration/],
  ];
  for (const [values, message] of cases) {
    assert.throws(
      () => scaleOptions(values),
      (e: unknown) => e instanceof Error && message.test(e.message),
      JSON.stringify(values),
    );
  }
});

Deno.test("bench-scale's options: --generator native takes --vm connect and one process by default", () => {
  const native = scaleOptions({ bmcs: "10000", vm: "connect", generator: "native" });
  assert.equal(native.generator, "native");
  assert.equal(native.generators, 1, "one native process drives every BMC");
  assert.equal(
    scaleOptions({ bmcs: "10000", vm: "connect", generator: "native", generators: "2" }).generators,
    2,
  );
  assert.equal(scaleOptions({ vm: "connect", generator: "deno" }).generator, "deno");
});
