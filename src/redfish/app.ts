/**
 * The Redfish service of one BMC as a Hono app: authentication (sessions
 * and HTTP Basic with the BMC's users), the protocol headers, Redfish error
 * bodies for every failure, 503 with `Retry-After` while the BMC reboots,
 * and the resource modules. Bad input gets a precise 4xx and a
 * rate-limited log line, never a crash.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Clock } from "../clock/clock.ts";
import type { EventBus } from "../events/event_bus.ts";
import type { Logger } from "../log/logger.ts";
import { RateLimit } from "../log/rate_limit.ts";
import type { UserSpec as BmcUser } from "../lan/users.ts";
import { BmcOps, type RedfishTarget } from "./bmc_ops.ts";
import { EventService } from "./event_service.ts";
import type { RedfishFault } from "../faults/redfish_fault_schema.ts";
import { redfishFaults } from "./redfish_faults.ts";
import { RedfishError, redfishError } from "./messages.ts";
import { accountRoutes, findUser } from "./resources_accounts.ts";
import { chassisRoutes } from "./resources_chassis.ts";
import { managerRoutes } from "./resources_manager.ts";
import { rootRoutes } from "./resources_root.ts";
import { systemRoutes } from "./resources_system.ts";
import { mayDo, type RedfishPrivilege } from "./roles.ts";
import { type Caller, RedfishRouter } from "./router.ts";
import {
  type NetworkInfo,
  type ResourceIds,
  resourceIdsFor,
  type ServiceContext,
} from "./service_context.ts";
import { SessionStore } from "./sessions.ts";

/** Largest request body accepted. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Interval between two log lines about the same kind of bad request. */
const BAD_REQUEST_LOG_MS = 10_000;

/** What a Redfish service needs. */
export interface RedfishDeps {
  /** The BMC served. */
  readonly target: RedfishTarget;
  /** Its users. */
  readonly users: readonly BmcUser[];
  /** Time source. */
  readonly clock: Clock;
  /** Event bus (events, BMC resets). */
  readonly bus: EventBus;
  /** Logger. */
  readonly log: Logger;
  /** Network protocols to show (the real port once bound). */
  readonly network: NetworkInfo;
  /** Resource ids (default: from the profile's manufacturer). */
  readonly ids?: ResourceIds;
  /** Fault rules on the Redfish channel. */
  readonly faults?: readonly RedfishFault[];
}

/** A Redfish service: the app and what it keeps. */
export interface RedfishService {
  /** The app (`fetch` for a server, `request` in tests). */
  readonly app: Hono;
  /** Sessions. */
  readonly sessions: SessionStore;
  /** Network info, updated once the server is bound. */
  readonly network: NetworkInfo;
  /** Stop listening to events, end streams, wait for deliveries. */
  close(): Promise<void>;
}

function basicCredentials(header: string): [string, string] | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (m === null) return null;
  let text: string;
  try {
    text = atob(m[1]!);
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  return colon < 0 ? null : [text.slice(0, colon), text.slice(colon + 1)];
}

/** Resolves when the BMC is ready after a reset (or the service closes). */
function untilReady(bus: EventBus, bmc: string, closing: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stop();
      closing.removeEventListener("abort", done);
      resolve();
    };
    const stop = bus.subscribe({ bmc, types: new Set(["bmc.ready"]) }, done);
    if (closing.aborted) done();
    else closing.addEventListener("abort", done, { once: true });
  });
}

/** Logs bad requests at most once per interval per kind, with the count left out. */
class BadRequestLog {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #limits = new Map<string, RateLimit>();

  constructor(clock: Clock, log: Logger) {
    this.#clock = clock;
    this.#log = log;
  }

  note(kind: string, c: Context, status: number): void {
    let limit = this.#limits.get(kind);
    if (limit === undefined) {
      limit = new RateLimit(this.#clock, BAD_REQUEST_LOG_MS);
      this.#limits.set(kind, limit);
    }
    const skipped = limit.take();
    if (skipped === null) return;
    this.#log.warn("Redfish request refused", {
      status,
      kind,
      method: c.req.method,
      path: c.req.path,
      ...(skipped > 0 ? { alsoRefused: skipped } : {}),
    });
  }
}

/**
 * Build the Redfish service of one BMC.
 *
 * @param deps The BMC, users, clock, bus, logger, network info.
 * @returns The service.
 */
export function createRedfishService(deps: RedfishDeps): RedfishService {
  const ops = new BmcOps(deps.target);
  const log = deps.log.child({ redfish: deps.target.id });
  const sessions = new SessionStore(deps.clock);
  const network = { ...deps.network };
  const ctx: ServiceContext = {
    ops,
    ids: deps.ids ?? resourceIdsFor(ops.manufacturerId),
    sessions,
    users: deps.users,
    clock: deps.clock,
    log,
    network,
  };
  const bad = new BadRequestLog(deps.clock, log);
  const app = new Hono({ strict: false });

  app.onError((error, c) => {
    if (error instanceof RedfishError) {
      if (error.status >= 400 && error.status < 500) {
        bad.note(error.messages[0]!.MessageId, c, error.status);
      }
      for (const [k, v] of Object.entries(error.headers)) c.header(k, v);
      return c.json(error.body(), error.status as 400);
    }
    log.error("Redfish handler failed", { method: c.req.method, path: c.req.path, error });
    return c.json(redfishError(500, "InternalError").body(), 500);
  });
  app.notFound((c) => {
    const e = redfishError(404, "ResourceMissingAtURI", [c.req.path]);
    bad.note("not-found", c, 404);
    return c.json(e.body(), 404);
  });
  app.use("*", async (c, next) => {
    await next();
    c.res.headers.set("OData-Version", "4.0");
    c.res.headers.set("Cache-Control", "no-cache");
  });
  const closing = new AbortController();
  app.use("*", async (c, next) => {
    let outage = ops.outage();
    if (outage?.mode === "silent") {
      // A silent BMC does not answer: hold the request until it is back.
      await untilReady(deps.bus, deps.target.id, closing.signal);
      outage = ops.outage();
    }
    if (outage !== null) {
      const seconds = Math.max(1, Math.ceil(outage.remainingMs / 1000));
      throw redfishError(503, "ServiceTemporarilyUnavailable", [String(seconds)], {
        headers: {
          "Retry-After": String(seconds),
          ...(outage.mode === "disconnect" ? { Connection: "close" } : {}),
        },
      });
    }
    const query = [...new URL(c.req.url).searchParams.keys()].find((k) =>
      (k.startsWith("$") && k !== "$select") || k === "only" || k === "excerpt"
    );
    if (query !== undefined) {
      throw redfishError(501, "QueryNotSupported", [], {
        resolution: `Query parameter ${query} is not supported.`,
      });
    }
    if (c.req.query("$select") !== undefined && c.req.method !== "GET" && c.req.method !== "HEAD") {
      throw redfishError(400, "QueryNotSupportedOnOperation");
    }
    await next();
  });
  if (deps.faults !== undefined && deps.faults.length > 0) {
    app.use(
      "*",
      redfishFaults({
        bmc: deps.target.id,
        rules: deps.faults,
        clock: deps.clock,
        bus: deps.bus,
        log,
      }),
    );
  }
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw redfishError(413, "GeneralError", [], {
          resolution: `The request body exceeds ${MAX_BODY_BYTES} bytes.`,
        });
      },
    }),
  );

  const authorize = (c: Context, privilege: RedfishPrivilege | null): Caller | null => {
    if (privilege === null) return null;
    const caller = authenticate(c);
    if (!mayDo(caller.user.privilege, privilege)) {
      throw redfishError(403, "InsufficientPrivilege", [], {
        resolution: `${c.req.method} ${c.req.path} needs the ${privilege} privilege.`,
      });
    }
    return caller;
  };
  const authenticate = (c: Context): Caller => {
    const token = c.req.header("X-Auth-Token");
    if (token !== undefined) {
      const session = sessions.use(token);
      if (session !== undefined) return { user: session.user, sessionId: session.id };
    } else {
      const creds = basicCredentials(c.req.header("Authorization") ?? "");
      const user = creds === null ? undefined : findUser(deps.users, creds[0], creds[1]);
      if (user !== undefined) return { user, sessionId: null };
    }
    throw redfishError(401, "NoValidSession", [], {
      headers: { "WWW-Authenticate": 'Basic realm="Redfish", charset="UTF-8"' },
    });
  };

  const router = new RedfishRouter(app, authorize);
  rootRoutes(router, ctx);
  systemRoutes(router, ctx);
  managerRoutes(router, ctx);
  chassisRoutes(router, ctx);
  accountRoutes(router, ctx);
  const events = new EventService(ctx, deps.bus);
  events.routes(router);
  const stopResetWatch = deps.bus.subscribe(
    { bmc: deps.target.id, types: new Set(["bmc.reset"]) },
    () => sessions.clear(),
  );
  return {
    app,
    sessions,
    network,
    close: async () => {
      closing.abort();
      stopResetWatch();
      await events.close();
    },
  };
}
