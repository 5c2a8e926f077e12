/**
 * BMC hangs: states that make the host's interface or its flag loop stall,
 * until released.
 *
 * @module
 */

import type { RequestChannel } from "./faults.ts";
import type { StickyMessage } from "./sticky_payload.ts";

/** Hang modes. */
export const HANG_MODES = [
  "silent",
  "wedge",
  "sticky-event-buffer",
  "sticky-receive-queue",
] as const;

/**
 * - `silent`: nothing is answered (QEMU answers 0xC3 after 4 s, except for
 *   seq A0/A1/AA, where its garbled timeout leaves the transaction hanging).
 * - `wedge`: each request is cancelled at QEMU by a reply with another seq
 *   (QEMU clears its timer, the KCS drops the reply and keeps IBF set); the
 *   real reply is held until release.
 * - `sticky-event-buffer`: Get Message Flags keeps reporting the event
 *   buffer full and every Read Event Message Buffer succeeds.
 * - `sticky-receive-queue`: the same for the receive queue and Get Message.
 */
export type HangMode = typeof HANG_MODES[number];

/** What to hang: the JSON form accepted by the API, `ctl` and scenarios. */
export interface HangSpec {
  /** Mode. */
  readonly mode: HangMode;
  /** Release automatically after this long, ms. */
  readonly durationMs?: number | null | undefined;
  /** What a sticky receive queue delivers (default `response`). */
  readonly message?: StickyMessage | undefined;
  /**
   * Only requests from this interface hang (`silent`, `wedge`); the other
   * keeps working. Default: both.
   */
  readonly channel?: RequestChannel | undefined;
}

/** A hang in progress. */
export interface Hang {
  /** Mode. */
  readonly mode: HangMode;
  /** What a sticky receive queue delivers. */
  readonly message: StickyMessage;
  /** Who started it. */
  readonly origin: string;
  /** Monotonic start. */
  readonly startedAt: number;
  /** Monotonic automatic release, or `null`. */
  readonly endsAt: number | null;
  /** Interface that hangs, or `null` for both. */
  readonly channel: RequestChannel | null;
}
