/**
 * A shard of `serve --workers N`, run as a Deno Worker: it starts its BMCs
 * with the same launcher, bus and API app as a one-isolate `serve`, answers
 * the HTTP requests the main isolate forwards (streamed bodies, aborts), and
 * sends its events (batched per turn of the event loop) and log lines back.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { createApi } from "../../api/app.ts";
import { Metrics } from "../../api/metrics.ts";
import { SystemClock } from "../../clock/clock.ts";
import { CHATTY_TYPES, EventBus } from "../../events/event_bus.ts";
import { StreamLogger } from "../../log/stream_logger.ts";
import { Registry } from "../../runtime/registry.ts";
import { errorMessage } from "../../util/error_message.ts";
import { BmcLauncher, LaunchRefusal } from "../bmc_launcher.ts";
import { lanBanner } from "../serve_lan.ts";
import type {
  BmcBanner,
  ForwardedEvent,
  FromShard,
  ShardInit,
  ShardRequest,
  ToShard,
} from "./protocol.ts";

const post = (message: FromShard, transfer: Transferable[] = []): void =>
  self.postMessage(message, transfer);

/**
 * Sends the bus's events to the main isolate, one message per turn; the
 * high-volume types (IPMI exchanges, sensor readings) only while the main
 * isolate asks for them.
 */
class EventForwarder {
  chatty = false;
  #batch: ForwardedEvent[] = [];

  constructor(bus: EventBus) {
    bus.subscribe({}, (e) => {
      if (!this.chatty && CHATTY_TYPES.has(e.type)) return;
      if (this.#batch.length === 0) setTimeout(() => this.#flush(), 0);
      this.#batch.push([e.bmc, e.type, e.data]);
    });
  }

  #flush(): void {
    const events = this.#batch;
    this.#batch = [];
    post({ kind: "events", events });
  }
}

interface Shard {
  readonly events: EventForwarder;
  readonly app: { fetch(request: Request): Response | Promise<Response> };
  readonly inFlight: Map<number, AbortController>;
  close(): Promise<void>;
}

async function start(init: ShardInit): Promise<Shard | null> {
  const log = new StreamLogger({
    level: init.logLevel,
    format: init.logFormat,
    write: (line) => post({ kind: "log", line }),
  });
  const clock = new SystemClock();
  const bus = new EventBus({ clock });
  const events = new EventForwarder(bus);
  const metrics = new Metrics(bus);
  const registry = new Registry();
  const closing = new AbortController();
  const launcher = new BmcLauncher({ clock, bus, log, registry, stateDir: init.stateDir });
  const close = async (): Promise<void> => {
    closing.abort();
    await launcher.close();
    await registry.closeAll();
    metrics.close();
  };
  const banners: BmcBanner[] = [];
  try {
    for (const bmc of init.bmcs) {
      const runtime = await launcher.start(bmc, { resetState: init.resetState });
      const redfish = launcher.redfish.get(bmc.id);
      banners.push({
        id: runtime.id,
        mode: runtime.connection().mode,
        endpoint: runtime.endpoint,
        lan: lanBanner(runtime, bmc.users ?? null),
        redfish: redfish === undefined ? null : `${redfish.url}/redfish/v1/`,
      });
    }
  } catch (error) {
    post({ kind: "failed", message: errorMessage(error), refused: error instanceof LaunchRefusal });
    await close();
    return null;
  }
  const { app } = createApi({
    registry,
    bmcs: launcher,
    bus,
    clock,
    metrics,
    token: null, // the main isolate authenticates
    log,
    version: init.version,
    closing: closing.signal,
  });
  post({ kind: "started", bmcs: banners });
  return { events, app, inFlight: new Map(), close };
}

async function answer(shard: Shard, request: ShardRequest): Promise<void> {
  const abort = new AbortController();
  shard.inFlight.set(request.id, abort);
  try {
    const response = await shard.app.fetch(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: abort.signal,
      }),
    );
    const body = response.body;
    post({
      kind: "response",
      id: request.id,
      status: response.status,
      headers: [...response.headers],
      body,
    }, body === null ? [] : [body]);
  } catch (error) {
    post({ kind: "response-failed", id: request.id, message: errorMessage(error) });
  } finally {
    shard.inFlight.delete(request.id);
  }
}

let shard: Shard | null = null;
self.onmessage = async (e: MessageEvent<ToShard>) => {
  const message = e.data;
  switch (message.kind) {
    case "start":
      shard = await start(message);
      return;
    case "request":
      if (shard !== null) await answer(shard, message);
      else post({ kind: "response-failed", id: message.id, message: "its BMCs have not started" });
      return;
    case "abort":
      shard?.inFlight.get(message.id)?.abort();
      return;
    case "forward-chatty":
      if (shard !== null) shard.events.chatty = message.on;
      return;
    case "close":
      await shard?.close();
      post({ kind: "closed" });
      self.close();
  }
};
