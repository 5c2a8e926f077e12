import assert from "node:assert/strict";
import { checkImports, checkPurity, importEdges, layerPicture } from "../../tools/check_layers.ts";

const SRC = "file:///repo/src/";

function info(deps: Record<string, { to: string; dynamic?: boolean; typeOnly?: boolean }[]>) {
  return {
    modules: Object.entries(deps).map(([from, list]) => ({
      specifier: SRC + from,
      dependencies: list.map((d) => ({
        ...(d.typeOnly ? { type: { specifier: d.to } } : { code: { specifier: d.to } }),
        ...(d.dynamic ? { isDynamic: true } : {}),
      })),
    })),
  };
}

Deno.test("checkImports() reads the module graph: dynamic and type-only imports count too", () => {
  const edges = importEdges(
    info({
      "core/bmc.ts": [
        { to: SRC + "codec/constants.ts" },
        { to: SRC + "api/app.ts", dynamic: true },
        { to: SRC + "transport/vm_link.ts", typeOnly: true },
        { to: "npm:/zod@4.6.7" },
      ],
      "api/app.ts": [{ to: SRC + "runtime/operations.ts" }, { to: "file:///repo/tools/x.ts" }],
    }),
    SRC,
  );
  assert.deepEqual(checkImports(edges), [
    'core/bmc.ts: layer "core" may not dynamically import "api" (api/app.ts)',
    'core/bmc.ts: layer "core" may not import "transport" (transport/vm_link.ts)',
    "api/app.ts: imports outside src/: file:///repo/tools/x.ts",
  ]);
});

Deno.test("checkPurity() keeps I/O and ambient time out of the pure layers", () => {
  assert.deepEqual(checkPurity("core/x.ts", "const t = Date.now(); // Deno.exit()"), [
    "core/x.ts: ambient time (use the injected Clock) is not allowed in core/",
  ]);
  assert.deepEqual(checkPurity("transport/x.ts", "Deno.listen({ port: 1 })"), []);
  assert.deepEqual(checkPurity("nowhere/x.ts", ""), [
    'nowhere/x.ts: layer "nowhere" is not in tools/check_layers.ts',
  ]);
});

Deno.test("README's Architecture section shows the layering the tool enforces", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  assert.ok(readme.includes(["```", ...layerPicture(), "```"].join("\n")), "the layer block");
});
