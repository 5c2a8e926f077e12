/**
 * The dashboard's routes on the API app: the page at `/`, its scripts and
 * style under `/ui/`, and the vendored libraries under `/ui/vendor/`. They
 * sit behind the API's own middleware, so the token rules are the API's.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";
import { EVENT_TYPES } from "../core/events.ts";
import { POWER_ACTION_NAMES } from "../core/power_actions.ts";
import { ASSETS, assetType, readAsset } from "./assets.ts";
import { importMap, readVendor } from "./vendor.ts";

/** The page's configuration, read by `app.js` from `#bmc-emu-config`. */
function pageConfig(): string {
  return JSON.stringify({ eventTypes: EVENT_TYPES, powerActions: POWER_ACTION_NAMES }).replaceAll(
    "<",
    "\\u003c",
  );
}

function sendText(body: string, type: string): Response {
  return new Response(body, {
    headers: {
      "content-type": type,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    },
  });
}

function missing(path: string): Response {
  return Response.json({ error: `No dashboard file ${path}` }, { status: 404 });
}

/**
 * Mount the dashboard.
 *
 * @param app The API app (its auth and error handling apply).
 */
export function uiRoutes(app: OpenAPIHono): void {
  app.get("/", async () => {
    const page = (await readAsset("index.html"))!
      .replace(
        /(<script type="importmap">)[\s\S]*?(<\/script>)/,
        (_, open, close) => open + JSON.stringify(importMap()) + close,
      )
      .replace(
        /(id="bmc-emu-config">)[\s\S]*?(<\/script>)/,
        (_, open, close) => open + pageConfig() + close,
      );
    return sendText(page, "text/html; charset=utf-8");
  });
  app.get("/ui/vendor/:name", async (c) => {
    const text = await readVendor(c.req.param("name"));
    return text === null ? missing(c.req.path) : sendText(text, "text/javascript; charset=utf-8");
  });
  app.get("/ui/:name", async (c) => {
    const name = c.req.param("name");
    if (!ASSETS.includes(name) || name === "index.html") return missing(c.req.path);
    return sendText((await readAsset(name))!, assetType(name));
  });
}
