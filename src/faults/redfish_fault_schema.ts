/**
 * The schema of fault rules on the Redfish channel (`match.channel:
 * "redfish"`, a path pattern and a method; HTTP-level actions: status,
 * delay, drop, body). The Redfish service applies them.
 *
 * @module
 */

import { z } from "zod";
import { regexText } from "../profile/regex_text.ts";

const METHODS = ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"] as const;

/** One Redfish fault rule as a config file writes it. */
export const redfishFaultSchema = z.object({
  id: z.string().min(1).max(64).optional(),
  match: z.object({
    channel: z.literal("redfish"),
    path: regexText.optional().describe(
      "Regular expression the request path must match (default: any)",
    ),
    method: z.enum(METHODS).optional(),
  }).strict(),
  action: z.discriminatedUnion("type", [
    z.object({
      type: z.literal("status"),
      status: z.number().int().min(200).max(599),
      body: z.unknown().optional().describe("JSON body (default: a Redfish error body)"),
      retryAfter: z.number().int().min(0).max(86400).optional(),
    }).strict(),
    z.object({ type: z.literal("delay"), ms: z.number().int().min(0).max(600_000) }).strict(),
    z.object({ type: z.literal("drop") }).strict(),
    z.object({ type: z.literal("body"), body: z.unknown() }).strict(),
  ]),
  skip: z.number().int().min(0).default(0).describe("Matching requests let through first"),
  count: z.number().int().min(1).optional().describe("Times the rule fires (default: always)"),
}).strict();

/** A validated Redfish fault rule. */
export type RedfishFault = z.output<typeof redfishFaultSchema>;
