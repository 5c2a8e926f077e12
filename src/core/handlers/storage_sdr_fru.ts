/**
 * SDR repository and FRU commands of the Storage network function (IPMI
 * v2.0 ch. 33 and 34).
 *
 * @module
 */

import { CompletionCode, NetFn, StorageCmd } from "../../codec/constants.ts";
import { type CommandSpec, fail, le16, le32, ok, okBytes, u16 } from "../command.ts";
import type { BmcContext } from "../context.ts";
import { getSdr } from "./sensor_commands.ts";
import { SDR_VERSION } from "../../codec/sdr.ts";

/** Operation support: Reserve SDR Repository and Get Allocation Info; read-only. */
const SDR_OPS = 0x02 | 0x01;
/** Allocation unit size reported for the repository. */
const SDR_ALLOCATION_UNIT = 64;
/** Get FRU Inventory Area Info byte 4: device accessed by bytes. */
const FRU_BYTE_ACCESS = 0x00;
/** Largest Read FRU Data count that fits a reply through QEMU. */
const FRU_MAX_READ = 0xfe;

/** SDR repository and FRU commands. */
export const storageSdrFruCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSdrRepositoryInfo,
    length: 0,
    handle: (ctx) =>
      ok(
        SDR_VERSION,
        ...le16(ctx.sdr.count),
        ...le16(0),
        ...le32(ctx.sdr.addedAt),
        ...le32(0),
        SDR_OPS,
      ),
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSdrRepositoryAllocationInfo,
    length: 0,
    handle: (ctx) =>
      ok(
        ...le16(ctx.sdr.count),
        ...le16(SDR_ALLOCATION_UNIT),
        ...le16(0),
        ...le16(0),
        1,
      ),
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.ReserveSdrRepository,
    length: 0,
    handle: (ctx) => ok(...le16(ctx.sdr.reserve())),
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSdr,
    length: 6,
    handle: getSdr,
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSdrRepositoryTime,
    length: 0,
    handle: (ctx) => ok(...le32(ctx.sel.time())),
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetFruInventoryAreaInfo,
    length: 1,
    handle: (ctx, data) => {
      const r = ctx.fru.size(data[0]!);
      return r.ok ? ok(...le16(r.value), FRU_BYTE_ACCESS) : fail(r.cc);
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.ReadFruData,
    length: 4,
    handle: (ctx, data) => {
      const count = data[3]!;
      if (count > FRU_MAX_READ) return fail(CompletionCode.CannotReturnRequestedBytes);
      const r = ctx.fru.read(data[0]!, u16(data, 1), count);
      if (!r.ok) return fail(r.cc);
      const out = new Uint8Array(1 + r.value.length);
      out[0] = r.value.length;
      out.set(r.value, 1);
      return okBytes(out);
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.WriteFruData,
    length: [4, 3 + FRU_MAX_READ],
    handle: (ctx, data) => {
      const r = ctx.fru.write(data[0]!, u16(data, 1), data.subarray(3));
      return r.ok ? ok(r.value) : fail(r.cc);
    },
  },
];
