/**
 * `ctl events`: the retained events of a BMC and, with `--follow`, the live
 * ones. A followed stream that drops (bmc-emu restarting, a proxy timing out)
 * is reopened with `Last-Event-ID`, so nothing retained is missed; when
 * bmc-emu stays away longer than `--reconnect-for`, ctl exits 4.
 *
 * @module
 */

import { ApiCallError } from "./api_client.ts";
import type { CtlCommand, CtlContext } from "./ctl.ts";
import { durationArg } from "./ctl_faults.ts";
import { ExitCode, UsageError } from "./usage_error.ts";
import { SystemClock } from "../clock/clock.ts";
import { delay } from "../clock/delay.ts";
import { errorMessage } from "../util/error_message.ts";

/** How long `--follow` keeps trying to reopen a lost stream by default. */
const DEFAULT_RECONNECT_FOR_MS = 10_000;
/** First pause before reopening; doubled up to {@link MAX_RETRY_PAUSE_MS}. */
const FIRST_RETRY_PAUSE_MS = 250;
const MAX_RETRY_PAUSE_MS = 2_000;

/**
 * One event as a tab-separated line.
 *
 * @param e The event's JSON.
 * @returns The line.
 */
export function eventLine(e: Record<string, unknown>): string {
  return `${e.id}\t${e.time}\t${e.bmc}\t${e.type}\t${JSON.stringify(e.data)}`;
}

function afterArg(ctx: CtlContext): number {
  const text = ctx.options.after;
  if (text === undefined) return 0;
  if (!/^\d+$/.test(String(text))) {
    throw new UsageError(`--after must be an event id (a whole number), got "${text}"`);
  }
  return Number(text);
}

/** What one connection of the stream ended with. */
type StreamEnd = "done" | "lost";

interface StreamState {
  /** Id of the last event printed (sent as Last-Event-ID on reopening). */
  lastId: number;
  /** Events still to print before a non-following run ends. */
  remaining: number;
}

async function readOnce(
  ctx: CtlContext,
  path: string,
  state: StreamState,
  follow: boolean,
  signal: AbortSignal,
  onOpen: () => void,
): Promise<StreamEnd> {
  for await (const m of ctx.api.events(path, { lastEventId: state.lastId, signal })) {
    if (m.event === "stream.open") {
      const open = JSON.parse(m.data) as { replayed: number; lastEventId: number };
      if (open.lastEventId < state.lastId) {
        ctx.io.stderr(
          `warning: bmc-emu restarted (its newest event is ${open.lastEventId}, ctl had seen ${state.lastId}); following its new events`,
        );
        state.lastId = open.lastEventId;
      }
      onOpen();
      if (!follow) {
        state.remaining = open.replayed;
        if (state.remaining === 0) return "done";
      }
      continue;
    }
    if (m.event === "stream.gap") {
      ctx.io.stderr(`warning: events were lost: ${m.data}`);
      continue;
    }
    const e = JSON.parse(m.data) as Record<string, unknown>;
    if (m.id !== undefined) state.lastId = Number(m.id);
    ctx.io.stdout(ctx.json ? JSON.stringify(e) : eventLine(e));
    if (!follow && --state.remaining <= 0) return "done";
  }
  return "lost";
}

/** `ctl events [--follow] [--type T] [--after ID] [--reconnect-for 10s]`. */
export const followEvents: CtlCommand = async (ctx: CtlContext): Promise<number> => {
  const types = ctx.options.type ?? ctx.options.types;
  const query = types === undefined ? "" : `?types=${encodeURIComponent(String(types))}`;
  const path = `/api/v1/bmcs/${ctx.bmc}/events${query}`;
  const follow = ctx.options.follow === true;
  const reconnectForMs = ctx.options["reconnect-for"] === undefined
    ? DEFAULT_RECONNECT_FOR_MS
    : durationArg("reconnect-for", String(ctx.options["reconnect-for"]));
  const state: StreamState = { lastId: afterArg(ctx), remaining: Infinity };
  const clock = new SystemClock();
  const controller = new AbortController();
  ctx.io.signal?.addEventListener("abort", () => controller.abort(), { once: true });
  let lostAt: number | null = null;
  let pause = FIRST_RETRY_PAUSE_MS;
  let lastError = "the stream ended";
  try {
    while (!controller.signal.aborted) {
      let end: StreamEnd;
      try {
        end = await readOnce(ctx, path, state, follow, controller.signal, () => {
          if (lostAt !== null) ctx.io.stderr(`reconnected; following after event ${state.lastId}`);
          lostAt = null;
          pause = FIRST_RETRY_PAUSE_MS;
        });
      } catch (error) {
        // A refusal (401, 404 …) is an answer, not a lost connection.
        if (!(error instanceof ApiCallError) || error.status !== 0) throw error;
        end = "lost";
        lastError = errorMessage(error);
      }
      if (end === "done" || controller.signal.aborted) return ExitCode.Ok;
      if (!follow) {
        throw new ApiCallError(0, `lost the event stream before its end: ${lastError}`);
      }
      const now = clock.now();
      if (lostAt === null) {
        lostAt = now;
        ctx.io.stderr(
          `warning: lost the event stream (${lastError}); reconnecting with Last-Event-ID ${state.lastId} for up to ${reconnectForMs} ms`,
        );
      } else if (now - lostAt >= reconnectForMs) {
        throw new ApiCallError(
          0,
          `lost the event stream and could not reopen it for ${reconnectForMs} ms: ${lastError}`,
        );
      }
      await delay(clock, pause, controller.signal);
      pause = Math.min(pause * 2, MAX_RETRY_PAUSE_MS);
    }
    return ExitCode.Ok;
  } finally {
    controller.abort();
  }
};
