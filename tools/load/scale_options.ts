/**
 * `tools/bench-scale.ts`'s options: the command line's text checked and
 * converted, each problem named by its option.
 *
 * @module
 */

import { durationOption } from "../_cli.ts";

/** Which side listens: bmc-emu (`listen`, as with QEMU's default) or the generators (`connect`). */
export type VmMode = "listen" | "connect";

/**
 * Which load generator drives the BMCs: Deno's async sockets
 * (`scale_generator.ts`, one process per 1000 BMCs by default), or libc
 * sockets and epoll through FFI (`native_generator.ts`, one process for all;
 * it only accepts, so it needs `--vm connect`).
 */
export type GeneratorKind = "deno" | "native";

/** What one bench-scale run does. */
export interface ScaleOptions {
  readonly bmcs: number;
  readonly profile: string;
  /** `serve --workers` (`null`: serve's default). */
  readonly workers: number | null;
  readonly vm: VmMode;
  readonly generator: GeneratorKind;
  readonly generators: number;
  readonly durationMs: number;
  /** Requests per second per BMC. */
  readonly rate: number;
  readonly stopFeedingAfterMs: number;
}

/** The most BMCs one run starts. */
export const MAX_SCALE_BMCS = 10_000;

/** BMCs per load-generator process by default. */
const BMCS_PER_GENERATOR = 1000;

type OptionName =
  | "bmcs"
  | "profile"
  | "duration"
  | "rate"
  | "workers"
  | "vm"
  | "generator"
  | "generators"
  | "stop-feeding";

function whole(name: OptionName, text: string, min: number, max?: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new Error(`--${name} must be a whole number ${range}, got "${text}"`);
  }
  return n;
}

/**
 * Check and convert the options.
 *
 * @param values The option texts as given (absent: the default).
 * @returns The run's options.
 * @throws {Error} Naming the first option that is wrong and what it must be.
 */
export function scaleOptions(values: Readonly<Partial<Record<OptionName, string>>>): ScaleOptions {
  const bmcs = whole("bmcs", values.bmcs ?? "1000", 1, MAX_SCALE_BMCS);
  const vm = values.vm ?? "listen";
  if (vm !== "listen" && vm !== "connect") {
    throw new Error(`--vm must be listen or connect, got "${vm}"`);
  }
  const generator = values.generator ?? "deno";
  if (generator !== "deno" && generator !== "native") {
    throw new Error(`--generator must be deno or native, got "${generator}"`);
  }
  if (generator === "native" && vm === "listen") {
    throw new Error(
      "--generator native needs --vm connect: the native generator accepts the BMCs' connections and does not dial BMCs that listen",
    );
  }
  const rate = Number(values.rate ?? 1);
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new Error(`--rate must be a number of requests per second above 0, got "${values.rate}"`);
  }
  const durationMs = durationOption("duration", values.duration ?? "20s");
  if (!(durationMs > 0)) {
    throw new Error(`--duration must be longer than 0, got "${values.duration}"`);
  }
  return {
    bmcs,
    profile: values.profile ?? "generic",
    workers: values.workers === undefined ? null : whole("workers", values.workers, 1),
    vm,
    generator,
    generators: values.generators === undefined
      ? (generator === "native" ? 1 : Math.ceil(bmcs / BMCS_PER_GENERATOR))
      : whole("generators", values.generators, 1),
    durationMs,
    rate,
    stopFeedingAfterMs: durationOption("stop-feeding", values["stop-feeding"] ?? "10s"),
  };
}
