import assert from "node:assert/strict";
import { testApi } from "../_helpers/api.ts";

/** Read SSE events from a response until `count` `console.line` events came. */
async function consoleLines(r: Response, count: number, feed: () => void): Promise<string[]> {
  const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const lines: string[] = [];
  let fed = false;
  try {
    while (lines.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      if (!fed && text.includes("event: stream.open")) {
        fed = true;
        feed();
      }
      lines.splice(0, lines.length);
      for (const m of text.matchAll(/event: console\.line\ndata: (.*)\n/g)) {
        lines.push((JSON.parse(m[1]!) as { line: string }).line);
      }
    }
  } finally {
    await reader.cancel();
  }
  return lines;
}

Deno.test("GET /console is the ring as text, and with Accept: text/event-stream its lines as they come", async (t) => {
  await using api = await testApi({ console: true });
  const hub = api.registry.get("bmc0")!.lan!.console!;
  hub.receive(new TextEncoder().encode("Booting\r\n"));
  await t.step("text", async () => {
    const r = await api.call("GET", "/api/v1/bmcs/bmc0/console");
    assert.equal(r.headers.get("content-type")?.split(";")[0], "text/plain");
    assert.equal(await r.text(), "Booting\r\n");
  });
  for (const path of ["/api/v1/bmcs/bmc0/console", "/api/v1/bmcs/bmc0/console/stream"]) {
    await t.step(`SSE ${path}`, async () => {
      const r = await api.call("GET", path, undefined, { accept: "text/event-stream" });
      assert.equal(r.headers.get("content-type")?.split(";")[0], "text/event-stream");
      const lines = await consoleLines(
        r,
        2,
        () => hub.receive(new TextEncoder().encode("Kernel panic - not\r\nsyncing\npartial")),
      );
      assert.deepEqual(lines, ["Kernel panic - not", "syncing"]);
    });
  }
});
