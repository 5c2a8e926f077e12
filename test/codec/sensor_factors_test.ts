import assert from "node:assert/strict";
import {
  chooseFactors,
  type SensorFactors,
  stepOf,
  toRaw,
  toReading,
  validateFactors,
} from "../../src/codec/sensor_factors.ts";
import { Prng } from "../../src/util/prng.ts";

/**
 * Reference conversion written straight from the spec formula
 * y = (M·x + B·10^K1)·10^K2, with its own sign extension of the raw byte.
 */
function reference(raw: number, f: SensorFactors): number {
  const x = f.signed && raw >= 128 ? raw - 256 : raw;
  return (f.m * x + f.b * Math.pow(10, f.bExp)) * Math.pow(10, f.rExp);
}

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );
}

const TEMPERATURE: SensorFactors = { m: 1, b: 0, bExp: 0, rExp: 0, signed: false };
const VOLTAGE: SensorFactors = { m: 6, b: 0, bExp: 0, rExp: -2, signed: false };
const FAN: SensorFactors = { m: 1, b: 0, bExp: 0, rExp: 2, signed: false };
const INLET: SensorFactors = { m: 5, b: -4, bExp: 2, rExp: -1, signed: false };
const SIGNED_TEMP: SensorFactors = { m: 1, b: 0, bExp: 0, rExp: 0, signed: true };
const ODD: SensorFactors = { m: -300, b: -512, bExp: -8, rExp: -3, signed: true };

Deno.test("toReading() on hand-worked values", async (t) => {
  await t.step("temperature, M=1: raw 0x28 is 40", () => {
    assert.equal(toReading(0x28, TEMPERATURE), 40);
    assert.equal(toReading(0xff, TEMPERATURE), 255);
  });
  await t.step("voltage, M=6 Rexp=-2: raw 200 is 6·200/100 = 12", () => {
    assert.equal(toReading(200, VOLTAGE), 12);
    // exact decimal, not 0.18000000000000002
    assert.equal(toReading(3, VOLTAGE), 0.18);
  });
  await t.step("fan, M=1 Rexp=2: raw 0x32 (50) is 5000 RPM", () => {
    assert.equal(toReading(0x32, FAN), 5000);
  });
  await t.step("B offset: (5x - 4·10^2)·10^-1", () => {
    assert.equal(toReading(0, INLET), -40); // (0 - 400) / 10
    assert.equal(toReading(160, INLET), 40); // (800 - 400) / 10
    assert.equal(toReading(255, INLET), 87.5); // (1275 - 400) / 10
  });
  await t.step("two's-complement raw", () => {
    assert.equal(toReading(0xfb, SIGNED_TEMP), -5);
    assert.equal(toReading(0x80, SIGNED_TEMP), -128);
    assert.equal(toReading(0x7f, SIGNED_TEMP), 127);
    assert.equal(toReading(-5, SIGNED_TEMP), -5); // negative bytes are taken modulo 256
  });
  await t.step("negative M and B, negative exponents", () => {
    // (-300·16 + -512·10^-8)·10^-3 = -4.80000000512
    close(toReading(0x10, ODD), -4.80000000512, 1e-12, "raw 0x10");
    // raw 0xF0 = -16: (4800 - 0.00000512)/1000
    close(toReading(0xf0, ODD), 4.79999999488, 1e-12, "raw 0xF0");
  });
});

Deno.test("toReading() agrees with the spec formula for every raw byte", () => {
  const sets: SensorFactors[] = [
    TEMPERATURE,
    VOLTAGE,
    FAN,
    INLET,
    SIGNED_TEMP,
    ODD,
    { m: 511, b: 511, bExp: 7, rExp: 7, signed: false },
    { m: -512, b: -512, bExp: -8, rExp: -8, signed: true },
    { m: 37, b: -123, bExp: -1, rExp: -4, signed: false },
  ];
  for (const f of sets) {
    for (let raw = 0; raw < 256; raw++) {
      const expected = reference(raw, f);
      close(toReading(raw, f), expected, Math.abs(expected) * 1e-12 + 1e-15, `${f.m}/${raw}`);
    }
  }
});

Deno.test("toRaw() returns the nearest raw byte, clamped", async (t) => {
  await t.step("nearest", () => {
    assert.equal(toRaw(12, VOLTAGE), 200);
    assert.equal(toRaw(12.02, VOLTAGE), 200); // 200.33
    assert.equal(toRaw(12.04, VOLTAGE), 201); // 200.67
    assert.equal(toRaw(40, INLET), 160);
    assert.equal(toRaw(-40, INLET), 0);
    assert.equal(toRaw(5049, FAN), 50);
    assert.equal(toRaw(5051, FAN), 51);
  });
  await t.step("unsigned clamps to 0..255", () => {
    assert.equal(toRaw(-5, TEMPERATURE), 0);
    assert.equal(toRaw(300, TEMPERATURE), 255);
    assert.equal(toRaw(-1000, INLET), 0);
    assert.equal(toRaw(Infinity, INLET), 255);
  });
  await t.step("signed clamps to -128..127 and returns the byte", () => {
    assert.equal(toRaw(-5, SIGNED_TEMP), 0xfb);
    assert.equal(toRaw(-200, SIGNED_TEMP), 0x80);
    assert.equal(toRaw(200, SIGNED_TEMP), 0x7f);
    assert.equal(toRaw(-Infinity, SIGNED_TEMP), 0x80);
  });
  await t.step("negative M inverts the direction", () => {
    const f: SensorFactors = { m: -2, b: 0, bExp: 0, rExp: 0, signed: false };
    assert.equal(toRaw(-10, f), 5);
    assert.equal(toRaw(10, f), 0); // would be -5: clamped
    assert.equal(toRaw(-4.8, ODD), 0x10);
  });
  await t.step("errors", () => {
    assert.throws(() => toRaw(NaN, VOLTAGE), RangeError);
    assert.throws(() => toRaw(1, { ...VOLTAGE, m: 0 }), /^RangeError: m:/);
  });
});

Deno.test("toRaw() inverts toReading() for every raw byte", () => {
  for (const f of [TEMPERATURE, VOLTAGE, FAN, INLET, SIGNED_TEMP, ODD]) {
    for (let raw = 0; raw < 256; raw++) {
      assert.equal(toRaw(toReading(raw, f), f), raw, `${JSON.stringify(f)} raw ${raw}`);
    }
  }
});

Deno.test("factor and raw ranges are checked, naming the field", () => {
  validateFactors(ODD);
  validateFactors({ m: 511, b: -512, bExp: 7, rExp: -8, signed: false });
  assert.throws(() => validateFactors({ ...TEMPERATURE, m: 512 }), /^RangeError: m: 512/);
  assert.throws(() => validateFactors({ ...TEMPERATURE, b: -513 }), /^RangeError: b: -513/);
  assert.throws(() => validateFactors({ ...TEMPERATURE, bExp: 8 }), /^RangeError: bExp: 8/);
  assert.throws(() => validateFactors({ ...TEMPERATURE, rExp: -9 }), /^RangeError: rExp: -9/);
  assert.throws(() => validateFactors({ ...TEMPERATURE, m: 1.5 }), /^RangeError: m: 1.5/);
  assert.throws(() => toReading(256, TEMPERATURE), /^RangeError: raw: 256/);
  assert.throws(() => toReading(-129, SIGNED_TEMP), /^RangeError: raw: -129/);
  assert.throws(() => toReading(1.5, TEMPERATURE), /^RangeError: raw: 1.5/);
});

Deno.test("chooseFactors() picks the documented factors for the examples", async (t) => {
  await t.step("temperature 0..255 °C: M=1, 1 °C steps", () => {
    assert.deepEqual(chooseFactors(0, 255), { m: 1, b: 0, bExp: 0, rExp: 0, signed: false });
  });
  await t.step("voltage 0..15 V: M=6 Rexp=-2, 0.06 V steps up to 15.3 V", () => {
    const f = chooseFactors(0, 15);
    assert.deepEqual(f, { m: 6, b: 0, bExp: 0, rExp: -2, signed: false });
    assert.equal(toReading(255, f), 15.3);
  });
  await t.step("fan 0..25500 RPM: M=1 Rexp=2, 100 RPM steps", () => {
    assert.deepEqual(chooseFactors(0, 25500), { m: 1, b: 0, bExp: 0, rExp: 2, signed: false });
  });
  await t.step("inlet -40..85 °C: 0.5 °C steps from -40, via B = -4·10^2", () => {
    const f = chooseFactors(-40, 85);
    assert.deepEqual(f, { m: 5, b: -4, bExp: 2, rExp: -1, signed: false });
    assert.equal(toReading(0, f), -40);
    assert.equal(toReading(255, f), 87.5);
  });
  await t.step("-128..127: B=-128", () => {
    assert.deepEqual(chooseFactors(-128, 127), {
      m: 1,
      b: -128,
      bExp: 0,
      rExp: 0,
      signed: false,
    });
  });
  await t.step("3.3 V rail: 0.0129 rounds up to 0.02", () => {
    assert.deepEqual(chooseFactors(0, 3.3), { m: 2, b: 0, bExp: 0, rExp: -2, signed: false });
  });
  await t.step("resolution is a lower bound on the step", () => {
    assert.deepEqual(chooseFactors(0, 100, 0.5), { m: 5, b: 0, bExp: 0, rExp: -1, signed: false });
    // 0.33 rounds up to the nice 0.4
    assert.deepEqual(chooseFactors(0, 10, 0.33), { m: 4, b: 0, bExp: 0, rExp: -1, signed: false });
    // a resolution finer than the range allows is ignored
    assert.deepEqual(chooseFactors(0, 255, 0.01), TEMPERATURE);
  });
  await t.step("a large offset moves into Bexp", () => {
    const f = chooseFactors(1_000_000, 1_000_025.5);
    assert.deepEqual(f, { m: 1, b: 1, bExp: 7, rExp: -1, signed: false });
    assert.equal(toReading(0, f), 1_000_000);
  });
  await t.step("tiny ranges stop at 10^-8 steps", () => {
    assert.deepEqual(chooseFactors(0, 1e-9), { m: 1, b: 0, bExp: 0, rExp: -8, signed: false });
  });
  await t.step("bad arguments", () => {
    assert.throws(() => chooseFactors(5, 5), /^RangeError: min\.\.max/);
    assert.throws(() => chooseFactors(10, 0), /^RangeError: min\.\.max/);
    assert.throws(() => chooseFactors(0, Infinity), /^RangeError: min\.\.max/);
    assert.throws(() => chooseFactors(0, 1, 0), /^RangeError: resolution/);
    assert.throws(() => chooseFactors(0, 1e12), /^RangeError: min\.\.max/);
  });
});

/** Whether `step` is d·10^e with one significant digit. */
function isNice(step: number): boolean {
  const exp = Math.floor(Math.log10(step) + 1e-12);
  const mantissa = step / Math.pow(10, exp);
  return Math.abs(mantissa - Math.round(mantissa)) < 1e-9;
}

/** The next smaller one-digit step: 6e-2 → 5e-2, 1e2 → 9e1. */
function previousNice(step: number): number {
  const exp = Math.floor(Math.log10(step) + 1e-12);
  const digit = Math.round(step / Math.pow(10, exp));
  return digit === 1 ? 9 * Math.pow(10, exp - 1) : (digit - 1) * Math.pow(10, exp);
}

Deno.test("chooseFactors() covers random ranges with the finest nice step", () => {
  const prng = new Prng(0x5d12);
  for (let i = 0; i < 2000; i++) {
    const scale = Math.pow(10, prng.int(9) - 3);
    const min = i % 3 === 0 ? 0 : (prng.next() * 2 - 1) * 300 * scale;
    const max = min + (prng.next() * 300 + 0.01) * scale;
    const f = chooseFactors(min, max);
    const what = `${min}..${max} → ${JSON.stringify(f)}`;
    validateFactors(f);
    assert.equal(f.signed, false, what);
    const step = stepOf(f);
    assert.ok(step > 0 && isNice(step), `step ${step} is not nice: ${what}`);
    const slack = step * 1e-6;
    assert.ok(toReading(0, f) <= min + slack, `bottom above min: ${what}`);
    assert.ok(toReading(255, f) >= max - slack, `top below max: ${what}`);
    if (min === 0) {
      // nothing but the step limits coverage: the next finer nice step is too short
      assert.ok(previousNice(step) * 255 < max, `a finer step fits: ${what}`);
    }
    // round trip within half a step (nearest) anywhere in the range
    for (let k = 0; k <= 20; k++) {
      const v = min + ((max - min) * k) / 20;
      close(toReading(toRaw(v, f), f), v, step / 2 + slack, `${v} in ${what}`);
    }
  }
});

Deno.test("toReading(toRaw(v)) is within one step of v across the examples", () => {
  const cases: [number, number, SensorFactors][] = [
    [0, 255, chooseFactors(0, 255)],
    [0, 15, chooseFactors(0, 15)],
    [0, 25500, chooseFactors(0, 25500)],
    [-40, 85, chooseFactors(-40, 85)],
    [-128, 127, SIGNED_TEMP],
    [-38.1, 38.4, ODD],
  ];
  for (const [min, max, f] of cases) {
    const step = Math.abs(stepOf(f));
    for (let k = 0; k <= 1000; k++) {
      const v = min + ((max - min) * k) / 1000;
      const back = toReading(toRaw(v, f), f);
      close(back, v, step, `${v} with ${JSON.stringify(f)}`);
    }
  }
});
