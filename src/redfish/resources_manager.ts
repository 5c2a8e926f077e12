/**
 * `/redfish/v1/Managers`: the BMC itself. `Manager.Reset` runs the core's
 * BMC reset with the profile's reset quirks (the guest's driver sees the BMC
 * go away), the SEL is a LogService whose entries are the SEL's records and
 * whose `ClearLog` clears it, and `NetworkProtocol` says what is served.
 *
 * @module
 */

import { redfishError } from "./messages.ts";
import { collection, type Json, ref, resource, ROOT, STATUS_OK } from "./odata.ts";
import type { RedfishRouter } from "./router.ts";
import { pathsOf, type ServiceContext } from "./service_context.ts";
import { selLogEntry } from "./sel_entry.ts";
import { actionParams, resetTypeOf } from "./resources_system.ts";

/** Manager reset types: both reboot the BMC the same way. */
const MANAGER_RESET_TYPES = ["GracefulRestart", "ForceRestart"];

function isoNow(ctx: ServiceContext): string {
  return new Date(ctx.clock.wallMs()).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

function managerJson(ctx: ServiceContext): Json {
  const p = pathsOf(ctx.ids);
  const uuid = ctx.ops.systemUuid();
  return resource("Manager", p.manager, {
    Id: ctx.ids.manager,
    Name: "Manager",
    ManagerType: "BMC",
    Description: `bmc-emu BMC ${ctx.ops.bmc.id} (profile ${ctx.ops.profile})`,
    FirmwareVersion: ctx.ops.firmwareVersion(),
    ...(uuid === null ? {} : { ServiceEntryPointUUID: uuid }),
    ...(ctx.ops.fruIdentity().manufacturer === undefined
      ? {}
      : { Manufacturer: ctx.ops.fruIdentity().manufacturer }),
    DateTime: isoNow(ctx),
    PowerState: ctx.ops.outage() === null ? "On" : "PoweringOn",
    Status: STATUS_OK,
    NetworkProtocol: ref(`${p.manager}/NetworkProtocol`),
    LogServices: ref(`${p.manager}/LogServices`),
    Links: { ManagerForServers: [ref(p.system)], ManagerForChassis: [ref(p.chassis)] },
    Actions: {
      "#Manager.Reset": {
        target: `${p.manager}/Actions/Manager.Reset`,
        "ResetType@Redfish.AllowableValues": MANAGER_RESET_TYPES,
      },
    },
  });
}

function networkJson(ctx: ServiceContext): Json {
  const p = pathsOf(ctx.ids);
  const n = ctx.network;
  const lanPort = ctx.ops.ipmiLanPort();
  return resource("ManagerNetworkProtocol", `${p.manager}/NetworkProtocol`, {
    Id: "NetworkProtocol",
    Name: "Manager Network Protocol",
    HostName: n.hostname,
    Status: STATUS_OK,
    HTTP: { ProtocolEnabled: true, Port: n.redfishPort },
    HTTPS: { ProtocolEnabled: n.https, ...(n.https ? { Port: n.redfishPort } : {}) },
    IPMI: {
      ProtocolEnabled: lanPort !== null,
      ...(lanPort === null ? {} : { Port: lanPort }),
    },
    SSH: { ProtocolEnabled: false },
    Telnet: { ProtocolEnabled: false },
    SSDP: { ProtocolEnabled: false },
  });
}

function selServiceJson(ctx: ServiceContext): Json {
  const p = pathsOf(ctx.ids);
  return resource("LogService", p.sel, {
    Id: "SEL",
    Name: "System Event Log",
    Description: "The BMC's IPMI System Event Log",
    LogEntryType: "SEL",
    MaxNumberOfRecords: ctx.ops.selCapacity,
    OverWritePolicy: ctx.ops.bmc.config.sel.whenFull === "overwrite"
      ? "WrapsWhenFull"
      : "NeverOverWrites",
    DateTime: isoNow(ctx),
    ServiceEnabled: true,
    Status: STATUS_OK,
    Entries: ref(`${p.sel}/Entries`),
    Actions: { "#LogService.ClearLog": { target: `${p.sel}/Actions/LogService.ClearLog` } },
  });
}

/**
 * Register the routes.
 *
 * @param router Router.
 * @param ctx Service state.
 */
export function managerRoutes(router: RedfishRouter, ctx: ServiceContext): void {
  const p = pathsOf(ctx.ids);
  router.resource(`${ROOT}/Managers`, {
    get: {
      privilege: "Login",
      handle: () => collection("ManagerCollection", `${ROOT}/Managers`, "Managers", [p.manager]),
    },
  });
  router.resource(p.manager, { get: { privilege: "Login", handle: () => managerJson(ctx) } });
  router.resource(`${p.manager}/Actions/Manager.Reset`, {
    post: {
      privilege: "ConfigureManager",
      handle: async (req) => {
        const type = resetTypeOf("Manager.Reset", await req.body(), MANAGER_RESET_TYPES);
        ctx.log.info("Redfish Manager.Reset", { type, user: req.caller?.user.name });
        ctx.ops.resetBmc("redfish");
        return req.c.body(null, 204);
      },
    },
  });
  router.resource(`${p.manager}/NetworkProtocol`, {
    get: { privilege: "Login", handle: () => networkJson(ctx) },
  });
  router.resource(`${p.manager}/LogServices`, {
    get: {
      privilege: "Login",
      handle: () =>
        collection("LogServiceCollection", `${p.manager}/LogServices`, "Log Services", [p.sel]),
    },
  });
  router.resource(p.sel, { get: { privilege: "Login", handle: () => selServiceJson(ctx) } });
  const entries = `${p.sel}/Entries`;
  router.resource(entries, {
    get: {
      privilege: "Login",
      handle: () =>
        collection(
          "LogEntryCollection",
          entries,
          "System Event Log Entries",
          ctx.ops.selEntries().map((r) => selLogEntry(r, entries)),
        ),
    },
  });
  router.resource(`${entries}/:entry`, {
    get: {
      privilege: "Login",
      handle: (req) => {
        const id = req.param("entry");
        const record = ctx.ops.selEntries().find((r) => String(r.id) === id);
        if (record === undefined) {
          throw redfishError(404, "ResourceMissingAtURI", [req.c.req.path]);
        }
        return selLogEntry(record, entries);
      },
    },
  });
  router.resource(`${p.sel}/Actions/LogService.ClearLog`, {
    post: {
      privilege: "ConfigureComponents",
      handle: async (req) => {
        actionParams("LogService.ClearLog", await bodyOrEmpty(req.c), []);
        const removed = ctx.ops.selEntries().length;
        ctx.ops.clearSel();
        ctx.log.info("Redfish ClearLog", { removed, user: req.caller?.user.name });
        return req.c.body(null, 204);
      },
    },
  });
}

/** An action body that may be empty (ClearLog takes no parameters). */
async function bodyOrEmpty(c: { req: { text(): Promise<string> } }): Promise<Json> {
  const text = (await c.req.text()).trim();
  if (text === "") return {};
  try {
    const value = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Json;
  } catch {
    // fall through
  }
  throw redfishError(400, "MalformedJSON");
}
