/**
 * The dashboard: the rack (`#/`) and one BMC (`#/bmc/<id>`), kept live by
 * the event stream.
 *
 * @module
 */

import { h, render } from "preact";
import { useEffect, useState } from "preact/hooks";
import htm from "htm";
import { Store } from "./store.js";
import { config } from "./config.js";
import { followEvents } from "./live.js";
import { RackView } from "./rack_view.js";
import { BmcView } from "./bmc_view.js";

/** `html` tagged templates for Preact. */
export const html = htm.bind(h);

const store = new Store();

function route() {
  const m = /^#\/bmc\/(.+)$/.exec(location.hash);
  return m === null ? null : decodeURIComponent(m[1]);
}

function App() {
  const [, setVersion] = useState(0);
  const [bmc, setBmc] = useState(route());
  useEffect(() => store.subscribe(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    const onHash = () => setBmc(route());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  useEffect(() => {
    store.focus = bmc;
    if (bmc !== null) store.refresh(bmc);
    document.title = bmc === null ? "bmc-emu rack" : `bmc-emu ${bmc}`;
  }, [bmc]);
  return html`
    <header class="top">
      <a href="#/" class="brand">bmc-emu</a>
      <span class="stream stream-${store.stream}" role="status">events: ${store.stream}</span>
    </header>
    <main>
      ${bmc === null
        ? html`<${RackView} store=${store} />`
        : html`<${BmcView} store=${store} id=${bmc} />`}
    </main>
  `;
}

store.load();
followEvents(store, config.eventTypes ?? []);
const root = document.getElementById("app");
root.textContent = "";
render(html`<${App} />`, root);
