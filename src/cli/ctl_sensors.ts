/**
 * ctl commands for sensors: list them, set a reading or a discrete state.
 *
 * @module
 */

import { hex } from "../codec/names.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import type { CtlCommand } from "./ctl.ts";

interface SensorJson {
  name: string;
  number: number;
  kind: "threshold" | "discrete";
  type: string;
  value?: number;
  unit?: string;
  thresholds?: Record<string, number>;
  assertedOffsets?: number[];
  state?: number[];
}

function describe(s: SensorJson): string {
  const num = hex(s.number);
  if (s.kind === "threshold") {
    const th = Object.entries(s.thresholds ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
    const asserted = (s.assertedOffsets ?? []).length > 0
      ? `  ASSERTED offsets ${s.assertedOffsets!.join(",")}`
      : "";
    return `${num}\t${s.name}\t${s.value} ${s.unit}\t(${th})${asserted}`;
  }
  return `${num}\t${s.name}\t${s.type}\tstate [${(s.state ?? []).join(",")}]`;
}

const sensors: CtlCommand = async (ctx) => {
  const r = await ctx.api.json<{ sensors: SensorJson[] }>("GET", `/api/v1/bmcs/${ctx.bmc}/sensors`);
  if (ctx.json) ctx.io.stdout(JSON.stringify(r.sensors, null, 2));
  else for (const s of r.sensors) ctx.io.stdout(describe(s));
  return ExitCode.Ok;
};

const sensor: CtlCommand = async (ctx) => {
  const [sub, name, value] = ctx.args;
  if (sub !== "set" || name === undefined) {
    throw new UsageError("sensor needs: set NAME VALUE | set NAME --state 0,1 | set NAME resume");
  }
  let body: Record<string, unknown>;
  if (ctx.options.state !== undefined) {
    const text = String(ctx.options.state).trim();
    const offsets = text === "" ? [] : text.split(",").map((o) => Number(o.trim()));
    if (offsets.some((o) => !Number.isInteger(o) || o < 0 || o > 14)) {
      throw new UsageError(`--state must be offsets 0-14 separated by commas, got "${text}"`);
    }
    body = { state: offsets };
  } else if (value === "resume") {
    body = { dynamics: "resume" };
  } else {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n)) {
      throw new UsageError(
        `sensor set needs a number (the reading in the sensor's unit), got "${value}"`,
      );
    }
    body = { value: n };
  }
  const r = await ctx.api.json<{ sensor: SensorJson; events: number }>(
    "PUT",
    `/api/v1/bmcs/${ctx.bmc}/sensors/${encodeURIComponent(name)}`,
    body,
  );
  ctx.io.stdout(
    ctx.json ? JSON.stringify(r) : `${describe(r.sensor)}\n${r.events} event(s) logged`,
  );
  return ExitCode.Ok;
};

/** The commands, by name. */
export const sensorCommands: Record<string, CtlCommand> = { sensors, sensor };
