/**
 * The JSON form of hangs and their release, shared by the API, `ctl` and
 * scenario steps.
 *
 * @module
 */

import { z } from "zod";
import { HANG_MODES } from "../core/hang.ts";
import { STICKY_MESSAGES } from "../core/sticky_payload.ts";
import { byteValue } from "../profile/byte_value.ts";
import { channelField } from "./fault_schema.ts";

/** Start a hang. */
export const hangSchema = z.object({
  mode: z.enum(HANG_MODES).describe(
    "silent: answer nothing; wedge: cancel each request at QEMU with a wrong-seq reply and hold the real one; sticky-event-buffer / sticky-receive-queue: the flag stays set and every fetch succeeds",
  ),
  durationMs: z.number().int().min(1).max(86_400_000).optional().describe(
    "Release automatically after this long",
  ),
  message: z.enum(STICKY_MESSAGES).optional().describe(
    "sticky-receive-queue only: deliver IPMB responses nobody waits for (default) or IPMB requests to system software, which Linux answers with Send Message",
  ),
  channel: channelField.describe(
    "silent and wedge only: hang this interface alone (system: the host's KCS/BT/SSIF; lan: IPMI over LAN), the other keeps answering; default: both",
  ),
}).strict().refine((h) => h.message === undefined || h.mode === "sticky-receive-queue", {
  message: "message applies to sticky-receive-queue only",
  path: ["message"],
}).refine((h) => h.channel === undefined || h.mode === "silent" || h.mode === "wedge", {
  message: "channel applies to silent and wedge only",
  path: ["channel"],
});

/** End a hang. */
export const releaseSchema = z.object({
  cc: byteValue.optional().describe(
    "End a wedge by answering the held request with this code instead of its real reply",
  ),
}).strict();
