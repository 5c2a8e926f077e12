/**
 * Integration over a real UDP socket on loopback: a BmcRuntime with LAN and
 * console endpoints, driven by the scripted console.
 *
 * @module
 */

import assert from "node:assert/strict";
import dgram from "node:dgram";
import { ManualClock } from "../../src/clock/manual_clock.ts";
import { AsfType, PayloadType } from "../../src/lan/constants.ts";
import { EventBus } from "../../src/events/event_bus.ts";
import { NullLogger } from "../../src/log/logger.ts";
import { parseProfile } from "../../src/profile/parse_profile.ts";
import { BmcRuntime } from "../../src/runtime/bmc_runtime.ts";
import { profileJson } from "../_helpers/test_bmc.ts";
import { TCP_ANY } from "../_helpers/runtime.ts";
import { withDeadline } from "../_helpers/deadline.ts";
import { lanRequest, TestConsole } from "./_console.ts";

/** A console's UDP socket; `take()` waits for the BMC's next datagram(s). */
async function udpWire(port: number) {
  const socket = dgram.createSocket("udp4");
  const inbox: Uint8Array[] = [];
  let wake: (() => void) | null = null;
  socket.on("message", (m: Uint8Array) => {
    inbox.push(new Uint8Array(m));
    wake?.();
  });
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  return {
    send: (b: Uint8Array) => new Promise<void>((r) => socket.send(b, port, "127.0.0.1", () => r())),
    async take(): Promise<Uint8Array[]> {
      if (inbox.length === 0) {
        await withDeadline(new Promise<void>((r) => wake = r), "a datagram from the BMC");
        wake = null;
      }
      return inbox.splice(0);
    },
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

/** An ASF Presence Ping with `tag` (answered by a Pong, no session needed). */
const asfPing = (tag: number) => Uint8Array.of(6, 0, 0xff, 6, 0, 0, 0x11, 0xbe, 0x80, tag, 0, 0);

Deno.test("BmcRuntime serves RMCP+ on UDP, shares the core with the VM side, and a BMC reset drops LAN sessions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bmc-lan-udp-" });
  const clock = new ManualClock();
  const bus = new EventBus({ clock });
  const runtime = await BmcRuntime.start({
    id: "bmc0",
    profile: parseProfile(profileJson(), "test.json"),
    vm: { listen: TCP_ANY },
    stateFile: null,
    lan: {
      hostname: "127.0.0.1",
      port: 0,
      users: [{ id: 2, name: "admin", password: "secret", privilege: 4 }],
    },
    console: {
      listen: { transport: "unix", path: `${dir}/console.sock` },
      logFile: `${dir}/console.log`,
    },
  }, { clock, bus, log: new NullLogger() });
  const port = Number(runtime.lan!.lanListen!.split(":")[1]);
  const wire = await udpWire(port);
  try {
    const c = new TestConsole(wire);
    assert.equal(await c.login({ suite: 17, user: "admin", password: "secret" }), 0);
    await c.request(0x06, 0x3b, [0x04]);
    // A SEL record added over LAN is the core's record.
    const [add] = await c.request(0x0a, 0x44, [
      0,
      0,
      2,
      0,
      0,
      0,
      0,
      0x20,
      0,
      4,
      0x20,
      0,
      0x6f,
      0,
      0xff,
      0xff,
    ]);
    assert.equal(add!.cc, 0);
    assert.equal(runtime.bmc.sel.size, 1);
    // The console endpoint keeps what the guest printed.
    const hub = runtime.lan!.console!;
    const tail = () => new TextDecoder().decode(hub.tail());
    const { promise: printed, resolve } = Promise.withResolvers<void>();
    const unsubscribe = hub.subscribe(() => /not syncing/.test(tail()) && resolve());
    const guest = await Deno.connect({ transport: "unix", path: `${dir}/console.sock` });
    await guest.write(new TextEncoder().encode("Kernel panic - not syncing"));
    await withDeadline(printed, "the guest's output on the console");
    unsubscribe();
    assert.match(tail(), /Kernel panic - not syncing/);
    guest.close();
    // A BMC reset ends the session: no answer any more.
    runtime.bmc.beginReset({
      mode: "busy",
      durationMs: 10,
      busyCc: 0xc0,
      watchdog: "keep",
      resetWatchdogCc: null,
    }, "test");
    assert.equal(runtime.lan!.state()!.sessions.length, 0);
    clock.advance(10); // the outage ends
    // The old session's request draws nothing: the ping sent after it is answered first.
    await wire.send(c.wrap(PayloadType.Ipmi, lanRequest(0x06, 0x01)));
    await wire.send(asfPing(7));
    const [reply, ...more] = await wire.take();
    assert.deepEqual([reply![8], reply![9], more.length], [AsfType.PresencePong, 7, 0]);
  } finally {
    await wire.close();
    await runtime.close();
    await Deno.remove(dir, { recursive: true });
  }
});
