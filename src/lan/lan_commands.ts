/**
 * Commands that belong to the LAN channel and its sessions rather than to
 * the board (IPMI v2.0 ch. 22–26), gathered from one module per concern:
 * session setup and control (`lan_session_commands.ts`), channel access and
 * info (`lan_channel_commands.ts`), users (`lan_user_commands.ts`), payloads
 * and SOL activation (`lan_payload_commands.ts`), and LAN and SOL
 * configuration parameters (`lan_config_parameters.ts`,
 * `sol_config_parameters.ts`). Everything else a session sends goes to the
 * shared core dispatcher.
 *
 * @module
 */

import { NETFN_APP, NETFN_TRANSPORT } from "./constants.ts";
import { CHANNEL_COMMANDS } from "./lan_channel_commands.ts";
import type { LanContext, LanHandler, LanReply } from "./lan_command_context.ts";
import { LAN_CONFIG_COMMANDS } from "./lan_config_parameters.ts";
import type { LanRequest } from "./lan_message.ts";
import { PAYLOAD_COMMANDS } from "./lan_payload_commands.ts";
import { SESSION_COMMANDS, SESSIONLESS } from "./lan_session_commands.ts";
import { USER_COMMANDS } from "./lan_user_commands.ts";
import { SOL_CONFIG_COMMANDS } from "./sol_config_parameters.ts";

export type { LanAddress, LanContext, LanReply } from "./lan_command_context.ts";
export { loadLanOverrides } from "./lan_config_parameters.ts";
export { SESSIONLESS } from "./lan_session_commands.ts";

const APP: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  ...SESSION_COMMANDS,
  ...CHANNEL_COMMANDS,
  ...USER_COMMANDS,
  ...PAYLOAD_COMMANDS,
]);

const TRANSPORT: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  ...LAN_CONFIG_COMMANDS,
  ...SOL_CONFIG_COMMANDS,
]);

/**
 * Answer `req` if it is a LAN-channel command; the caller has checked the
 * session's privilege for it.
 *
 * @param ctx Session and LAN state.
 * @param req The request.
 * @returns The answer, or `null` when the shared core answers it.
 */
export function lanCommand(ctx: LanContext, req: LanRequest): LanReply | null {
  if (req.lun !== 0) return null;
  const table = req.netfn === NETFN_APP ? APP : req.netfn === NETFN_TRANSPORT ? TRANSPORT : null;
  const handler = table?.get(req.cmd);
  if (handler === undefined) return null;
  if (ctx.session === null && !(req.netfn === NETFN_APP && SESSIONLESS.has(req.cmd))) return null;
  const result = handler(ctx, req.data);
  if (result === null) return null;
  return "reply" in result ? result : { reply: result };
}
