import assert from "node:assert/strict";
import { parseScenario } from "../../src/scenario/scenario_schema.ts";
import { fromFileUrl } from "../../src/util/file_url.ts";

const NOT_SCENARIOS = ["scenario.schema.json", "matrix.json"];
const DIR = fromFileUrl(new URL("../../tools/scenarios/", import.meta.url));

Deno.test("every scenario in tools/scenarios/ validates and is listed in its README", async () => {
  const readme = await Deno.readTextFile(`${DIR}README.md`);
  let count = 0;
  for await (const entry of Deno.readDir(DIR)) {
    // scenario.schema.json validates them; matrix.json holds the kernel matrix's measured cells.
    if (!entry.name.endsWith(".json") || NOT_SCENARIOS.includes(entry.name)) continue;
    const scenario = parseScenario(
      JSON.parse(await Deno.readTextFile(`${DIR}${entry.name}`)),
      entry.name,
    );
    assert.equal(`${scenario.name}.json`, entry.name, "file named after the scenario");
    assert.ok(
      readme.includes(`\`${scenario.name}\``),
      `${scenario.name} is in tools/scenarios/README.md`,
    );
    count++;
  }
  assert.ok(count >= 1);
});
