/**
 * SEL commands of the Storage network function (IPMI v2.0 ch. 31).
 *
 * @module
 */

import { CompletionCode, NetFn, StorageCmd } from "../../codec/constants.ts";
import { type CommandSpec, fail, le16, le32, ok, READ_WHOLE_RECORD, u16, u32 } from "../command.ts";
import type { BmcContext } from "../context.ts";
import { SEL_RECORD_BYTES } from "../sel_record.ts";

/** SEL version reported by Get SEL Info (IPMI 1.5/2.0). */
const SEL_VERSION = 0x51;
/** Operation support: delete, reserve, allocation info (no partial add). */
const SEL_OPS = 0x08 | 0x02 | 0x01;
const SEL_OVERFLOW = 0x80;
const CLEAR_INITIATE = 0xaa;
const CLEAR_STATUS = 0x00;
const CLEAR_COMPLETE = 0x01;
const CLR = [0x43, 0x4c, 0x52];

/** SEL commands. */
export const storageSelCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSelInfo,
    length: 0,
    handle: (ctx) => {
      const info = ctx.sel.info();
      return ok(
        SEL_VERSION,
        ...le16(info.entries),
        ...le16(info.freeBytes),
        ...le32(info.lastAdd),
        ...le32(info.lastErase),
        SEL_OPS | (info.overflow ? SEL_OVERFLOW : 0),
      );
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSelAllocationInfo,
    length: 0,
    handle: (ctx) => {
      const free = ctx.sel.capacity - ctx.sel.size;
      return ok(
        ...le16(ctx.sel.capacity),
        ...le16(SEL_RECORD_BYTES),
        ...le16(free),
        ...le16(free),
        1,
      );
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.ReserveSel,
    length: 0,
    handle: (ctx) => ok(...le16(ctx.sel.reserve())),
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSelEntry,
    length: 6,
    handle: (ctx, data) => {
      const offset = data[4]!;
      const count = data[5]!;
      if (count !== READ_WHOLE_RECORD && offset + count > SEL_RECORD_BYTES) {
        return fail(CompletionCode.CannotReturnRequestedBytes);
      }
      const result = ctx.sel.get({
        reservation: u16(data, 0),
        recordId: u16(data, 2),
        offset,
        count,
      });
      if (!result.ok) return fail(result.cc);
      return ok(...le16(result.value.next), ...result.value.bytes);
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.AddSelEntry,
    length: SEL_RECORD_BYTES,
    handle: (ctx, data) => {
      const result = ctx.sel.add(data, "add-sel-entry");
      if (!result.ok) return fail(result.cc);
      return ok(...le16(result.value.id));
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.DeleteSelEntry,
    length: 4,
    handle: (ctx, data) => {
      const result = ctx.sel.delete(u16(data, 0), u16(data, 2));
      if (!result.ok) return fail(result.cc);
      return ok(...le16(result.value));
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.ClearSel,
    length: 6,
    handle: (ctx, data) => {
      const op = data[5]!;
      if (data[2] !== CLR[0] || data[3] !== CLR[1] || data[4] !== CLR[2]) {
        return fail(CompletionCode.InvalidDataField);
      }
      if (op !== CLEAR_INITIATE && op !== CLEAR_STATUS) {
        return fail(CompletionCode.InvalidDataField);
      }
      if (op === CLEAR_INITIATE) {
        const result = ctx.sel.clear(u16(data, 0));
        if (!result.ok) return fail(result.cc);
      } else if (!ctx.sel.reservationValid(u16(data, 0))) {
        return fail(CompletionCode.ReservationCancelled);
      }
      return ok(CLEAR_COMPLETE);
    },
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.GetSelTime,
    length: 0,
    handle: (ctx) => ok(...le32(ctx.sel.time())),
  },
  {
    netfn: NetFn.Storage,
    cmd: StorageCmd.SetSelTime,
    length: 4,
    handle: (ctx, data) => {
      ctx.sel.setTime(u32(data, 0));
      return ok();
    },
  },
];
