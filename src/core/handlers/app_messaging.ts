/**
 * App commands of the system interface messaging model: BMC Global Enables,
 * message flags, Get Message, Read Event Message Buffer, Get Channel Info,
 * Get System Interface Capabilities (IPMI v2.0 ch. 22).
 *
 * @module
 */

import { AppCmd, CompletionCode, NetFn } from "../../codec/constants.ts";
import { type CommandSpec, fail, le24, ok, okBytes } from "../command.ts";
import type { BmcContext } from "../context.ts";

const ENABLES_RESERVED = 0x10;
const FLAGS_RESERVED = 0x14;
/** Channel number meaning "the channel this request arrived on". */
const CURRENT_CHANNEL = 0x0e;
/** The system interface channel. */
export const SYSTEM_INTERFACE_CHANNEL = 0x0f;
/** IPMI Forum IANA number (7154), reported as the channel protocol vendor. */
const IPMI_FORUM_IANA = 0x001bf2;
/** Interrupt type "assigned by ACPI / Plug and Play BIOS" (Get Channel Info aux). */
const INTERRUPT_BY_ACPI = 0x60;
/** Interface types of Get System Interface Capabilities. */
const SystemInterfaceType = { Ssif: 0, Kcs: 1, Smic: 2 } as const;
/** Largest request the KCS interface accepts (QEMU's buffer). */
const KCS_INPUT_MAX = 0xff;

/** App messaging commands. */
export const appMessagingCommands: CommandSpec<BmcContext>[] = [
  {
    netfn: NetFn.App,
    cmd: AppCmd.SetBmcGlobalEnables,
    length: 1,
    handle: (ctx, data) => {
      if (data[0]! & ENABLES_RESERVED) return fail(CompletionCode.InvalidDataField);
      ctx.messaging.setGlobalEnables(data[0]!);
      return ok();
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetBmcGlobalEnables,
    length: 0,
    handle: (ctx) => ok(ctx.messaging.globalEnables),
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.ClearMessageFlags,
    length: 1,
    handle: (ctx, data) => {
      if (data[0]! & FLAGS_RESERVED) return fail(CompletionCode.InvalidDataField);
      ctx.messaging.clearFlags(data[0]!);
      return ok();
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetMessageFlags,
    length: 0,
    handle: (ctx) => ok(ctx.messaging.flags()),
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetMessage,
    length: 0,
    handle: (ctx) => {
      const message = ctx.messaging.takeMessage();
      return message === null ? fail(CompletionCode.CommandSpecific80) : okBytes(message);
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.ReadEventMessageBuffer,
    length: 0,
    handle: (ctx) => {
      const event = ctx.messaging.readEvent();
      return event === null ? fail(CompletionCode.CommandSpecific80) : okBytes(event);
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetChannelInfo,
    length: 1,
    handle: (ctx, data) => {
      if (data[0]! & 0xf0) return fail(CompletionCode.InvalidDataField);
      let number = data[0]! & 0x0f;
      if (number === CURRENT_CHANNEL) number = SYSTEM_INTERFACE_CHANNEL;
      const channel = ctx.config.channels.find((c) => c.number === number);
      if (channel === undefined) return fail(CompletionCode.InvalidDataField);
      const aux = number === SYSTEM_INTERFACE_CHANNEL
        ? [INTERRUPT_BY_ACPI, INTERRUPT_BY_ACPI]
        : [0x00, 0x00];
      return ok(
        number,
        channel.medium & 0x7f,
        channel.protocol & 0x1f,
        (channel.sessionSupport & 0x03) << 6,
        ...le24(IPMI_FORUM_IANA),
        ...aux,
      );
    },
  },
  {
    netfn: NetFn.App,
    cmd: AppCmd.GetSystemInterfaceCapabilities,
    length: 1,
    handle: (_ctx, data) => {
      const type = data[0]! & 0x0f;
      if (data[0]! & 0xf0) return fail(CompletionCode.InvalidDataField);
      if (type === SystemInterfaceType.Ssif) {
        // SSIF as defined by IPMI v2.0, multi-part with middle, no PEC.
        return ok(0x00, 0x80, 0xff, 0xff);
      }
      if (type === SystemInterfaceType.Kcs || type === SystemInterfaceType.Smic) {
        // System interface version 1.0, input maximum message size.
        return ok(0x00, 0x00, KCS_INPUT_MAX);
      }
      return fail(CompletionCode.InvalidDataField);
    },
  },
];
