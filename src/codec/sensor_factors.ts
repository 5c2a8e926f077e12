/**
 * The linear reading conversion of the IPMI Full Sensor Record (IPMI v2.0
 * §36.3, table 43-1 bytes 24–30): for linearization "linear" (0x00)
 *
 * ```text
 * y = (M × x + B × 10^Bexp) × 10^Rexp
 * ```
 *
 * where `x` is the raw one-byte reading (unsigned for analog data format 00b,
 * two's complement for 10b), M and B are 10-bit two's-complement integers and
 * Bexp (K1) and Rexp (K2) are 4-bit two's-complement exponents.
 *
 * Powers of ten are applied by multiplying or dividing by an exact integer
 * power (`10 ** n` is exact up to 10^22), so `toReading()` of an integer
 * numerator is the correctly rounded decimal, e.g. 0.06 × 3 gives 0.18, not
 * 0.18000000000000002.
 *
 * @example Convert with the factors picked for a 0–15 V rail
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseFactors, toRaw, toReading } from "./sensor_factors.ts";
 * const f = chooseFactors(0, 15);
 * assert.deepEqual(f, { m: 6, b: 0, bExp: 0, rExp: -2, signed: false });
 * assert.equal(toRaw(12, f), 200);
 * assert.equal(toReading(200, f), 12);
 * ```
 *
 * @module
 */

/**
 * Conversion factors of a linear Full Sensor Record.
 *
 * `m` and `b` are 10-bit two's complement (-512..511), `bExp` and `rExp` are
 * 4-bit two's complement (-8..7); `signed` selects analog data format 10b
 * (two's-complement raw readings) instead of 00b (unsigned).
 */
export interface SensorFactors {
  /** Multiplier M, -512..511 (0 makes the sensor unreadable). */
  m: number;
  /** Offset B, -512..511. */
  b: number;
  /** B exponent (K1), -8..7. */
  bExp: number;
  /** Result exponent (K2), -8..7. */
  rExp: number;
  /** Raw readings are two's complement (-128..127) rather than unsigned (0..255). */
  signed: boolean;
}

/** Smallest value of the 10-bit two's-complement M and B fields. */
export const FACTOR_MB_MIN = -512;
/** Largest value of the 10-bit two's-complement M and B fields. */
export const FACTOR_MB_MAX = 511;
/** Smallest value of the 4-bit two's-complement Bexp and Rexp fields. */
export const FACTOR_EXP_MIN = -8;
/** Largest value of the 4-bit two's-complement Bexp and Rexp fields. */
export const FACTOR_EXP_MAX = 7;
/** Number of steps between the lowest and the highest raw reading (256 values). */
export const RAW_STEPS = 255;

/** Raw reading range for unsigned (analog data format 00b) sensors. */
const UNSIGNED_RAW = { min: 0, max: 255 } as const;
/** Raw reading range for two's-complement (analog data format 10b) sensors. */
const SIGNED_RAW = { min: -128, max: 127 } as const;
/** Slack for floating-point comparisons of values that should be exact. */
const EPSILON = 1e-9;

/**
 * `v × 10^exp`, by multiplying or dividing by an exact power of ten.
 *
 * @param v Value.
 * @param exp Decimal exponent.
 * @returns The scaled value.
 */
function scale10(v: number, exp: number): number {
  return exp >= 0 ? v * 10 ** exp : v / 10 ** -exp;
}

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name}: ${v} is not an integer in ${min}..${max}`);
  }
}

/**
 * Check that every factor fits its SDR field.
 *
 * @param f Factors to check.
 * @throws {RangeError} Naming the first field out of range, e.g. `"m: 600 is
 * not an integer in -512..511"`.
 */
export function validateFactors(f: SensorFactors): void {
  checkInt("m", f.m, FACTOR_MB_MIN, FACTOR_MB_MAX);
  checkInt("b", f.b, FACTOR_MB_MIN, FACTOR_MB_MAX);
  checkInt("bExp", f.bExp, FACTOR_EXP_MIN, FACTOR_EXP_MAX);
  checkInt("rExp", f.rExp, FACTOR_EXP_MIN, FACTOR_EXP_MAX);
}

/**
 * The reading change per raw count: `M × 10^Rexp` (negative when M is).
 *
 * @param f Conversion factors.
 * @returns The step in sensor units.
 */
export function stepOf(f: SensorFactors): number {
  return scale10(f.m, f.rExp);
}

/**
 * Convert a raw reading to sensor units.
 *
 * @example A two's-complement raw byte
 * ```ts
 * import assert from "node:assert/strict";
 * import { toReading } from "./sensor_factors.ts";
 * const f = { m: 1, b: 0, bExp: 0, rExp: 0, signed: true };
 * assert.equal(toReading(0xfb, f), -5);
 * ```
 *
 * @param raw The raw reading byte, 0..255; -128..-1 are accepted too and
 *   taken modulo 256.
 * @param f Conversion factors.
 * @returns `(M × x + B × 10^Bexp) × 10^Rexp`, with `x` sign-extended when
 *   `f.signed`.
 * @throws {RangeError} When `raw` is not an integer in -128..255 or a factor is
 *   out of range.
 */
export function toReading(raw: number, f: SensorFactors): number {
  checkInt("raw", raw, SIGNED_RAW.min, UNSIGNED_RAW.max);
  validateFactors(f);
  const byte = raw & 0xff;
  const x = f.signed && byte > SIGNED_RAW.max ? byte - 256 : byte;
  return scale10(f.m * x + scale10(f.b, f.bExp), f.rExp);
}

/**
 * Convert a value in sensor units to the nearest raw reading.
 *
 * @example Clamping at the top of the range
 * ```ts
 * import assert from "node:assert/strict";
 * import { toRaw } from "./sensor_factors.ts";
 * const f = { m: 1, b: 0, bExp: 0, rExp: 0, signed: true };
 * assert.equal(toRaw(-5, f), 0xfb);
 * assert.equal(toRaw(1000, f), 0x7f);
 * ```
 *
 * @param value Reading in sensor units (±Infinity clamp to the range ends).
 * @param f Conversion factors; `f.m` must not be 0.
 * @returns The raw byte 0..255: the nearest raw value clamped to 0..255, or to
 *   -128..127 and then written as its two's-complement byte when `f.signed`.
 * @throws {RangeError} When `value` is NaN, `f.m` is 0 or a factor is out of
 *   range.
 */
export function toRaw(value: number, f: SensorFactors): number {
  validateFactors(f);
  if (Number.isNaN(value)) throw new RangeError("value: NaN has no raw reading");
  if (f.m === 0) throw new RangeError("m: 0 maps every raw reading to one value");
  const x = (scale10(value, -f.rExp) - scale10(f.b, f.bExp)) / f.m;
  const range = f.signed ? SIGNED_RAW : UNSIGNED_RAW;
  const clamped = Math.min(range.max, Math.max(range.min, Math.round(x)));
  return clamped & 0xff;
}

/**
 * The readings a sensor can report: those of its lowest and highest raw
 * values, and the step between two raw values.
 *
 * @param f Conversion factors.
 * @returns Lowest and highest reading and the step, in the sensor's unit.
 */
export function readingRange(f: SensorFactors): { min: number; max: number; step: number } {
  const range = f.signed ? SIGNED_RAW : UNSIGNED_RAW;
  const ends = [toReading(range.min & 0xff, f), toReading(range.max, f)];
  return { min: Math.min(...ends), max: Math.max(...ends), step: Math.abs(scale10(f.m, f.rExp)) };
}

/** The smallest `digit × 10^exp` (digit 1..9) that is at least `v > 0`. */
function ceilOneDigit(v: number): { digit: number; exp: number } {
  let exp = Math.floor(Math.log10(v));
  let mantissa = scale10(v, -exp);
  if (mantissa >= 10) {
    exp++;
    mantissa = scale10(v, -exp);
  } else if (mantissa < 1) {
    exp--;
    mantissa = scale10(v, -exp);
  }
  let digit = Math.max(1, Math.ceil(mantissa - EPSILON));
  if (digit >= 10) {
    digit = 1;
    exp++;
  }
  return { digit, exp };
}

/**
 * The finest-grained B (with its Bexp) for step `m × 10^rExp` such that the
 * lowest raw reading is at most `min` and the highest at least `max`.
 */
function chooseOffset(
  min: number,
  max: number,
  m: number,
  rExp: number,
): { b: number; bExp: number } | undefined {
  const top = scale10(m * RAW_STEPS, rExp);
  const slack = Math.abs(scale10(m, rExp)) * EPSILON;
  for (let bExp = FACTOR_EXP_MIN; bExp <= FACTOR_EXP_MAX; bExp++) {
    // Offset = B × 10^(bExp + rExp) ≤ min, on the finest grid first.
    let b = Math.floor(scale10(min, -(bExp + rExp)) + EPSILON);
    if (b < FACTOR_MB_MIN || b > FACTOR_MB_MAX) continue;
    if (scale10(b, bExp + rExp) + top < max - slack) continue;
    if (b === 0) return { b: 0, bExp: 0 };
    let exp = bExp;
    while (b % 10 === 0 && exp < FACTOR_EXP_MAX) {
      b /= 10;
      exp++;
    }
    return { b, bExp: exp };
  }
  return undefined;
}

/**
 * Pick unsigned linear factors whose 256 raw readings cover `[min, max]` with
 * the finest "nice" step.
 *
 * The rule:
 * 1. The step `M × 10^Rexp` is the smallest value of the form `d × 10^e`
 *    with a single significant digit `d` in 1..9 (so M = d, Rexp = e) that is
 *    at least `(max - min) / 255` and at least `resolution` when given.
 *    Steps finer than 10^-8 are raised to 10^-8.
 * 2. The offset `B × 10^(Bexp + Rexp)` is the largest multiple of the finest
 *    power of ten that keeps B in -512..511 and is not above `min`; B = 0
 *    gives Bexp = 0, otherwise trailing zeros of B move into Bexp.
 * 3. If that offset leaves `max` above raw 255, the next nice step (d + 1,
 *    9 → 1 × 10^(e+1)) is tried, up to 9 × 10^7.
 *
 * Raw readings are always unsigned (analog data format 00b): a negative
 * minimum is carried by B.
 *
 * @example The examples from the design notes
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseFactors } from "./sensor_factors.ts";
 * assert.deepEqual(chooseFactors(0, 255), { m: 1, b: 0, bExp: 0, rExp: 0, signed: false });
 * assert.deepEqual(chooseFactors(0, 25500), { m: 1, b: 0, bExp: 0, rExp: 2, signed: false });
 * assert.deepEqual(chooseFactors(-40, 85), { m: 5, b: -4, bExp: 2, rExp: -1, signed: false });
 * ```
 *
 * @param min Lowest reading that must be representable.
 * @param max Highest reading that must be representable (greater than `min`).
 * @param resolution Optional finest step wanted; the step is never finer than
 *   this (it is rounded up to a nice value).
 * @returns Factors with `signed: false`.
 * @throws {RangeError} When the bounds are not finite with `min < max`, the
 *   resolution is not a positive finite number, or no step up to 9 × 10^7
 *   covers the range.
 */
export function chooseFactors(min: number, max: number, resolution?: number): SensorFactors {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new RangeError(`min..max: ${min}..${max} is not a finite range with min < max`);
  }
  if (resolution !== undefined && !(Number.isFinite(resolution) && resolution > 0)) {
    throw new RangeError(`resolution: ${resolution} is not a positive finite number`);
  }
  const wanted = Math.max((max - min) / RAW_STEPS, resolution ?? 0);
  let { digit, exp } = ceilOneDigit(wanted);
  if (exp < FACTOR_EXP_MIN) {
    digit = 1;
    exp = FACTOR_EXP_MIN;
  }
  while (exp <= FACTOR_EXP_MAX) {
    const offset = chooseOffset(min, max, digit, exp);
    if (offset !== undefined) {
      return { m: digit, b: offset.b, bExp: offset.bExp, rExp: exp, signed: false };
    }
    if (++digit === 10) {
      digit = 1;
      exp++;
    }
  }
  throw new RangeError(`min..max: ${min}..${max} cannot be covered by 256 raw readings`);
}
