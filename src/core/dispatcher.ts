/**
 * The command dispatch table and the only place that checks LUN, request
 * length and unknown commands, and turns handler bugs into 0xFF.
 *
 * @module
 */

import { CompletionCode, MAX_RESPONSE_DATA } from "../codec/constants.ts";
import type { IpmiRequest, IpmiResponse } from "../codec/ipmi_types.ts";
import { commandName, hexBytes } from "../codec/names.ts";
import type { Logger } from "../log/logger.ts";
import { type CommandSpec, fail, type LengthRule, type Reply } from "./command.ts";

function key(netfn: number, cmd: number): number {
  return (netfn << 8) | cmd;
}

function lengthOk(rule: LengthRule, length: number): boolean {
  if (typeof rule === "number") return length === rule;
  return length >= rule[0] && length <= rule[1];
}

/**
 * A response echoing the request's netfn (| 1), LUN and command.
 *
 * @param req The request.
 * @param reply Completion code and data.
 * @returns The response.
 */
export function responseTo(req: IpmiRequest, reply: Reply): IpmiResponse {
  return {
    netfn: req.netfn | 1,
    lun: req.lun,
    cmd: req.cmd,
    cc: reply.cc,
    data: reply.data,
  };
}

/** A dispatch table of command handlers keyed by (netfn, cmd). */
export class Dispatcher<Ctx> {
  readonly #table = new Map<number, CommandSpec<Ctx>>();
  readonly #log: Logger;

  /**
   * Build a table; a later spec for the same (netfn, cmd) replaces an earlier
   * one (profiles override defaults this way).
   *
   * @param specs Command specs.
   * @param log Where handler bugs are reported.
   */
  constructor(specs: Iterable<CommandSpec<Ctx>>, log: Logger) {
    for (const spec of specs) this.#table.set(key(spec.netfn, spec.cmd), spec);
    this.#log = log;
  }

  /**
   * Run a request through the central checks and its handler.
   *
   * Order: non-zero LUN → 0xC2, unknown → 0xC1, wrong length → 0xC7, handler
   * exception or oversized reply → 0xFF (logged).
   *
   * @param ctx Handler context.
   * @param req The request.
   * @returns The reply.
   */
  dispatch(ctx: Ctx, req: IpmiRequest): Reply {
    if (req.lun !== 0) return fail(CompletionCode.InvalidForLun);
    const spec = this.#table.get(key(req.netfn, req.cmd));
    if (spec === undefined) return fail(CompletionCode.InvalidCommand);
    if (!lengthOk(spec.length, req.data.length)) {
      return fail(CompletionCode.RequestDataLengthInvalid);
    }
    try {
      const reply = spec.handle(ctx, req.data);
      if (reply.data.length > MAX_RESPONSE_DATA) {
        this.#log.error("handler produced an oversized response", {
          command: commandName(req.netfn, req.cmd),
          bytes: reply.data.length,
        });
        return fail(CompletionCode.Unspecified);
      }
      return reply;
    } catch (error) {
      this.#log.error("handler failed; answering 0xff", {
        command: commandName(req.netfn, req.cmd),
        data: hexBytes(req.data),
        error,
      });
      return fail(CompletionCode.Unspecified);
    }
  }
}
