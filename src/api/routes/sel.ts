/**
 * The SEL over HTTP: list (decoded), add, clear, get and delete records.
 *
 * @module
 */

import type { Context } from "hono";
import { decodeSelRecord, systemEventOf, systemEventRecord } from "../../core/sel_record.ts";
import { ApiError } from "../api_error.ts";
import { type ApiDeps, bmcOr404 } from "../deps.ts";
import type { RouteTable } from "../route_table.ts";
import { recordIdParam, selAddBody } from "../schemas.ts";
import { parseBody, parsePathParam } from "../validate.ts";

/**
 * Register the routes.
 *
 * @param table Route table.
 * @param deps API services.
 */
export function selRoutes(table: RouteTable, deps: ApiDeps): void {
  table.add("get", "/api/v1/bmcs/:id/sel", {
    tag: "sel",
    summary: "SEL info and every record, decoded",
    responses: { 200: "SEL", 404: "Unknown BMC" },
  }, (c: Context) => {
    const sel = bmcOr404(deps, c.req.param("id")!).bmc.sel;
    const info = sel.info();
    return c.json({
      entries: info.entries,
      capacity: sel.capacity,
      overflow: info.overflow,
      lastAdd: info.lastAdd ? new Date(info.lastAdd * 1000).toISOString() : null,
      lastErase: info.lastErase ? new Date(info.lastErase * 1000).toISOString() : null,
      records: sel.records().map((r) => decodeSelRecord(r.bytes)),
    });
  });

  table.add("post", "/api/v1/bmcs/:id/sel", {
    tag: "sel",
    summary: "Add a SEL record (raw bytes or an event); the SEL assigns id and timestamp",
    body: selAddBody,
    responses: {
      201: "The stored record",
      400: "Invalid body",
      404: "Unknown BMC",
      507: "SEL full",
    },
  }, async (c: Context) => {
    const runtime = bmcOr404(deps, c.req.param("id")!);
    const body = await parseBody(c, selAddBody);
    const bytes = "raw" in body ? body.raw : systemEventRecord(systemEventOf(body));
    const result = runtime.bmc.sel.add(bytes, "api");
    if (!result.ok) {
      throw new ApiError(507, `The SEL is full (${runtime.bmc.sel.capacity} records)`);
    }
    return c.json(decodeSelRecord(result.value.bytes), 201);
  });

  table.add("delete", "/api/v1/bmcs/:id/sel", {
    tag: "sel",
    summary: "Clear the SEL",
    responses: { 200: "Cleared", 404: "Unknown BMC" },
  }, (c: Context) => {
    const sel = bmcOr404(deps, c.req.param("id")!).bmc.sel;
    const removed = sel.size;
    sel.clear(null);
    return c.json({ cleared: true, removed });
  });

  table.add("get", "/api/v1/bmcs/:id/sel/:recordId", {
    tag: "sel",
    summary: "One SEL record, decoded",
    responses: { 200: "Record", 400: "Invalid record id", 404: "Unknown BMC or record" },
  }, (c: Context) => {
    const sel = bmcOr404(deps, c.req.param("id")!).bmc.sel;
    const id = parsePathParam("recordId", c.req.param("recordId")!, recordIdParam);
    const record = sel.records().find((r) => r.id === id);
    if (record === undefined) throw new ApiError(404, `No SEL record ${id}`);
    return c.json(decodeSelRecord(record.bytes));
  });

  table.add("delete", "/api/v1/bmcs/:id/sel/:recordId", {
    tag: "sel",
    summary: "Delete one SEL record",
    responses: { 200: "Deleted", 400: "Invalid record id", 404: "Unknown BMC or record" },
  }, (c: Context) => {
    const sel = bmcOr404(deps, c.req.param("id")!).bmc.sel;
    const id = parsePathParam("recordId", c.req.param("recordId")!, recordIdParam);
    if (!sel.records().some((r) => r.id === id)) throw new ApiError(404, `No SEL record ${id}`);
    sel.delete(null, id);
    return c.json({ deleted: id });
  });
}
