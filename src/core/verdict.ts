/**
 * What the BMC tells the transport to do with a request.
 *
 * @module
 */

import type { IpmiResponse } from "../codec/ipmi_types.ts";
import type { FaultAction, UnsafeSeqPolicy } from "./faults.ts";

/** Damage the session applies to a reply on the wire. */
export type WireFault = Extract<FaultAction, { type: "corrupt" | "duplicate" }>;

/** What the transport should do with a request. */
export type Verdict =
  /** Send `response` after `delayMs` (0 = now), damaged by `wire` if set. */
  | {
    readonly kind: "reply";
    readonly response: IpmiResponse;
    readonly delayMs: number;
    readonly wire: WireFault | null;
  }
  /** Send nothing (see {@link UnsafeSeqPolicy} for seq A0/A1/AA). */
  | { readonly kind: "drop"; readonly reason: string; readonly unsafeSeq: UnsafeSeqPolicy }
  /**
   * Cancel the request at QEMU with a reply carrying another seq and hold
   * `response` (the holding is the transport's); `end` says when the wedge
   * is over.
   */
  | { readonly kind: "wedge"; readonly response: IpmiResponse; readonly end: WedgeEnd };

/**
 * The end of a wedge, as a transport holding a reply waits for it: it
 * registers how to send what it holds, and the hang's release calls that
 * with the code to answer instead (`null`: the real reply). The call
 * returns whether a reply was sent.
 */
export interface WedgeEnd {
  /** Register (once per holder; registering again is a no-op). */
  onEnd(send: (cc: number | null) => boolean): void;
}
