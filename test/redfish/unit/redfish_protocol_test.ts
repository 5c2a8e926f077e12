/**
 * The Redfish service's protocol behaviour over `app.request()`: every
 * resource reachable from the ServiceRoot validates against DMTF's JSON
 * Schema of its type, errors carry Base registry messages, and the rules
 * clients depend on (401, 405 with Allow, 404, 412, ETag, OData-Version).
 */

import assert from "node:assert/strict";
import { message } from "../../../src/redfish/messages.ts";
import { BASE_MESSAGES } from "../../../src/redfish/messages.ts";
import { baseRegistry, ignoreWithoutData, schemaProblems, validateAgainst } from "../_schemas.ts";
import { logPanicEvent, testService } from "../_service.ts";

const ERROR_SCHEMA = "http://redfish.dmtf.org/schemas/v1/redfish-error.v1_0_2.json";
const ignore = ignoreWithoutData;

/** Every `@odata.id` in a body (fragments left out). */
function links(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) { for (const v of value) links(v, out); }
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "@odata.id" && typeof v === "string" && !v.includes("#")) out.add(v);
      else links(v, out);
    }
  }
  return out;
}

async function assertRedfishError(res: Response, status: number, messageId: string) {
  assert.equal(res.status, status);
  const body = await res.json();
  assert.deepEqual(validateAgainst(ERROR_SCHEMA, body), []);
  assert.equal(body.error.code, `Base.1.9.3.${messageId}`);
  for (const m of body.error["@Message.ExtendedInfo"]) {
    assert.deepEqual(schemaProblems(m), [], JSON.stringify(m));
  }
  return body;
}

Deno.test({
  name: "Redfish resources reachable from the ServiceRoot validate against their DMTF schemas",
  ignore,
  async fn() {
    for (const profile of ["generic", "dell-idrac9"]) {
      await using t = await testService({ profile });
      logPanicEvent(t.bmc);
      const seen = new Set<string>();
      const queue = ["/redfish/v1/"];
      while (queue.length > 0) {
        const path = queue.shift()!;
        if (seen.has(path)) continue;
        seen.add(path);
        const res = await t.request(path);
        assert.equal(res.status, 200, `${profile} ${path}`);
        assert.equal(res.headers.get("OData-Version"), "4.0");
        assert.match(res.headers.get("ETag") ?? "", /^"[0-9a-f]{16}"$/);
        const body = await res.json();
        assert.equal(body["@odata.id"].replace(/\/$/, ""), path.replace(/\/$/, ""));
        assert.match(body["@odata.context"], /^\/redfish\/v1\/\$metadata#\w+\.\w+$/);
        assert.deepEqual(schemaProblems(body), [], `${profile} ${path}`);
        for (const l of links(body, new Set())) queue.push(l);
      }
      assert.ok(seen.size >= 25, `crawled ${seen.size}`);
      const ids = profile === "dell-idrac9"
        ? ["/redfish/v1/Systems/System.Embedded.1", "/redfish/v1/Managers/iDRAC.Embedded.1"]
        : ["/redfish/v1/Systems/1", "/redfish/v1/Managers/1"];
      for (const id of ids) assert.ok(seen.has(id), id);
    }
  },
});

Deno.test({
  name: "Redfish public documents: /redfish, $metadata and odata need no authentication",
  ignore,
  async fn() {
    await using t = await testService();
    const root = await t.request("/redfish/v1", { user: null });
    assert.equal(root.status, 200);
    const body = await root.json();
    assert.equal(body.RedfishVersion, "1.20.0");
    assert.match(body.UUID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(await (await t.request("/redfish", { user: null })).json(), {
      v1: "/redfish/v1/",
    });
    const md = await t.request("/redfish/v1/$metadata", { user: null });
    assert.equal(md.status, 200);
    const xml = await md.text();
    assert.match(xml, /ComputerSystem\.v1_27_0/);
    assert.match(xml, /EntityContainer Name="Service" Extends="ServiceRoot\.v1_20_0/);
    const odata = await (await t.request("/redfish/v1/odata", { user: null })).json();
    assert.ok(odata.value.some((v: { name: string }) => v.name === "Systems"));
  },
});

Deno.test({
  name: "Redfish messages match the Base 1.9.3 registry word for word",
  ignore,
  fn() {
    const registry = baseRegistry().Messages;
    for (const [id, [text, severity]] of Object.entries(BASE_MESSAGES)) {
      assert.equal(registry[id]?.Message, text, id);
      assert.equal(registry[id]?.MessageSeverity, severity, id);
    }
    assert.deepEqual(schemaProblems({ ...message("ResourceMissingAtURI", ["/x"]) }), []);
  },
});

Deno.test({
  name: "Redfish refuses unauthenticated, wrong, unknown and malformed requests precisely",
  ignore,
  async fn() {
    await using t = await testService();
    const unauth = await t.request("/redfish/v1/Systems/1", { user: null });
    await assertRedfishError(unauth, 401, "NoValidSession");
    assert.match(unauth.headers.get("WWW-Authenticate") ?? "", /^Basic /);
    await assertRedfishError(
      await t.request("/redfish/v1/Systems", {
        user: null,
        headers: { Authorization: `Basic ${btoa("admin:wrong")}` },
      }),
      401,
      "NoValidSession",
    );
    await assertRedfishError(
      await t.request("/redfish/v1/Systems", { user: "callback" }),
      401,
      "NoValidSession",
    );
    await assertRedfishError(
      await t.request("/redfish/v1/Systems", { user: null, headers: { "X-Auth-Token": "nope" } }),
      401,
      "NoValidSession",
    );
    const wrong = await t.request("/redfish/v1/Systems/1", { method: "DELETE" });
    await assertRedfishError(wrong, 405, "GeneralError");
    assert.equal(wrong.headers.get("Allow"), "GET, HEAD, PATCH");
    const put = await t.request("/redfish/v1/", { method: "PUT", user: null });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("Allow"), "GET, HEAD");
    const missing = await t.request("/redfish/v1/Systems/2");
    await assertRedfishError(missing, 404, "ResourceMissingAtURI");
    await assertRedfishError(
      await t.request("/redfish/v1/Managers/1/LogServices/SEL/Entries/999"),
      404,
      "ResourceMissingAtURI",
    );
    const reset = "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset";
    for (
      const [body, id] of [
        ["{not json", "MalformedJSON"],
        ["[1]", "MalformedJSON"],
        ["{}", "ActionParameterMissing"],
        ['{"ResetType": 3}', "ActionParameterValueTypeError"],
        ['{"ResetType": "On", "X": "y"}', "ActionParameterUnknown"],
      ] as const
    ) {
      await assertRedfishError(await t.request(reset, { method: "POST", body }), 400, id);
    }
    const huge = await t.request(reset, {
      method: "POST",
      body: JSON.stringify({ ResetType: "x".repeat(200_000) }),
    });
    await assertRedfishError(huge, 413, "GeneralError");
    await assertRedfishError(
      await t.request("/redfish/v1/Systems?$expand=.", {}),
      501,
      "QueryNotSupported",
    );
    const reader = await t.request(reset, {
      method: "POST",
      user: "viewer",
      body: '{"ResetType": "ForceRestart"}',
    });
    await assertRedfishError(reader, 403, "InsufficientPrivilege");
    assert.deepEqual(t.link.sent.filter((s) => s === "reset"), []);
  },
});

Deno.test({
  name: "Redfish $select returns the named properties (nested by path) and the annotations",
  ignore,
  async fn() {
    await using t = await testService();
    const full = await t.request("/redfish/v1/Systems/1");
    const res = await t.request("/redfish/v1/Systems/1?$select=PowerState,Status/Health,Nope");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("ETag"), full.headers.get("ETag"), "the ETag is the resource's");
    await full.body?.cancel();
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      "@odata.context",
      "@odata.id",
      "@odata.type",
      "PowerState",
      "Status",
    ]);
    assert.deepEqual(body.Status, { Health: "OK" });
    const root = await (await t.request("/redfish/v1/", { user: null })).json();
    assert.equal(root.ProtocolFeaturesSupported.SelectQuery, true);
    assert.equal(root.ProtocolFeaturesSupported.ExpandQuery.ExpandAll, false);
    const post = await t.request("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset?$select=x", {
      method: "POST",
      body: "{}",
    });
    await assertRedfishError(post, 400, "QueryNotSupportedOnOperation");
  },
});

Deno.test({
  name: "Redfish PATCH needs a matching If-Match (412 otherwise) and changes the Boot override",
  ignore,
  async fn() {
    await using t = await testService();
    const path = "/redfish/v1/Systems/1";
    const patch = { Boot: { BootSourceOverrideTarget: "Pxe", BootSourceOverrideEnabled: "Once" } };
    const body = JSON.stringify(patch);
    const body412 = await assertRedfishError(
      await t.request(path, { method: "PATCH", body }),
      412,
      "PreconditionRequired",
    );
    assert.match(body412.error.message, /If-Match/);
    await assertRedfishError(
      await t.request(path, { method: "PATCH", body, headers: { "If-Match": '"0000"' } }),
      412,
      "PreconditionFailed",
    );
    const etag = (await t.request(path)).headers.get("ETag")!;
    const ok = await t.request(path, { method: "PATCH", body, headers: { "If-Match": etag } });
    assert.equal(ok.status, 200);
    const after = await ok.json();
    assert.equal(after.Boot.BootSourceOverrideTarget, "Pxe");
    assert.notEqual(ok.headers.get("ETag"), etag);
    await assertRedfishError(
      await t.request(path, { method: "PATCH", body, headers: { "If-Match": etag } }),
      412,
      "PreconditionFailed",
    );
    const now = (await t.request(path)).headers.get("ETag")!;
    for (
      const [bad, id] of [
        [{ PowerState: "Off" }, "PropertyNotWritable"],
        [{ Nope: 1 }, "PropertyUnknown"],
        [{ Boot: { BootSourceOverrideTarget: "Floppy" } }, "PropertyValueNotInList"],
        [{ Boot: "Pxe" }, "PropertyValueTypeError"],
      ] as const
    ) {
      await assertRedfishError(
        await t.request(path, {
          method: "PATCH",
          body: JSON.stringify(bad),
          headers: { "If-Match": now },
        }),
        400,
        id,
      );
    }
  },
});
