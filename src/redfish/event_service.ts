/**
 * `EventService`: the BMC's events (power changes, SEL entries, watchdog
 * expiry, BMC resets) as Redfish `Event` payloads, POSTed to subscriptions
 * whose destination is on loopback, and streamed to `ServerSentEventUri`.
 *
 * @module
 */

import type { BusEvent, EventBus } from "../events/event_bus.ts";
import { errorMessage } from "../util/error_message.ts";
import { streamRedfishEvents } from "./event_stream.ts";
import { redfishError } from "./messages.ts";
import { collection, type Json, odataType, ref, resource, ROOT, STATUS_OK } from "./odata.ts";
import type { RedfishRouter } from "./router.ts";
import { pathsOf, type ServiceContext } from "./service_context.ts";

const SERVICE = `${ROOT}/EventService`;
const SUBSCRIPTIONS = `${SERVICE}/Subscriptions`;
const SSE = `${SERVICE}/SSE`;
/** Subscriptions kept at once. */
export const MAX_SUBSCRIPTIONS = 16;
/** Time one delivery may take. */
const DELIVERY_TIMEOUT_MS = 5000;
/** Message registry prefix of the event messages (bmc-emu's own). */
const EVENT_REGISTRY = "BmcEmu.1.0";

/** Bus event types that become Redfish events, with their MessageId and severity. */
const EVENT_MESSAGES = {
  "power.changed": ["PowerStateChanged", "OK"],
  "sel.added": ["SelEntryAdded", "OK"],
  "sel.cleared": ["SelCleared", "OK"],
  "watchdog.expired": ["WatchdogExpired", "Critical"],
  "bmc.reset": ["ManagerResetStarted", "Warning"],
  "bmc.ready": ["ManagerReady", "OK"],
} as const;

type EventTypeName = keyof typeof EVENT_MESSAGES;

interface Subscription {
  readonly id: string;
  readonly destination: string;
  readonly context: string;
  chain: Promise<void>;
}

function isLoopbackUrl(text: string): boolean {
  try {
    const url = new URL(text);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    return (url.protocol === "http:" || url.protocol === "https:") &&
      (host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host));
  } catch {
    return false;
  }
}

/** Subscriptions, the SSE stream and delivery of one service. */
export class EventService {
  readonly #ctx: ServiceContext;
  readonly #subs = new Map<string, Subscription>();
  readonly #listeners = new Set<(payload: Json) => void>();
  readonly #unsubscribe: () => void;
  readonly #closing = new AbortController();
  #next = 1;

  /**
   * Listen to the BMC's events on the bus.
   *
   * @param ctx Service state.
   * @param bus Event bus.
   */
  constructor(ctx: ServiceContext, bus: EventBus) {
    this.#ctx = ctx;
    this.#unsubscribe = bus.subscribe(
      { bmc: ctx.ops.bmc.id, types: new Set(Object.keys(EVENT_MESSAGES)) },
      (e) => this.#publish(e),
    );
  }

  /** Signal aborted when the service closes (ends SSE streams). */
  get closing(): AbortSignal {
    return this.#closing.signal;
  }

  /**
   * The Redfish event of a bus event.
   *
   * @param e Bus event.
   * @returns The payload.
   */
  payload(e: BusEvent): Json {
    const p = pathsOf(this.#ctx.ids);
    const [id, severity] = EVENT_MESSAGES[e.type as EventTypeName];
    const origin = e.type.startsWith("sel.")
      ? `${p.sel}/Entries${e.data.id === undefined ? "" : `/${e.data.id}`}`
      : e.type.startsWith("bmc.")
      ? p.manager
      : p.system;
    return {
      "@odata.type": odataType("Event"),
      Id: String(e.id),
      Name: "BMC event",
      Events: [{
        EventType: "Other",
        EventId: String(e.id),
        EventTimestamp: e.time,
        MemberId: "0",
        MessageId: `${EVENT_REGISTRY}.${id}`,
        Message: `${e.type}: ${JSON.stringify(e.data)}`,
        MessageSeverity: severity,
        OriginOfCondition: ref(origin),
      }],
    };
  }

  #publish(e: BusEvent): void {
    const payload = this.payload(e);
    for (const listener of this.#listeners) listener(payload);
    for (const sub of this.#subs.values()) {
      const body = JSON.stringify({ ...payload, Context: sub.context });
      sub.chain = sub.chain.then(() => this.#deliver(sub, body));
    }
  }

  async #deliver(sub: Subscription, body: string): Promise<void> {
    if (this.#closing.signal.aborted) return;
    try {
      const res = await fetch(sub.destination, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.any([
          this.#closing.signal,
          AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        ]),
      });
      await res.body?.cancel();
      if (!res.ok) {
        this.#ctx.log.warn("Redfish event delivery refused", {
          subscription: sub.id,
          status: res.status,
        });
      }
    } catch (error) {
      if (this.#closing.signal.aborted) return;
      this.#ctx.log.warn("Redfish event delivery failed", {
        subscription: sub.id,
        destination: sub.destination,
        error: errorMessage(error),
      });
    }
  }

  #subscriptionJson(sub: Subscription): Json {
    return resource("EventDestination", `${SUBSCRIPTIONS}/${sub.id}`, {
      Id: sub.id,
      Name: "Event Subscription",
      Destination: sub.destination,
      Context: sub.context,
      Protocol: "Redfish",
      SubscriptionType: "RedfishEvent",
      EventFormatType: "Event",
      Status: STATUS_OK,
    });
  }

  /**
   * Register the routes.
   *
   * @param router Router.
   */
  routes(router: RedfishRouter): void {
    router.resource(SERVICE, {
      get: {
        privilege: "Login",
        handle: () =>
          resource("EventService", SERVICE, {
            Id: "EventService",
            Name: "Event Service",
            ServiceEnabled: true,
            DeliveryRetryAttempts: 0,
            DeliveryRetryIntervalSeconds: 0,
            EventFormatTypes: ["Event"],
            RegistryPrefixes: [EVENT_REGISTRY],
            ServerSentEventUri: SSE,
            Subscriptions: ref(SUBSCRIPTIONS),
            Status: STATUS_OK,
          }),
      },
    });
    router.resource(SUBSCRIPTIONS, {
      get: {
        privilege: "Login",
        handle: () =>
          collection(
            "EventDestinationCollection",
            SUBSCRIPTIONS,
            "Event Subscriptions",
            [...this.#subs.keys()].map((id) => `${SUBSCRIPTIONS}/${id}`),
          ),
      },
      post: {
        privilege: "ConfigureManager",
        handle: async (req) => {
          const sub = this.#create(await req.body());
          req.c.header("Location", `${SUBSCRIPTIONS}/${sub.id}`);
          return req.c.json(this.#subscriptionJson(sub), 201);
        },
      },
    });
    router.resource(`${SUBSCRIPTIONS}/:sub`, {
      get: {
        privilege: "Login",
        handle: (req) => this.#subscriptionJson(this.#find(req.param("sub"), req.c.req.path)),
      },
      delete: {
        privilege: "ConfigureManager",
        handle: (req) => {
          this.#subs.delete(this.#find(req.param("sub"), req.c.req.path).id);
          return req.c.body(null, 204);
        },
      },
    });
    router.resource(SSE, {
      get: {
        privilege: "Login",
        handle: (req) =>
          streamRedfishEvents(req.c, {
            subscribe: (listener) => {
              this.#listeners.add(listener);
              return () => this.#listeners.delete(listener);
            },
            closing: this.#closing.signal,
            clock: this.#ctx.clock,
            log: this.#ctx.log,
          }),
      },
    });
  }

  #find(id: string, path: string): Subscription {
    const sub = this.#subs.get(id);
    if (sub === undefined) throw redfishError(404, "ResourceMissingAtURI", [path]);
    return sub;
  }

  #create(body: Json): Subscription {
    const known = ["Destination", "Context", "Protocol", "SubscriptionType", "EventFormatType"];
    for (const [key, value] of Object.entries(body)) {
      if (!known.includes(key)) throw redfishError(400, "PropertyUnknown", [key]);
      if (typeof value !== "string") {
        throw redfishError(400, "PropertyValueTypeError", [JSON.stringify(value), key]);
      }
    }
    const destination = body.Destination as string | undefined;
    if (destination === undefined) throw redfishError(400, "PropertyMissing", ["Destination"]);
    if (!isLoopbackUrl(destination)) {
      throw redfishError(400, "PropertyValueNotInList", [destination, "Destination"], {
        resolution: "Destinations must be http(s) URLs on loopback (127.0.0.0/8, ::1, localhost).",
      });
    }
    if (body.Protocol !== undefined && body.Protocol !== "Redfish") {
      throw redfishError(400, "PropertyValueNotInList", [String(body.Protocol), "Protocol"]);
    }
    if (this.#subs.size >= MAX_SUBSCRIPTIONS) {
      throw redfishError(503, "EventSubscriptionLimitExceeded");
    }
    const sub: Subscription = {
      id: String(this.#next++),
      destination,
      context: (body.Context as string | undefined) ?? "",
      chain: Promise.resolve(),
    };
    this.#subs.set(sub.id, sub);
    this.#ctx.log.info("Redfish event subscription", { id: sub.id, destination });
    return sub;
  }

  /** Stop listening, end SSE streams, wait for deliveries in flight. */
  async close(): Promise<void> {
    this.#unsubscribe();
    this.#closing.abort();
    await Promise.all([...this.#subs.values()].map((s) => s.chain));
  }
}
