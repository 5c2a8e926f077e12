/**
 * The interactive API reference at `/api/docs`: Swagger UI over the
 * OpenAPI document, its script and style served from the npm package's
 * files (pinned in `deno.lock`) under `/api/docs/`, so the page loads
 * nothing from another origin.
 *
 * @module
 */

import type { OpenAPIHono } from "@hono/zod-openapi";

/** Path of the reference page. */
export const DOCS_PATH = "/api/docs";

/** Served name (`/api/docs/<name>`) → the package file and its content type. */
const ASSETS: Readonly<Record<string, { readonly specifier: string; readonly type: string }>> = {
  "swagger-ui-bundle.js": {
    specifier: "swagger-ui-dist/swagger-ui-bundle.js",
    type: "text/javascript; charset=utf-8",
  },
  "swagger-ui.css": {
    specifier: "swagger-ui-dist/swagger-ui.css",
    type: "text/css; charset=utf-8",
  },
};

/**
 * The page: Swagger UI reading `documentPath` (no validator badge: that
 * would send the document to another site).
 *
 * @param documentPath Path of the OpenAPI document.
 * @returns HTML.
 */
export function docsPage(documentPath: string): string {
  const options = JSON.stringify({ url: documentPath, dom_id: "#ui", validatorUrl: null });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bmc-emu control API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle(${options});</script>
</body>
</html>
`;
}

const cache = new Map<string, Promise<string>>();

/**
 * Serve the page and its assets.
 *
 * @param app The root app.
 * @param documentPath Path of the OpenAPI document.
 */
export function docsRoutes(app: OpenAPIHono, documentPath: string): void {
  app.get(DOCS_PATH, (c) => c.html(docsPage(documentPath)));
  app.get(`${DOCS_PATH}/:asset`, async (c) => {
    const name = c.req.param("asset");
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name]! : null;
    if (asset === null) return c.json({ error: `No asset ${name}` }, 404);
    let text = cache.get(name);
    if (text === undefined) {
      text = Deno.readTextFile(new URL(import.meta.resolve(asset.specifier)));
      cache.set(name, text);
    }
    return c.body(await text, 200, {
      "content-type": asset.type,
      "cache-control": "public, max-age=86400",
    });
  });
}
