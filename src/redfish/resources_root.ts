/**
 * The public resources: `/redfish` (version document), the ServiceRoot,
 * the OData service document and `$metadata` (CSDL that references the DMTF
 * schemas of every type served).
 *
 * @module
 */

import { COLLECTION_TYPES, type Json, ref, resource, ROOT, TYPE_VERSIONS } from "./odata.ts";
import type { RedfishRouter } from "./router.ts";
import type { ServiceContext } from "./service_context.ts";

/** Redfish protocol version implemented (DSP0266). */
export const REDFISH_VERSION = "1.20.0";

/** Singletons the OData service document lists, by name. */
const TOP_LEVEL = {
  Systems: `${ROOT}/Systems`,
  Chassis: `${ROOT}/Chassis`,
  Managers: `${ROOT}/Managers`,
  SessionService: `${ROOT}/SessionService`,
  AccountService: `${ROOT}/AccountService`,
  EventService: `${ROOT}/EventService`,
} as const;

/**
 * The CSDL `$metadata` document.
 *
 * @returns XML.
 */
export function metadataXml(): string {
  const refs = [
    ...Object.entries(TYPE_VERSIONS).map(([type, v]) =>
      `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${type}_v1.xml">
    <edmx:Include Namespace="${type}"/>
    <edmx:Include Namespace="${type}.${v}"/>
  </edmx:Reference>`
    ),
    ...COLLECTION_TYPES.map((type) =>
      `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${type}_v1.xml">
    <edmx:Include Namespace="${type}"/>
  </edmx:Reference>`
    ),
    `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/Message_v1.xml">
    <edmx:Include Namespace="Message"/>
    <edmx:Include Namespace="Message.v1_3_0"/>
  </edmx:Reference>`,
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
${refs.join("\n")}
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">
      <EntityContainer Name="Service" Extends="ServiceRoot.${TYPE_VERSIONS.ServiceRoot}.ServiceContainer"/>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
`;
}

function serviceRootJson(ctx: ServiceContext): Json {
  const uuid = ctx.ops.systemUuid();
  return resource("ServiceRoot", `${ROOT}/`, {
    Id: "RootService",
    Name: "Root Service",
    RedfishVersion: REDFISH_VERSION,
    ...(uuid === null ? {} : { UUID: uuid }),
    Product: "bmc-emu",
    Vendor: "bmc-emu",
    ProtocolFeaturesSupported: {
      ExpandQuery: { ExpandAll: false, Levels: false, Links: false, NoLinks: false },
      SelectQuery: true,
      FilterQuery: false,
      OnlyMemberQuery: false,
      ExcerptQuery: false,
    },
    ...Object.fromEntries(Object.entries(TOP_LEVEL).map(([k, v]) => [k, ref(v)])),
    Links: { Sessions: ref(`${ROOT}/SessionService/Sessions`) },
  });
}

/**
 * Register the routes.
 *
 * @param router Router.
 * @param ctx Service state.
 */
export function rootRoutes(router: RedfishRouter, ctx: ServiceContext): void {
  router.resource("/redfish", { get: { privilege: null, handle: () => ({ v1: `${ROOT}/` }) } });
  router.resource(ROOT, { get: { privilege: null, handle: () => serviceRootJson(ctx) } });
  router.resource(`${ROOT}/odata`, {
    get: {
      privilege: null,
      handle: () => ({
        "@odata.context": `${ROOT}/$metadata`,
        value: [
          { name: "Service", kind: "Singleton", url: `${ROOT}/` },
          ...Object.entries(TOP_LEVEL).map(([name, url]) => ({ name, kind: "Singleton", url })),
        ],
      }),
    },
  });
  router.resource(`${ROOT}/$metadata`, {
    get: {
      privilege: null,
      handle: (req) =>
        req.c.body(metadataXml(), 200, { "Content-Type": "application/xml; charset=utf-8" }),
    },
  });
}
