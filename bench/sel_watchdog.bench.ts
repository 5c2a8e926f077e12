import { AppCmd, NetFn, StorageCmd } from "../src/codec/constants.ts";
import { benchBmc } from "./_bmc.ts";

const bmc = await benchBmc();
const RECORD = [0, 0, 0x02, 0, 0, 0, 0, 0x41, 0, 0x04, 0x12, 0x01, 0x6f, 0x02, 0xff, 0xff];
const ADD = {
  netfn: NetFn.Storage,
  lun: 0,
  cmd: StorageCmd.AddSelEntry,
  data: Uint8Array.from(RECORD),
};
const GET = {
  netfn: NetFn.Storage,
  lun: 0,
  cmd: StorageCmd.GetSelEntry,
  data: Uint8Array.of(0, 0, 0, 0, 0, 0xff),
};
const SET = {
  netfn: NetFn.App,
  lun: 0,
  cmd: AppCmd.SetWatchdogTimer,
  data: Uint8Array.of(0x44, 1, 0, 0, 100, 0),
};
const RESET = { netfn: NetFn.App, lun: 0, cmd: AppCmd.ResetWatchdogTimer, data: new Uint8Array() };
let added = 0;

Deno.bench("Add SEL Entry (memory store; cleared every 1000)", { group: "sel" }, () => {
  if (++added % 1000 === 0) bmc.sel.clear(null);
  bmc.handle(ADD);
});
Deno.bench("Get SEL Entry (first)", { group: "sel" }, () => {
  bmc.handle(GET);
});
Deno.bench("Set Watchdog Timer", { group: "watchdog" }, () => {
  bmc.handle(SET);
});
Deno.bench("Set + Reset Watchdog Timer", { group: "watchdog" }, () => {
  bmc.handle(SET);
  bmc.handle(RESET);
});
