/**
 * Events: injection (as a Platform Event Message), Server-Sent Event
 * streams, and the long-poll that waits for one event with a deadline.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { parseEventFilter } from "../event_filter.ts";
import { route } from "../route_kit.ts";
import { eventInjectedResponse, eventResponse } from "../response_schemas.ts";
import { systemEventOf } from "../../core/sel_record.ts";
import { eventBody, streamQuery, waitQuery } from "../schemas.ts";
import { waitForEvent } from "../../events/wait_for_event.ts";
import { eventJson, streamEvents } from "../sse.ts";
import { valid } from "../valid.ts";
import { injectEvent } from "../../runtime/operations.ts";

const STREAM_DOC =
  "Server-Sent Events: id (increasing), event (the type), data (JSON with id, time, bmc, type, data). Send Last-Event-ID to replay from the ring buffer; a stream.gap event reports events that were no longer retained.";

/**
 * Register the process-wide routes.
 *
 * @param app The root app.
 * @param deps API services.
 */
export function allEventRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/api/v1/events",
      operationId: "streamAllEvents",
      tag: "events",
      summary: "Live events of every BMC (SSE)",
      description: STREAM_DOC,
      query: streamQuery,
      ok: { status: 200, description: "Event stream", schema: "sse" },
    }),
    (c) => {
      const q = valid(c, "query", streamQuery);
      return streamEvents(c, deps.bus, parseEventFilter(q.types, "query.types"), deps.closing);
    },
  );
}

/**
 * Register the per-BMC routes.
 *
 * @param app The per-BMC app.
 * @param deps API services.
 */
export function eventRoutes(app: BmcApp, deps: ApiDeps): void {
  app.openapi(
    route({
      method: "post",
      path: "/events",
      operationId: "injectEvent",
      tag: "events",
      summary:
        "Inject a platform event (SEL, event message buffer and ATTN, as a Platform Event Message)",
      params: bmcIdParam,
      body: eventBody,
      ok: { status: 201, description: "Logged", schema: eventInjectedResponse },
      errors: [404],
    }),
    (c) => {
      const e = valid(c, "json", eventBody);
      const result = injectEvent(c.var.runtime, systemEventOf(e), "api");
      return c.json({ ...result, lastEventId: deps.bus.lastId }, 201);
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/events",
      operationId: "streamBmcEvents",
      tag: "events",
      summary: "Live events of one BMC (SSE)",
      description: STREAM_DOC,
      params: bmcIdParam,
      query: streamQuery,
      ok: { status: 200, description: "Event stream", schema: "sse" },
      errors: [404],
    }),
    (c) => {
      const q = valid(c, "query", streamQuery);
      const filter = parseEventFilter(q.types, "query.types", c.var.runtime.id);
      return streamEvents(c, deps.bus, filter, deps.closing);
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/events/wait",
      operationId: "waitForEvent",
      tag: "events",
      summary: "Wait for the first matching event (long-poll) or answer 408",
      description:
        "Returns the first event of the given type(s) after `after` (retained events count) or, without it, from now on; 408 when the timeout passes.",
      params: bmcIdParam,
      query: waitQuery,
      ok: { status: 200, description: "The event", schema: eventResponse },
      errors: [404, 408],
    }),
    async (c) => {
      const id = c.var.runtime.id;
      const q = valid(c, "query", waitQuery);
      const filter = parseEventFilter(q.type, "query.type", id);
      const event = await waitForEvent(deps.bus, deps.clock, filter, {
        timeoutMs: q.timeout,
        ...(q.after === undefined ? {} : { after: q.after }),
        signal: c.req.raw.signal,
      });
      if (event === null) {
        throw new ApiError(408, `Timed out after ${q.timeout} ms waiting for ${q.type} on ${id}`);
      }
      return c.json(eventJson(event));
    },
  );
}
