/**
 * OData annotations of Redfish resources: the schema version of every type
 * this service serves (the newest DMTF release of each), `@odata.id`,
 * `@odata.type` and `@odata.context`, and collections.
 *
 * @module
 */

/** Versioned namespace of each resource type served (DMTF 2025.4). */
export const TYPE_VERSIONS = {
  ServiceRoot: "v1_20_0",
  ComputerSystem: "v1_27_0",
  Manager: "v1_24_0",
  Chassis: "v1_28_0",
  LogService: "v1_9_0",
  LogEntry: "v1_21_0",
  ManagerNetworkProtocol: "v1_12_0",
  Sensor: "v1_12_0",
  Thermal: "v1_7_3",
  Power: "v1_7_3",
  ThermalSubsystem: "v1_5_0",
  PowerSubsystem: "v1_1_3",
  SessionService: "v1_2_0",
  Session: "v1_8_0",
  AccountService: "v1_18_1",
  ManagerAccount: "v1_14_1",
  Role: "v1_3_3",
  EventService: "v1_12_0",
  EventDestination: "v1_16_0",
  Event: "v1_13_0",
} as const;

/** A versioned resource type. */
export type ResourceType = keyof typeof TYPE_VERSIONS;

/** Collection types served (unversioned namespaces). */
export const COLLECTION_TYPES = [
  "ComputerSystemCollection",
  "ManagerCollection",
  "ChassisCollection",
  "LogServiceCollection",
  "LogEntryCollection",
  "SensorCollection",
  "SessionCollection",
  "ManagerAccountCollection",
  "RoleCollection",
  "EventDestinationCollection",
] as const;

/** A collection type. */
export type CollectionType = typeof COLLECTION_TYPES[number];

/** A JSON body. */
export type Json = Record<string, unknown>;

/** The Redfish service root path. */
export const ROOT = "/redfish/v1";

/**
 * `@odata.type` of a resource type (`#ComputerSystem.v1_27_0.ComputerSystem`).
 *
 * @param type Resource type.
 * @returns The annotation.
 */
export function odataType(type: ResourceType): string {
  return `#${type}.${TYPE_VERSIONS[type]}.${type}`;
}

/**
 * A resource with its annotations first.
 *
 * @param type Resource type.
 * @param path `@odata.id`.
 * @param body Properties.
 * @returns The resource.
 */
export function resource(type: ResourceType, path: string, body: Json): Json {
  return {
    "@odata.id": path,
    "@odata.type": odataType(type),
    "@odata.context": `${ROOT}/$metadata#${type}.${type}`,
    ...body,
  };
}

/**
 * A reference (`{"@odata.id": path}`).
 *
 * @param path Target.
 * @returns The link.
 */
export function ref(path: string): { "@odata.id": string } {
  return { "@odata.id": path };
}

/**
 * A collection of `members`.
 *
 * @param type Collection type.
 * @param path `@odata.id`.
 * @param name Name.
 * @param members Member paths, or full members (with `@odata.id`) when expanded.
 * @returns The collection.
 */
export function collection(
  type: CollectionType,
  path: string,
  name: string,
  members: readonly (string | Json)[],
): Json {
  return {
    "@odata.id": path,
    "@odata.type": `#${type}.${type}`,
    "@odata.context": `${ROOT}/$metadata#${type}.${type}`,
    Name: name,
    Members: members.map((m) => typeof m === "string" ? ref(m) : m),
    "Members@odata.count": members.length,
  };
}

/**
 * The entries of `fields` whose value is defined (optional properties).
 *
 * @param fields Property → value or `undefined`.
 * @returns The defined ones.
 */
export function defined(fields: Readonly<Record<string, unknown>>): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** Status of something that is present and healthy. */
export const STATUS_OK = { State: "Enabled", Health: "OK" } as const;
