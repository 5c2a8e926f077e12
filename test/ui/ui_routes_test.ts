import assert from "node:assert/strict";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bearerAuth, TOKEN_COOKIE } from "../../src/api/auth.ts";
import { uiRoutes } from "../../src/ui/ui_routes.ts";
import { ASSETS } from "../../src/ui/assets.ts";
import { VENDOR } from "../../src/ui/vendor.ts";

function ui(token?: string): OpenAPIHono {
  const app = new OpenAPIHono();
  app.onError((e, c) => c.json({ error: e.message }, (e as { status?: 401 }).status ?? 500));
  if (token !== undefined) app.use("*", bearerAuth(token));
  uiRoutes(app);
  return app;
}

Deno.test("uiRoutes() serves the page with its import map and configuration", async () => {
  const res = await ui().request("/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/html/);
  const page = await res.text();
  const map = JSON.parse(/<script type="importmap">(.*?)<\/script>/.exec(page)![1]!);
  assert.deepEqual(map.imports, {
    preact: "/ui/vendor/preact.mjs",
    "preact/hooks": "/ui/vendor/hooks.mjs",
    htm: "/ui/vendor/htm.mjs",
  });
  const config = JSON.parse(/id="bmc-emu-config">(.*?)<\/script>/.exec(page)![1]!);
  assert.ok(config.eventTypes.includes("watchdog.expired"));
  assert.ok(config.powerActions.includes("diag-interrupt"));
});

Deno.test("uiRoutes() serves every asset and vendored module, and 404s anything else", async () => {
  const app = ui();
  for (const name of ASSETS.filter((n) => n !== "index.html")) {
    const res = await app.request(`/ui/${name}`);
    assert.equal(res.status, 200, name);
    assert.ok((await res.text()).length > 0, name);
  }
  for (const name of Object.keys(VENDOR)) {
    const res = await app.request(`/ui/vendor/${name}`);
    assert.equal(res.status, 200, name);
    assert.match(res.headers.get("content-type")!, /javascript/);
    assert.match(await res.text(), /export/, name);
  }
  for (
    const path of ["/ui/nope.js", "/ui/index.html", "/ui/vendor/zod.mjs", "/ui/..%2Fui_routes.ts"]
  ) {
    const res = await app.request(path);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
});

Deno.test("with a token the page needs it too: /?token= sets a cookie the API accepts", async () => {
  const app = ui("s3cret");
  assert.equal((await app.request("/")).status, 401);
  assert.equal((await app.request("/?token=wrong")).status, 401);
  const login = await app.request("/?token=s3cret");
  assert.equal(login.status, 303);
  assert.equal(login.headers.get("location"), "/");
  const cookie = login.headers.get("set-cookie")!;
  assert.match(cookie, new RegExp(`^${TOKEN_COOKIE}=s3cret;.*HttpOnly.*SameSite=Strict`));
  const page = await app.request("/", { headers: { cookie: cookie.split(";")[0]! } });
  assert.equal(page.status, 200);
  await page.body?.cancel();
  const bad = await app.request("/", { headers: { cookie: `${TOKEN_COOKIE}=%E0%A4%A` } });
  assert.equal(bad.status, 401, "a malformed cookie is a 401, not a crash");
  const bearer = await app.request("/ui/app.js", { headers: { authorization: "Bearer s3cret" } });
  assert.equal(bearer.status, 200);
  await bearer.body?.cancel();
});
