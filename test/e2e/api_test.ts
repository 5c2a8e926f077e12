/**
 * Issue 4 end to end: a rig that only uses the HTTP API drives and observes
 * a real Debian guest — NMI, SEL, the watchdog's event sequence, and power
 * through the qmp backend.
 */

import assert from "node:assert/strict";
import { ApiClient } from "../../src/cli/api_client.ts";
import { BmcProcess, withGuest } from "../../tools/e2e/mod.ts";
import { e2eTest } from "./_e2e.ts";

interface Ev {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

e2eTest(
  "e2e api: NMI, SEL, the watchdog's event sequence and qmp power, all through HTTP",
  async ({ kernel }) => {
    await withGuest({ kernel, iface: "kcs", qmp: true }, async ({ guest, bmc }) => {
      const api = new ApiClient(bmc.apiUrl, null);
      await api.json(
        "GET",
        `/api/v1/bmcs/bmc0/events/wait?type=vm.capabilities&after=0&timeout=10s`,
      );

      // An injected NMI reaches the guest kernel.
      await api.json("POST", "/api/v1/bmcs/bmc0/chassis", { action: "diag-interrupt" });
      await guest.console.waitFor(/NMI received for unknown reason/, {
        timeoutMs: 10_000,
        fromStart: true,
      });

      // A SEL record added over HTTP is listed by the guest.
      const rec = await api.json("POST", "/api/v1/bmcs/bmc0/sel", {
        sensorType: "0x1f",
        sensorNumber: 0,
        eventData: ["0x01"],
      });
      const list = await guest.ok("ipmitool sel list");
      assert.match(
        list,
        new RegExp(
          `^\\s+${Number(rec.id).toString(16)} \\| .*OS Boot \\| C: boot completed \\| Asserted`,
          "m",
        ),
      );

      // The watchdog's pre-timeout and expiry, recorded from the event stream.
      await guest.ok(
        "insmod /lib/modules/e2e/ipmi_watchdog.ko preaction=pre_nmi preop=preop_none action=reset timeout=6 pretimeout=3",
      );
      const mark =
        (await api.json<{ lastEventId: number }>("GET", "/api/v1/bmcs/bmc0")).lastEventId;
      await guest.ok("(exec 3>/dev/watchdog; echo 1 >&3; exec sleep 1000) >/dev/null 2>&1 &");
      await api.json(
        "GET",
        `/api/v1/bmcs/bmc0/events/wait?type=host.reset&after=${mark}&timeout=30s`,
      );
      const events: Ev[] = [];
      const stream = new AbortController();
      let replayed = -1;
      for await (
        const m of api.events(
          "/api/v1/bmcs/bmc0/events?types=watchdog.*,host.nmi,host.reset,sel.added",
          { lastEventId: mark, signal: stream.signal },
        )
      ) {
        if (m.event === "stream.open") {
          replayed = (JSON.parse(m.data) as { replayed: number }).replayed;
        } else events.push(JSON.parse(m.data));
        if (events.length === replayed) {
          stream.abort();
        }
      }
      const types = events.map((e) => e.type);
      assert.deepEqual(types, [
        "watchdog.set",
        "watchdog.reset",
        "watchdog.pretimeout",
        "host.nmi",
        "sel.added", // Watchdog 2 "timer interrupt"
        "watchdog.expired",
        "sel.added", // Watchdog 2 "hard reset"
        "host.reset",
      ]);
      const pre = events[2]!;
      const expired = events[5]!;
      const gap = Date.parse(String((expired as unknown as { time: string }).time)) -
        Date.parse(String((pre as unknown as { time: string }).time));
      assert.ok(
        gap >= 2900 && gap <= 3300,
        `pre-timeout to expiry took ${gap} ms (pretimeout 3 s)`,
      );
      assert.equal(
        (events[4]!.data.record as { description: string }).description,
        "Watchdog 2: timer interrupt",
      );
      assert.equal(
        (events[6]!.data.record as { description: string }).description,
        "Watchdog 2: hard reset",
      );
      await guest.waitReady(60_000, 2);

      // Power off and on through the qmp backend.
      const off = await api.json("POST", "/api/v1/bmcs/bmc0/chassis", { action: "power-off" });
      assert.equal(off.power, "off");
      await api.json(
        "GET",
        `/api/v1/bmcs/bmc0/events/wait?type=power.changed&after=${off.lastEventId}&timeout=5s`,
      ).catch(() => {});
      await assert.rejects(
        () => guest.run("true", 2000),
        /timed out/,
        "the paused guest does not answer",
      );
      assert.equal(
        ((await api.json("GET", "/api/v1/bmcs/bmc0")).power as { state: string }).state,
        "off",
      );
      const on = await api.json("POST", "/api/v1/bmcs/bmc0/chassis", { action: "power-on" });
      assert.equal(on.power, "on");
      await guest.waitReady(60_000, 3);
      assert.match(await guest.ok("ipmitool chassis power status"), /Chassis Power is on/);
      assert.equal(guest.exited, false);
    });
  },
);

e2eTest(
  "e2e api: a BMC added at run time (POST /api/v1/bmcs) serves a guest; DELETE removes it",
  async ({ kernel }) => {
    const bmc = await BmcProcess.start();
    try {
      const api = new ApiClient(bmc.apiUrl, null);
      const added = await api.json<{ id: string; vm: string }>("POST", "/api/v1/bmcs", {
        id: "n2",
        vm: { listen: "tcp:127.0.0.1:0" },
      });
      assert.equal(added.id, "n2");
      await bmc.log.waitFor(/"msg":"listening for QEMU".*"bmc":"n2"|"bmc":"n2".*"msg":"listening/, {
        timeoutMs: 10_000,
        what: "n2 listening",
        fromStart: true,
      });
      await withGuest({ kernel, iface: "kcs", bmc, attach: "n2" }, async ({ guest }) => {
        assert.match(await guest.ok("ipmitool mc info"), /Device ID/, "the guest finds n2");
        const list = await api.json<{ bmcs: { id: string; connected: boolean }[] }>(
          "GET",
          "/api/v1/bmcs",
        );
        assert.deepEqual(list.bmcs.map((b) => [b.id, b.connected]), [["bmc0", false], [
          "n2",
          true,
        ]]);
        const event = await api.json<Ev>(
          "GET",
          "/api/v1/bmcs/n2/events/wait?type=bmc.added&after=0&timeout=1s",
        );
        assert.equal(event.data.vm, added.vm);
        const removed = await api.json<{ removed: string }>("DELETE", "/api/v1/bmcs/n2");
        assert.equal(removed.removed, "n2");
        await bmc.log.waitFor(/"msg":"BMC removed"/, {
          timeoutMs: 10_000,
          what: "bmc.removed",
          fromStart: true,
        });
        const after = await api.json<{ bmcs: { id: string }[] }>("GET", "/api/v1/bmcs");
        assert.deepEqual(after.bmcs.map((b) => b.id), ["bmc0"]);
      });
    } finally {
      await bmc.stop();
    }
  },
);
