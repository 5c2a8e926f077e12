/**
 * The SEL over HTTP: list (decoded), add, clear, get and delete records.
 *
 * @module
 */

import { decodeSelRecord, systemEventOf, systemEventRecord } from "../../core/sel_record.ts";
import { addSelRecord, clearSel, deleteSelRecord, selRecord } from "../../runtime/operations.ts";
import { type ApiDeps, type BmcApp, bmcIdParam } from "../deps.ts";
import { route } from "../route_kit.ts";
import {
  selClearedResponse,
  selDeletedResponse,
  selRecordResponse,
  selResponse,
} from "../response_schemas.ts";
import { recordIdParam, selAddBody } from "../schemas.ts";
import { valid } from "../valid.ts";

const recordParams = bmcIdParam.extend({ recordId: recordIdParam });

function isoSeconds(seconds: number): string | null {
  return seconds ? new Date(seconds * 1000).toISOString() : null;
}

/**
 * Register the routes.
 *
 * @param app The per-BMC app.
 * @param _deps API services.
 */
export function selRoutes(app: BmcApp, _deps: ApiDeps): void {
  app.openapi(
    route({
      method: "get",
      path: "/sel",
      operationId: "getSel",
      tag: "sel",
      summary: "SEL info and every record, decoded",
      params: bmcIdParam,
      ok: { status: 200, description: "SEL", schema: selResponse },
      errors: [404],
    }),
    (c) => {
      const sel = c.var.runtime.bmc.sel;
      const info = sel.info();
      return c.json({
        entries: info.entries,
        capacity: sel.capacity,
        overflow: info.overflow,
        lastAdd: isoSeconds(info.lastAdd),
        lastErase: isoSeconds(info.lastErase),
        records: sel.records().map((r) => decodeSelRecord(r.bytes)),
      });
    },
  );

  app.openapi(
    route({
      method: "post",
      path: "/sel",
      operationId: "addSelRecord",
      tag: "sel",
      summary: "Add a SEL record (raw bytes or an event); the SEL assigns id and timestamp",
      params: bmcIdParam,
      body: selAddBody,
      ok: { status: 201, description: "The stored record", schema: selRecordResponse },
      errors: [404, 507],
    }),
    (c) => {
      const body = valid(c, "json", selAddBody);
      const bytes = "raw" in body ? body.raw : systemEventRecord(systemEventOf(body));
      return c.json(decodeSelRecord(addSelRecord(c.var.runtime, bytes, "api").bytes), 201);
    },
  );

  app.openapi(
    route({
      method: "delete",
      path: "/sel",
      operationId: "clearSel",
      tag: "sel",
      summary: "Clear the SEL",
      params: bmcIdParam,
      ok: { status: 200, description: "Cleared", schema: selClearedResponse },
      errors: [404],
    }),
    (c) => {
      return c.json({ cleared: true, removed: clearSel(c.var.runtime) });
    },
  );

  app.openapi(
    route({
      method: "get",
      path: "/sel/{recordId}",
      operationId: "getSelRecord",
      tag: "sel",
      summary: "One SEL record, decoded",
      params: recordParams,
      ok: { status: 200, description: "Record", schema: selRecordResponse },
      errors: [404],
    }),
    (c) => {
      const { recordId } = valid(c, "param", recordParams);
      return c.json(decodeSelRecord(selRecord(c.var.runtime, recordId).bytes));
    },
  );

  app.openapi(
    route({
      method: "delete",
      path: "/sel/{recordId}",
      operationId: "deleteSelRecord",
      tag: "sel",
      summary: "Delete one SEL record",
      params: recordParams,
      ok: { status: 200, description: "Deleted", schema: selDeletedResponse },
      errors: [404],
    }),
    (c) => {
      const { recordId } = valid(c, "param", recordParams);
      deleteSelRecord(c.var.runtime, recordId);
      return c.json({ deleted: recordId });
    },
  );
}
