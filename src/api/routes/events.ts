/**
 * Events: injection (as a Platform Event Message), Server-Sent Event
 * streams, and the long-poll that waits for one event with a deadline.
 *
 * @module
 */

import type { Context } from "hono";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import { parseEventFilter } from "../event_filter.ts";
import type { RouteTable } from "../route_table.ts";
import { systemEventOf } from "../../core/sel_record.ts";
import { eventBody, streamQuery, waitQuery } from "../schemas.ts";
import { waitForEvent } from "../../events/wait_for_event.ts";
import { eventJson, streamEvents } from "../sse.ts";
import { parseBody, parseQuery } from "../validate.ts";

const STREAM_DOC =
  "Server-Sent Events: id (increasing), event (the type), data (JSON with id, time, bmc, type, data). Send Last-Event-ID to replay from the ring buffer; a stream.gap event reports events that were no longer retained.";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function eventRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("post", "/api/v1/bmcs/:id/events", {
    tag: "events",
    summary:
      "Inject a platform event (SEL, event message buffer and ATTN, as a Platform Event Message)",
    body: eventBody,
    responses: { 201: "Logged", 400: "Invalid body", 404: "Unknown BMC" },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const e = await parseBody(c, eventBody);
    const recordId = runtime.bmc.logEvent(systemEventOf(e), "api");
    return c.json({
      recordId,
      eventBuffer: runtime.bmc.messaging.snapshot().eventBufferFull,
      lastEventId: deps.bus.lastId,
    }, 201);
  });

  table.add("get", "/api/v1/bmcs/:id/events", {
    tag: "events",
    summary: "Live events of one BMC (SSE)",
    description: STREAM_DOC,
    query: streamQuery,
    sse: true,
    responses: { 200: "Event stream", 400: "Invalid filter", 404: "Unknown BMC" },
  }, (c: Context) => {
    const id = bmcOr404(deps, c.req.param("id")!).id;
    const q = parseQuery(c, streamQuery);
    return streamEvents(c, deps.bus, parseEventFilter(q.types, "query.types", id), deps.closing);
  });

  table.add("get", "/api/v1/events", {
    tag: "events",
    summary: "Live events of every BMC (SSE)",
    description: STREAM_DOC,
    query: streamQuery,
    sse: true,
    responses: { 200: "Event stream", 400: "Invalid filter" },
  }, (c: Context) => {
    const q = parseQuery(c, streamQuery);
    return streamEvents(c, deps.bus, parseEventFilter(q.types, "query.types"), deps.closing);
  });

  table.add("get", "/api/v1/bmcs/:id/events/wait", {
    tag: "events",
    summary: "Wait for the first matching event (long-poll) or answer 408",
    description:
      "Returns the first event of the given type(s) after `after` (retained events count) or, without it, from now on; 408 when the timeout passes.",
    query: waitQuery,
    responses: { 200: "The event", 400: "Invalid query", 404: "Unknown BMC", 408: "Timed out" },
  }, async (c: Context) => {
    const id = bmcOr404(deps, c.req.param("id")!).id;
    const q = parseQuery(c, waitQuery);
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
  });
}
