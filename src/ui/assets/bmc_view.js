/**
 * One BMC: its state, the time line, controls, fault rules, sensors and
 * the SEL.
 *
 * @module
 */

import { h } from "preact";
import { useEffect } from "preact/hooks";
import htm from "htm";
import { useTicker, Watchdog } from "./rack_view.js";
import { TimelineView } from "./timeline_view.js";
import { Controls } from "./controls.js";
import { FaultForm } from "./fault_form.js";
import { SensorTable } from "./sensor_table.js";
import { SelTable } from "./sel_table.js";
import { GuestPanel } from "./guest_panel.js";
import { followTraffic } from "./live.js";

const html = htm.bind(h);

/** The BMC view. */
export function BmcView({ store, id }) {
  const now = useTicker(250);
  useEffect(() => {
    store.traffic(id).clear();
    return followTraffic(store, id);
  }, [id]);
  const bmc = store.bmcs.get(id);
  if (bmc === undefined) {
    return html`<p>No BMC <code>${id}</code> (yet). <a href="#/">Back to the rack</a></p>`;
  }
  const d = bmc.detail;
  return html`
    <nav><a href="#/">← Rack</a></nav>
    <h1 data-bmc-view=${id}>${id} <small>${d?.profile ?? ""}</small></h1>
    <p class="facts">
      VM ${d?.connection?.connected ? "connected" : "not connected"} ·
      power <span class="power">${d?.power?.state ?? "–"}</span> ·
      watchdog <${Watchdog} bmc=${bmc} now=${now} /> ·
      ${d?.requestsServed ?? 0} requests
      ${d?.hang ? ` · hang: ${d.hang.mode}` : ""}${d?.reset ? " · resetting" : ""}
    </p>
    <${TimelineView} bmc=${bmc} now=${now} traffic=${store.traffic(id)} />
    <section aria-labelledby="ctl-h">
      <h2 id="ctl-h">Controls</h2>
      <${Controls} id=${id} detail=${d} />
    </section>
    <section aria-labelledby="fr-h">
      <h2 id="fr-h">Fault rules</h2>
      <${FaultForm} id=${id} rules=${bmc.faults ?? d?.faults} />
    </section>
    <section aria-labelledby="sn-h">
      <h2 id="sn-h">Sensors</h2>
      <${SensorTable} id=${id} sensors=${bmc.sensors} />
    </section>
    <section aria-labelledby="gu-h">
      <h2 id="gu-h">Guest</h2>
      <${GuestPanel} bmc=${bmc} />
    </section>
    <section aria-labelledby="sel-h">
      <h2 id="sel-h">SEL</h2>
      <${SelTable} sel=${bmc.sel} />
    </section>
  `;
}
