/**
 * `/api/docs` in headless Chromium: Swagger UI renders every operation of
 * the document, and every request the page makes goes to the server that
 * served it (the script and style are the npm package's files, served
 * under `/api/docs/`). Without Chromium the test is ignored with the
 * reason; with `CI=true` it fails instead.
 */

import assert from "node:assert/strict";
import { CHROMIUM, chromiumAvailable, launchChromium } from "../_helpers/browser.ts";
import { testApi } from "../_helpers/api.ts";

const strict = Deno.env.get("CI") === "true";
const ignore = !chromiumAvailable() && !strict;

Deno.test({
  name: ignore
    ? `/api/docs renders in Chromium from this origin alone (ignored: no ${CHROMIUM})`
    : "/api/docs renders in Chromium from this origin alone",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using api = await testApi();
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, api.app.fetch);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (r) => void requested.push(r.url()));
    await page.goto(`${origin}/api/docs`, { waitUntil: "networkidle0", timeout: 30_000 });
    await page.waitForSelector(".opblock", { timeout: 30_000 });
    const operations = await page.$$eval(".opblock", (ops) => ops.length);
    const doc = await (await api.call("GET", "/api/v1/openapi.json")).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.values(doc.paths).reduce((n, m) => n + Object.keys(m).length, 0);
    assert.equal(operations, documented, "one block per documented operation");
    const elsewhere = requested.filter((u) =>
      !u.startsWith(`${origin}/`) && !u.startsWith("data:")
    );
    assert.deepEqual(elsewhere, [], "nothing from another origin");
    assert.ok(requested.includes(`${origin}/api/v1/openapi.json`), requested.join("\n"));
  } finally {
    await browser.close();
  }
});
