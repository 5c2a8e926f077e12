import assert from "node:assert/strict";
import { listenEndpoint } from "../../src/transport/listen_endpoint.ts";

Deno.test("listenEndpoint takes over a stale UNIX socket file and refuses a live one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/bmc.sock`;
    // A process that exits without closing its listener leaves the socket file (Deno.exit).
    const code = `Deno.listen({ transport: "unix", path: ${JSON.stringify(path)} }); Deno.exit(0);`;
    const { success } = await new Deno.Command(Deno.execPath(), { args: ["eval", code] }).output();
    assert.ok(success);
    assert.ok((await Deno.lstat(path)).isSocket, "the closed listener left its socket file");
    const live = await listenEndpoint({ transport: "unix", path });
    try {
      await assert.rejects(listenEndpoint({ transport: "unix", path }), Deno.errors.AddrInUse);
      const accepted = live.accept();
      const client = await Deno.connect({ transport: "unix", path });
      (await accepted).close();
      client.close();
    } finally {
      live.close();
    }
    await Deno.writeTextFile(`${dir}/plain`, "not a socket");
    await assert.rejects(
      listenEndpoint({ transport: "unix", path: `${dir}/plain` }),
      Deno.errors.AddrInUse,
    );
    assert.equal(
      await Deno.readTextFile(`${dir}/plain`),
      "not a socket",
      "a file is never removed",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
