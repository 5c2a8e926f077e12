import { AppCmd, NetFn, StorageCmd } from "../src/codec/constants.ts";
import type { IpmiRequest } from "../src/codec/ipmi_types.ts";
import { ManualClock } from "../src/clock/manual_clock.ts";
import { EventBus } from "../src/events/event_bus.ts";
import { benchBmc } from "./_bmc.ts";

const quiet = await benchBmc();
const bus = new EventBus({ clock: new ManualClock() });
const published = await benchBmc(bus.sinkFor("bench"));

const req = (netfn: number, cmd: number, data: number[] = []): IpmiRequest => ({
  netfn,
  lun: 0,
  cmd,
  data: Uint8Array.from(data),
});
const GET_DEVICE_ID = req(NetFn.App, AppCmd.GetDeviceId);
const GET_FLAGS = req(NetFn.App, AppCmd.GetMessageFlags);
const SET_WATCHDOG = req(NetFn.App, AppCmd.SetWatchdogTimer, [0x44, 0x00, 0, 0, 100, 0]);
const RESET_WATCHDOG = req(NetFn.App, AppCmd.ResetWatchdogTimer);
const GET_SDR = req(NetFn.Storage, StorageCmd.GetSdr, [0, 0, 1, 0, 0, 0xff]);
quiet.handle(SET_WATCHDOG);
published.handle(SET_WATCHDOG);

Deno.bench("Get Device ID (no subscribers)", { group: "dispatch", baseline: true }, () => {
  quiet.handle(GET_DEVICE_ID);
});
Deno.bench("Get Device ID (events on a bus)", { group: "dispatch" }, () => {
  published.handle(GET_DEVICE_ID);
});
Deno.bench("Get Message Flags", { group: "dispatch" }, () => {
  quiet.handle(GET_FLAGS);
});
Deno.bench("Reset Watchdog Timer", { group: "dispatch" }, () => {
  quiet.handle(RESET_WATCHDOG);
});
Deno.bench("Get SDR (record 1, whole)", { group: "dispatch" }, () => {
  quiet.handle(GET_SDR);
});
