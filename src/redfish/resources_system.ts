/**
 * `/redfish/v1/Systems`: the one ComputerSystem with its power state from
 * the chassis model, `ComputerSystem.Reset` through the power backend, the
 * `Boot` override and the FRU identity.
 *
 * @module
 */

import type { ResetType } from "./bmc_ops.ts";
import { notWritable, redfishError } from "./messages.ts";
import { collection, defined, type Json, ref, resource, ROOT, STATUS_OK } from "./odata.ts";
import type { RedfishRouter } from "./router.ts";
import { type BootOverride, pathsOf, type ServiceContext } from "./service_context.ts";
import {
  applyOverride,
  BOOT_ENABLED,
  BOOT_MODES,
  BOOT_TARGETS,
  overrideOf,
} from "./boot_override.ts";

/**
 * Check an action's parameters: only `known`, `required` present and strings.
 *
 * @param action Action name (`ComputerSystem.Reset`).
 * @param body Request body.
 * @param known Parameter names.
 * @returns The string values.
 * @throws {RedfishError} 400 with the Base message that says what is wrong.
 */
export function actionParams(
  action: string,
  body: Json,
  known: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!known.includes(key)) throw redfishError(400, "ActionParameterUnknown", [action, key]);
    if (typeof value !== "string") {
      throw redfishError(400, "ActionParameterValueTypeError", [
        JSON.stringify(value),
        key,
        action,
      ]);
    }
    out[key] = value;
  }
  return out;
}

/**
 * The `ResetType` of a reset action, checked against the allowable values.
 *
 * @param action Action name.
 * @param body Request body.
 * @param allowed Allowable values.
 * @returns The reset type.
 */
export function resetTypeOf(action: string, body: Json, allowed: readonly string[]): string {
  const { ResetType } = actionParams(action, body, ["ResetType"]);
  if (ResetType === undefined) {
    throw redfishError(400, "ActionParameterMissing", [action, "ResetType"]);
  }
  if (!allowed.includes(ResetType)) {
    throw redfishError(400, "PropertyValueNotInList", [ResetType, "ResetType"], {
      resolution: `Use one of ${allowed.join(", ")}.`,
    });
  }
  return ResetType;
}

function systemJson(ctx: ServiceContext): Json {
  const p = pathsOf(ctx.ids);
  const boot = overrideOf(ctx.ops.bmc.chassis.bootOptions.flags);
  const fru = ctx.ops.fruIdentity();
  const uuid = ctx.ops.systemUuid();
  return resource("ComputerSystem", p.system, {
    Id: ctx.ids.system,
    Name: "System",
    SystemType: "Physical",
    ...defined({
      Manufacturer: fru.manufacturer,
      Model: fru.model,
      SerialNumber: fru.serialNumber,
      PartNumber: fru.partNumber,
      AssetTag: fru.assetTag,
      UUID: uuid ?? undefined,
    }),
    PowerState: ctx.ops.powerState(),
    Status: STATUS_OK,
    Boot: {
      BootSourceOverrideEnabled: boot.enabled,
      BootSourceOverrideTarget: boot.target,
      "BootSourceOverrideTarget@Redfish.AllowableValues": BOOT_TARGETS,
      BootSourceOverrideMode: boot.mode,
    },
    Links: { Chassis: [ref(p.chassis)], ManagedBy: [ref(p.manager)] },
    Actions: {
      "#ComputerSystem.Reset": {
        target: `${p.system}/Actions/ComputerSystem.Reset`,
        "ResetType@Redfish.AllowableValues": ctx.ops.resetTypes(),
      },
    },
  });
}

function applyBoot(ctx: ServiceContext, body: Json): void {
  const unknown = Object.keys(body).find((k) => k !== "Boot");
  if (unknown !== undefined) throw notWritable(unknown, systemJson(ctx));
  const boot = body.Boot;
  if (boot === undefined) throw redfishError(400, "EmptyJSON");
  if (typeof boot !== "object" || boot === null || Array.isArray(boot)) {
    throw redfishError(400, "PropertyValueTypeError", [JSON.stringify(boot), "Boot"]);
  }
  const current = overrideOf(ctx.ops.bmc.chassis.bootOptions.flags);
  const fields: [string, readonly string[], keyof BootOverride][] = [
    ["BootSourceOverrideEnabled", BOOT_ENABLED, "enabled"],
    ["BootSourceOverrideTarget", BOOT_TARGETS, "target"],
    ["BootSourceOverrideMode", BOOT_MODES, "mode"],
  ];
  const next = { ...current };
  for (const [key, value] of Object.entries(boot as Json)) {
    const field = fields.find((f) => f[0] === key);
    if (field === undefined) throw redfishError(400, "PropertyUnknown", [`Boot/${key}`]);
    if (typeof value !== "string") {
      throw redfishError(400, "PropertyValueTypeError", [JSON.stringify(value), `Boot/${key}`]);
    }
    if (!field[1].includes(value)) {
      throw redfishError(400, "PropertyValueNotInList", [value, `Boot/${key}`]);
    }
    next[field[2]] = value;
  }
  applyOverride(ctx.ops.bmc.chassis.bootOptions, next);
  ctx.log.info("Redfish boot override set", { ...next });
}

/**
 * Register the routes.
 *
 * @param router Router.
 * @param ctx Service state.
 */
export function systemRoutes(router: RedfishRouter, ctx: ServiceContext): void {
  const p = pathsOf(ctx.ids);
  router.resource(`${ROOT}/Systems`, {
    get: {
      privilege: "Login",
      handle: () =>
        collection("ComputerSystemCollection", `${ROOT}/Systems`, "Computer Systems", [p.system]),
    },
  });
  router.resource(p.system, {
    get: { privilege: "Login", handle: () => systemJson(ctx) },
    patch: {
      privilege: "ConfigureComponents",
      handle: async (req) => {
        applyBoot(ctx, await req.body());
        return systemJson(ctx);
      },
    },
  });
  router.resource(`${p.system}/Actions/ComputerSystem.Reset`, {
    post: {
      privilege: "ConfigureComponents",
      handle: async (req) => {
        const action = "ComputerSystem.Reset";
        const type = resetTypeOf(action, await req.body(), ctx.ops.resetTypes()) as ResetType;
        const result = ctx.ops.reset(type);
        if (!result.ok) {
          ctx.log.warn("Redfish reset refused", { type, reason: result.reason });
          throw redfishError(409, "GeneralError", [], {
            resolution: `${result.reason}.`,
          });
        }
        ctx.log.info("Redfish reset", { type, user: req.caller?.user.name });
        return req.c.body(null, 204);
      },
    },
  });
}
