import assert from "node:assert/strict";
import { EVENT_TYPES } from "../../src/core/events.ts";
import { eventResponse } from "../../src/api/response_schemas.ts";

/** Event types a README paragraph names, with `group.a|b` spans expanded. */
function namedTypes(paragraph: string): Set<string> {
  const names = new Set<string>();
  for (const [, span] of paragraph.matchAll(/`([a-z-]+\.[a-z|-]+)`/g)) {
    const [group, rest] = span!.split(".") as [string, string];
    for (const name of rest.split("|")) names.add(`${group}.${name}`);
  }
  return names;
}

Deno.test("README's list of event types is EVENT_TYPES, and so is the OpenAPI event schema", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const start = readme.indexOf("Every event has an increasing `id`");
  assert.ok(start >= 0, "the HTTP API section lists the event types");
  const paragraph = readme.slice(start, readme.indexOf("\n\n", start));
  assert.deepEqual([...namedTypes(paragraph)].sort(), [...EVENT_TYPES].sort());
  assert.deepEqual(eventResponse.options.map((o) => o.shape.type.value), [...EVENT_TYPES]);
});
