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
  /** Cancel the request at QEMU with a reply carrying another seq; hold `response`. */
  | { readonly kind: "wedge"; readonly response: IpmiResponse };
