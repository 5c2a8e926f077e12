/**
 * `SessionService` (login with `POST Sessions`, `X-Auth-Token`, logout with
 * `DELETE`, `SessionTimeout`) and `AccountService` (the BMC's users, read
 * only, with their roles).
 *
 * @module
 */

import type { UserSpec as BmcUser } from "../lan/users.ts";
import { notWritable, redfishError } from "./messages.ts";
import { collection, type Json, ref, resource, ROOT, STATUS_OK } from "./odata.ts";
import { mayDo, roleOf, ROLES } from "./roles.ts";
import type { RedfishRouter } from "./router.ts";
import type { ServiceContext } from "./service_context.ts";
import { type Session, SESSION_TIMEOUT_RANGE } from "./sessions.ts";

const SESSIONS = `${ROOT}/SessionService/Sessions`;
const ACCOUNTS = `${ROOT}/AccountService/Accounts`;
const ROLES_PATH = `${ROOT}/AccountService/Roles`;

/**
 * Find a user by name and password (constant-time per comparison is not
 * needed for an emulator; the password check is plain equality).
 *
 * @param users Users.
 * @param name User name.
 * @param password Password.
 * @returns The user, or `undefined`.
 */
export function findUser(
  users: readonly BmcUser[],
  name: string,
  password: string,
): BmcUser | undefined {
  return users.find((u) =>
    u.name === name && u.password === password && roleOf(u.privilege) !== null
  );
}

function sessionJson(s: Session): Json {
  return resource("Session", `${SESSIONS}/${s.id}`, {
    Id: s.id,
    Name: "User Session",
    UserName: s.user.name,
    SessionType: "Redfish",
    CreatedTime: new Date(s.createdAt).toISOString(),
  });
}

function sessionServiceJson(ctx: ServiceContext): Json {
  return resource("SessionService", `${ROOT}/SessionService`, {
    Id: "SessionService",
    Name: "Session Service",
    ServiceEnabled: true,
    SessionTimeout: ctx.sessions.timeoutS,
    Sessions: ref(SESSIONS),
    Status: STATUS_OK,
  });
}

function accountJson(u: BmcUser): Json {
  const role = roleOf(u.privilege);
  return resource("ManagerAccount", `${ACCOUNTS}/${u.id}`, {
    Id: String(u.id),
    Name: "User Account",
    UserName: u.name,
    ...(role === null ? {} : { RoleId: role }),
    Enabled: role !== null,
    Locked: false,
    Password: null,
    AccountTypes: ["Redfish", "IPMI"],
    ...(role === null ? {} : { Links: { Role: ref(`${ROLES_PATH}/${role}`) } }),
  });
}

function applySessionService(ctx: ServiceContext, body: Json): void {
  for (const [key, value] of Object.entries(body)) {
    if (key !== "SessionTimeout") throw notWritable(key, sessionServiceJson(ctx));
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw redfishError(400, "PropertyValueTypeError", [JSON.stringify(value), key]);
    }
    if (value < SESSION_TIMEOUT_RANGE.min || value > SESSION_TIMEOUT_RANGE.max) {
      throw redfishError(400, "PropertyValueOutOfRange", [String(value), key]);
    }
    ctx.sessions.setTimeout(value);
  }
}

function sessionRoutes(router: RedfishRouter, ctx: ServiceContext): void {
  router.resource(`${ROOT}/SessionService`, {
    get: { privilege: "Login", handle: () => sessionServiceJson(ctx) },
    patch: {
      privilege: "ConfigureManager",
      handle: async (req) => {
        applySessionService(ctx, await req.body());
        return sessionServiceJson(ctx);
      },
    },
  });
  router.resource(SESSIONS, {
    get: {
      privilege: "Login",
      handle: (req) => {
        const all = ctx.sessions.list();
        const visible = req.caller !== null && mayDo(req.caller.user.privilege, "ConfigureManager")
          ? all
          : all.filter((s) => s.id === req.caller?.sessionId);
        return collection(
          "SessionCollection",
          SESSIONS,
          "Sessions",
          visible.map((s) => `${SESSIONS}/${s.id}`),
        );
      },
    },
    post: {
      privilege: null,
      handle: async (req) => {
        const body = await req.body();
        for (const key of ["UserName", "Password"]) {
          if (body[key] === undefined) throw redfishError(400, "PropertyMissing", [key]);
          if (typeof body[key] !== "string") {
            throw redfishError(400, "PropertyValueTypeError", [JSON.stringify(body[key]), key]);
          }
        }
        const user = findUser(ctx.users, body.UserName as string, body.Password as string);
        if (user === undefined) {
          ctx.log.warn("Redfish login failed", { user: body.UserName });
          throw redfishError(401, "NoValidSession", [], {
            resolution: "The user name or password is wrong.",
          });
        }
        const session = ctx.sessions.create(user);
        if (session === null) throw redfishError(503, "SessionLimitExceeded");
        ctx.log.info("Redfish session opened", { user: user.name, session: session.id });
        const c = req.c;
        c.header("X-Auth-Token", session.token);
        c.header("Location", `${SESSIONS}/${session.id}`);
        return c.json(sessionJson(session), 201);
      },
    },
  });
  router.resource(`${SESSIONS}/:session`, {
    get: {
      privilege: "Login",
      handle: (req) => sessionJson(visibleSession(ctx, req.caller, req.param("session"), req.c)),
    },
    delete: {
      privilege: "Login",
      handle: (req) => {
        const s = visibleSession(ctx, req.caller, req.param("session"), req.c);
        ctx.sessions.delete(s.id);
        ctx.log.info("Redfish session closed", { user: s.user.name, session: s.id });
        return req.c.body(null, 204);
      },
    },
  });
}

/** A session the caller may see: its own, or any for ConfigureManager; 404 otherwise. */
function visibleSession(
  ctx: ServiceContext,
  caller: { user: BmcUser; sessionId: string | null } | null,
  id: string,
  c: { req: { path: string } },
): Session {
  const s = ctx.sessions.byId(id);
  const mine = s !== undefined && caller?.sessionId === s.id;
  if (s === undefined || (!mine && !(caller && mayDo(caller.user.privilege, "ConfigureManager")))) {
    throw redfishError(404, "ResourceMissingAtURI", [c.req.path]);
  }
  return s;
}

/**
 * Register the routes.
 *
 * @param router Router.
 * @param ctx Service state.
 */
export function accountRoutes(router: RedfishRouter, ctx: ServiceContext): void {
  sessionRoutes(router, ctx);
  router.resource(`${ROOT}/AccountService`, {
    get: {
      privilege: "Login",
      handle: () =>
        resource("AccountService", `${ROOT}/AccountService`, {
          Id: "AccountService",
          Name: "Account Service",
          Description: "The BMC's users (the same as IPMI over LAN); read only",
          ServiceEnabled: true,
          LocalAccountAuth: "Enabled",
          MinPasswordLength: 1,
          MaxPasswordLength: 20,
          Accounts: ref(ACCOUNTS),
          Roles: ref(ROLES_PATH),
          Status: STATUS_OK,
        }),
    },
  });
  router.resource(ACCOUNTS, {
    get: {
      privilege: "Login",
      handle: () =>
        collection(
          "ManagerAccountCollection",
          ACCOUNTS,
          "Accounts",
          ctx.users.map((u) => `${ACCOUNTS}/${u.id}`),
        ),
    },
  });
  router.resource(`${ACCOUNTS}/:account`, {
    get: {
      privilege: "Login",
      handle: (req) => {
        const u = ctx.users.find((x) => String(x.id) === req.param("account"));
        if (u === undefined) throw redfishError(404, "ResourceMissingAtURI", [req.c.req.path]);
        return accountJson(u);
      },
    },
  });
  router.resource(ROLES_PATH, {
    get: {
      privilege: "Login",
      handle: () =>
        collection(
          "RoleCollection",
          ROLES_PATH,
          "Roles",
          Object.keys(ROLES).map((r) => `${ROLES_PATH}/${r}`),
        ),
    },
  });
  router.resource(`${ROLES_PATH}/:role`, {
    get: {
      privilege: "Login",
      handle: (req) => {
        const id = req.param("role") as keyof typeof ROLES;
        if (!(id in ROLES)) throw redfishError(404, "ResourceMissingAtURI", [req.c.req.path]);
        return resource("Role", `${ROLES_PATH}/${id}`, {
          Id: id,
          Name: `${id} Role`,
          RoleId: id,
          IsPredefined: true,
          AssignedPrivileges: [...ROLES[id]],
        });
      },
    },
  });
}
