/**
 * The messages between `serve`'s main isolate and its shard workers
 * (`--workers N`): the main isolate starts a shard's BMCs, forwards HTTP
 * requests for them, and receives their events and log lines.
 *
 * @module
 */

import type { LogLevel } from "../../log/logger.ts";
import type { LogFormat } from "../../log/stream_logger.ts";
import type { Endpoint } from "../../transport/endpoint.ts";
import type { BmcConfigEntry } from "../../runtime/config_file.ts";

/** What a shard starts with. */
export interface ShardInit {
  readonly kind: "start";
  /** Shard number (0-based), for its log lines. */
  readonly index: number;
  /** Its BMCs, in config order. */
  readonly bmcs: readonly BmcConfigEntry[];
  /** Where state files go (`null`: memory). */
  readonly stateDir: string | null;
  /** Empty the start-up BMCs' state files first. */
  readonly resetState: boolean;
  /** Log level. */
  readonly logLevel: LogLevel;
  /** Log format. */
  readonly logFormat: LogFormat;
  /** bmc-emu's version (the OpenAPI document, /healthz). */
  readonly version: string;
}

/** One HTTP request forwarded to a shard; the body is transferred. */
export interface ShardRequest {
  readonly kind: "request";
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  readonly body: ArrayBuffer | null;
}

/** Messages to a shard. */
export type ToShard =
  | ShardInit
  | ShardRequest
  | { readonly kind: "abort"; readonly id: number }
  /** Whether to forward the high-volume event types too (a process-wide stream is open). */
  | { readonly kind: "forward-chatty"; readonly on: boolean }
  | { readonly kind: "close" };

/** What `serve` prints about one BMC at start-up. */
export interface BmcBanner {
  readonly id: string;
  readonly mode: "listen" | "connect";
  /** The bound endpoint (a port 0 resolved). */
  readonly endpoint: Endpoint;
  /** LAN and console lines. */
  readonly lan: readonly string[];
  /** Redfish service root, if any. */
  readonly redfish: string | null;
}

/** An event published on a shard's bus: BMC, type and payload. */
export type ForwardedEvent = readonly [bmc: string, type: string, data: unknown];

/** Messages from a shard. */
export type FromShard =
  | { readonly kind: "started"; readonly bmcs: readonly BmcBanner[] }
  | { readonly kind: "failed"; readonly message: string; readonly refused: boolean }
  | {
    readonly kind: "response";
    readonly id: number;
    readonly status: number;
    readonly headers: [string, string][];
    readonly body: ReadableStream<Uint8Array> | null;
  }
  | { readonly kind: "response-failed"; readonly id: number; readonly message: string }
  | { readonly kind: "events"; readonly events: readonly ForwardedEvent[] }
  | { readonly kind: "log"; readonly line: string }
  | { readonly kind: "closed" };
