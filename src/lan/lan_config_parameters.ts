/**
 * Get/Set LAN Configuration Parameters (IPMI v2.0 §23.1–23.2, table 23-4):
 * the values the BMC reports (address, authentication types, cipher
 * suites, …), the parameters a console may change, and the overrides it set,
 * which persist in the state store.
 *
 * @module
 */

import { CompletionCode } from "../codec/constants.ts";
import { fail, ok, type Reply } from "../core/command.ts";
import type { StateStore } from "../core/ports.ts";
import { Privilege, TransportCmd } from "./constants.ts";
import { CIPHER_SUITES } from "./lan_crypto.ts";
import {
  isLan,
  type LanContext,
  type LanHandler,
  PARAM_NOT_SUPPORTED,
  parameterReply,
} from "./lan_command_context.ts";

const C = CompletionCode;

/** Get LAN Configuration Parameters values (IPMI v2.0 table 23-4). */
function lanParameter(ctx: LanContext, param: number): number[] | null {
  const over = ctx.lanOverrides.get(param);
  if (over !== undefined) return [...over];
  const a = ctx.address;
  const enabled = CIPHER_SUITES.filter((s) => ctx.suites.has(s.id)).map((s) => s.id);
  switch (param) {
    case 0:
      return [0x00];
    case 1:
      return [ctx.ipmi15 ? 0x01 : 0x00];
    case 2:
      return ctx.ipmi15 ? [0x01, 0x01, 0x01, 0x01, 0x00] : [0, 0, 0, 0, 0];
    case 3:
      return [...a.ip];
    case 4:
      return [0x01]; // static
    case 5:
      return [...a.mac];
    case 6:
      return [...a.netmask];
    case 7:
      return [0x40, 0x40, 0x10];
    case 10:
      return [0x00];
    case 11:
      return [0x00];
    case 12:
    case 14:
      return [0, 0, 0, 0];
    case 13:
    case 15:
      return [0, 0, 0, 0, 0, 0];
    case 16:
      return [...new TextEncoder().encode("public"), ...new Array(12).fill(0)];
    case 20:
      return [0x00, 0x00];
    case 21:
      return [0x00];
    case 22:
      return [enabled.length];
    case 23:
      return [0x00, ...enabled];
    case 24: {
      // One nibble per cipher suite id 0-15, indexed by id (as FreeIPMI and
      // ipmitool read it), not by the entry's place in parameter 23; ids
      // above 15 have no nibble.
      const nibble = (id: number) => ctx.suites.has(id) ? Privilege.Administrator : 0;
      const out = [0x00];
      for (let id = 0; id < 16; id += 2) out.push(nibble(id) | (nibble(id + 1) << 4));
      return out;
    }
    default:
      return null;
  }
}

/**
 * Parameters Set LAN Configuration Parameters may change. Not 24 (cipher
 * suite privilege levels): RAKP does not limit a session by its suite, so a
 * stored value would be a lie; it answers 0x82 (read-only) like the address.
 */
const WRITABLE_LAN: ReadonlySet<number> = new Set([
  0,
  2,
  7,
  10,
  11,
  12,
  13,
  14,
  15,
  16,
  20,
  21,
]);
const LAN_STORE_KEY = "lan.config";

function getLanConfig(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length !== 4) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  return parameterReply(d, (param) => lanParameter(ctx, param));
}

function setLanConfig(ctx: LanContext, d: Uint8Array): Reply | null {
  if (d.length < 3) return fail(C.RequestDataLengthInvalid);
  if (!isLan(d[0]! & 0x0f)) return null;
  const param = d[1]!;
  const current = lanParameter(ctx, param);
  if (current === null) return PARAM_NOT_SUPPORTED;
  if (!WRITABLE_LAN.has(param)) return fail(0x82); // read-only here
  if (param === 0) return ok();
  if (d.length - 2 !== current.length) return fail(C.RequestDataLengthInvalid);
  ctx.lanOverrides.set(param, d.slice(2));
  ctx.store?.setValue(
    LAN_STORE_KEY,
    JSON.stringify(Object.fromEntries([...ctx.lanOverrides].map(([k, v]) => [k, [...v]]))),
  );
  return ok();
}

/**
 * Overrides saved by Set LAN Configuration Parameters.
 *
 * @param store State store.
 * @returns Parameter → bytes.
 */
export function loadLanOverrides(store: StateStore | null): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  const text = store?.getValue(LAN_STORE_KEY);
  if (text === undefined) return out;
  try {
    for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, number[]>)) {
      // Only what may still be set (a state file can hold parameter 24 from before).
      if (WRITABLE_LAN.has(Number(k))) out.set(Number(k), Uint8Array.from(v));
    }
  } catch {
    // Damaged: defaults.
  }
  return out;
}

/** LAN configuration commands (netfn Transport), by command. */
export const LAN_CONFIG_COMMANDS: ReadonlyMap<number, LanHandler> = new Map<number, LanHandler>([
  [TransportCmd.GetLanConfig, getLanConfig],
  [TransportCmd.SetLanConfig, setLanConfig],
]);
