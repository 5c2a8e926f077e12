/**
 * Event commands of the Sensor/Event network function (IPMI v2.0 ch. 29):
 * Set/Get Event Receiver and Platform Event Message.
 *
 * @module
 */

import { CompletionCode, NetFn, SensorEventCmd } from "../../codec/constants.ts";
import { type CommandSpec, fail, ok } from "../command.ts";
import type { BmcContext } from "../context.ts";

/** Event receiver address meaning "event message generation disabled". */
const RECEIVER_DISABLED = 0xff;

/** Event commands. */
export const sensorEventCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.SetEventReceiver,
    length: 2,
    handle: (ctx, data) => {
      const address = data[0]!;
      if (address !== RECEIVER_DISABLED && address & 0x01) {
        return fail(CompletionCode.InvalidDataField);
      }
      ctx.device.eventReceiverAddress = address;
      ctx.device.eventReceiverLun = data[1]! & 0x03;
      return ok();
    },
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.GetEventReceiver,
    length: 0,
    handle: (ctx) => ok(ctx.device.eventReceiverAddress, ctx.device.eventReceiverLun),
  },
  {
    netfn: NetFn.SensorEvent,
    cmd: SensorEventCmd.PlatformEvent,
    // Generator ID, EvM Rev, sensor type, sensor number, dir/type, data 1–3.
    length: [6, 8],
    handle: (ctx, data) => {
      ctx.logEvent({
        generatorId: data[0]!,
        generatorChannelLun: 0x00,
        evmRev: data[1]!,
        sensorType: data[2]!,
        sensorNumber: data[3]!,
        eventDirType: data[4]!,
        data: [data[5]!, data[6], data[7]],
      }, "platform-event");
      return ok();
    },
  },
];
