/**
 * Sensor commands of the Sensor/Event network function (IPMI v2.0 ch. 35):
 * readings, thresholds, hysteresis, event enables, re-arm, event status,
 * reading factors; and the Device SDR commands for BMCs whose profile says
 * they provide Device SDRs.
 *
 * @module
 */

import { CompletionCode, NetFn, SensorEventCmd } from "../../codec/constants.ts";
import { factorBytes } from "../../codec/sdr.ts";
import { type ThresholdName, THRESHOLDS } from "../../codec/sensor_constants.ts";
import { type CommandSpec, fail, le16, ok, okBytes, type Reply, u16 } from "../command.ts";
import type { BmcContext } from "../context.ts";
import { type Sensor, ThresholdSensor } from "../sensor.ts";

/** Set Sensor Event Enable byte 2 bits 5:4. */
const ENABLE_SELECTED = 0x10;
const DISABLE_SELECTED = 0x20;
const ENABLE_ACTION_MASK = 0x30;
/** Reading factors "next reading": the same factors apply to every reading. */
const LINEAR_NEXT_READING = 0xff;
/** Get Device SDR Info flags: static population, sensors on LUN 0. */
const DEVICE_SDR_STATIC_LUN0 = 0x01;
/** Get Device SDR Info request byte 1 = 1: count SDRs, not sensors. */
const COUNT_SDRS = 0x01;

function withSensor(
  ctx: BmcContext,
  data: Uint8Array,
  fn: (sensor: Sensor) => Reply,
): Reply {
  const sensor = ctx.sensors.byNumber(data[0]!);
  return sensor === undefined ? fail(CompletionCode.NotPresent) : fn(sensor);
}

function withThreshold(
  ctx: BmcContext,
  data: Uint8Array,
  fn: (sensor: ThresholdSensor) => Reply,
): Reply {
  return withSensor(
    ctx,
    data,
    (sensor) =>
      sensor instanceof ThresholdSensor
        ? fn(sensor)
        : fail(CompletionCode.IllegalForSensorOrRecordType),
  );
}

/** The sensor's enable bits, then two 16-bit masks (Get Sensor Event Enable / Status). */
function withEnables(s: Sensor, first: number, second: number): Reply {
  return ok(s.readingFlags(), ...le16(first), ...le16(second));
}

/** Threshold values in response order: LNC, LCR, LNR, UNC, UCR, UNR. */
function thresholdBytes(sensor: ThresholdSensor): number[] {
  return THRESHOLDS.map((t) => sensor.thresholds[t] ?? 0);
}

/** Sensor commands. */
export const sensorCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetSensorReading,
    length: 1,
    handle: (ctx, data) => withSensor(ctx, data, (s) => ok(...s.readingResponse())),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetSensorThresholds,
    length: 1,
    handle: (ctx, data) =>
      withThreshold(ctx, data, (s) => ok(s.thresholdMask, ...thresholdBytes(s))),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.SetSensorThresholds,
    length: 8,
    handle: (ctx, data) =>
      withThreshold(ctx, data, (s) => {
        const mask = data[1]! & 0x3f;
        if (!s.config.settable) return fail(CompletionCode.IllegalForSensorOrRecordType);
        if (mask & ~s.thresholdMask) return fail(CompletionCode.InvalidDataField);
        const values: Partial<Record<ThresholdName, number>> = {};
        THRESHOLDS.forEach((t, i) => {
          if ((mask >> i) & 1) values[t] = data[2 + i]!;
        });
        ctx.sensors.publish(s, s.setThresholds(values), "ipmi");
        return ok();
      }),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetSensorHysteresis,
    length: 2,
    handle: (ctx, data) =>
      withThreshold(ctx, data, (s) => ok(s.hysteresis.positive, s.hysteresis.negative)),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.SetSensorHysteresis,
    length: 4,
    handle: (ctx, data) =>
      withThreshold(ctx, data, (s) => {
        if (!s.config.settable) return fail(CompletionCode.IllegalForSensorOrRecordType);
        s.hysteresis = { positive: data[2]!, negative: data[3]! };
        return ok();
      }),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetSensorEventEnable,
    length: 1,
    handle: (ctx, data) =>
      withSensor(ctx, data, (s) => withEnables(s, s.assertionEnables, s.deassertionEnables)),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.SetSensorEventEnable,
    length: [2, 6],
    handle: (ctx, data) =>
      withSensor(ctx, data, (s) => {
        const action = data[1]! & ENABLE_ACTION_MASK;
        if (action === ENABLE_ACTION_MASK) return fail(CompletionCode.InvalidDataField);
        const assertion = (data[2] ?? 0) | ((data[3] ?? 0) << 8);
        const deassertion = (data[4] ?? 0) | ((data[5] ?? 0) << 8);
        if (((assertion | deassertion) & ~s.supported) !== 0 && action !== DISABLE_SELECTED) {
          return fail(CompletionCode.InvalidDataField);
        }
        s.eventsEnabled = (data[1]! & 0x80) !== 0;
        s.scanningEnabled = (data[1]! & 0x40) !== 0;
        if (action === ENABLE_SELECTED) {
          s.assertionEnables |= assertion;
          s.deassertionEnables |= deassertion;
        } else if (action === DISABLE_SELECTED) {
          s.assertionEnables &= ~assertion;
          s.deassertionEnables &= ~deassertion;
        }
        return ok();
      }),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.RearmSensorEvents,
    length: [2, 6],
    handle: (ctx, data) =>
      withSensor(ctx, data, (s) => {
        ctx.sensors.publish(s, s.rearm(), "ipmi");
        return ok();
      }),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetSensorEventStatus,
    length: 1,
    handle: (ctx, data) =>
      withSensor(
        ctx,
        data,
        (s) => withEnables(s, s.asserted & s.supported, s.deassertedSinceRearm & s.supported),
      ),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetSensorReadingFactors,
    length: 2,
    handle: (ctx, data) =>
      withThreshold(ctx, data, (s) => ok(LINEAR_NEXT_READING, ...factorBytes(s.config.factors))),
  },
];

function deviceSdrsOnly(
  handler: CommandSpec<BmcContext>["handle"],
): CommandSpec<BmcContext>["handle"] {
  return (ctx, data) =>
    ctx.config.identity.providesDeviceSdrs
      ? handler(ctx, data)
      : fail(CompletionCode.InvalidCommand);
}

/** Device SDR commands (answered 0xC1 unless the profile provides Device SDRs). */
export const deviceSdrCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetDeviceSdrInfo,
    length: [0, 1],
    handle: deviceSdrsOnly((ctx, data) => {
      const count = data[0] === COUNT_SDRS ? ctx.sdr.count : ctx.sensors.all().length;
      return ok(Math.min(count, 0xff), DEVICE_SDR_STATIC_LUN0);
    }),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.ReserveDeviceSdrRepository,
    length: 0,
    handle: deviceSdrsOnly((ctx) => ok(...le16(ctx.sdr.reserve()))),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetDeviceSdr,
    length: 6,
    handle: deviceSdrsOnly((ctx, data) => getSdr(ctx, data)),
  },
];

/**
 * Get SDR / Get Device SDR: reservation, record id, offset, count.
 *
 * @param ctx BMC.
 * @param data Request data (6 bytes).
 * @returns Next record id and the bytes.
 */
export function getSdr(ctx: BmcContext, data: Uint8Array): Reply {
  const r = ctx.sdr.get({
    reservation: u16(data, 0),
    recordId: u16(data, 2),
    offset: data[4]!,
    count: data[5]!,
  });
  if (!r.ok) return fail(r.cc);
  const out = new Uint8Array(2 + r.bytes.length);
  out.set(le16(r.next), 0);
  out.set(r.bytes, 2);
  return okBytes(out);
}
