/**
 * The live event stream: `EventSource` on `/api/v1/events`, which resends
 * `Last-Event-ID` when it reconnects by itself; when the browser gives up
 * (the server answered an error, or restarted), a new stream is opened
 * after a pause with `?lastEventId=` so nothing in between is missed. A
 * server whose newest id is below the page's has restarted: its retained
 * events are replayed from the start.
 *
 * @module
 */

import { addTraffic } from "./traffic.js";

/** Types the dashboard follows (IPMI exchanges are too many to draw). */
function followed(/** @type {string[]} */ types) {
  return types.filter((t) => !t.startsWith("ipmi."));
}

/**
 * Follow the events.
 *
 * @param {import("./store.js").Store} store Where events go.
 * @param {string[]} types Every event type of the catalogue.
 * @returns {() => void} Stop.
 */
export function followEvents(store, types) {
  const wanted = followed(types);
  /** @type {EventSource | null} */
  let source = null;
  let stopped = false;
  let retryMs = 500;
  const open = () => {
    if (stopped) return;
    const url = `/api/v1/events?types=${wanted.join(",")}&lastEventId=${store.lastEventId}`;
    const es = new EventSource(url);
    source = es;
    store.stream = "connecting";
    es.addEventListener("stream.open", (/** @type {MessageEvent} */ m) => {
      let newest = Infinity;
      try {
        newest = Number(JSON.parse(m.data).lastEventId);
      } catch {
        // no id: take the stream as it is
      }
      if (newest < store.lastEventId) {
        // Ids went backwards: a new server process. Replay everything it kept.
        store.lastEventId = 0;
        es.close();
        open();
        return;
      }
      retryMs = 500;
      store.stream = "open";
      store.load();
    });
    es.addEventListener("stream.gap", () => store.load());
    const onEvent = (/** @type {MessageEvent} */ m) => {
      try {
        store.onEvent(JSON.parse(m.data));
      } catch {
        // a malformed event is skipped
      }
    };
    for (const t of wanted) es.addEventListener(t, onEvent);
    es.onerror = () => {
      store.stream = "down";
      store.changed();
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 10_000);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    source?.close();
  };
}

/** The per-request events the chart draws. */
const TRAFFIC_TYPES = ["ipmi.request", "ipmi.response"];

/**
 * Follow one BMC's IPMI traffic for its chart (requests per second, reply
 * latency), from the retained exchanges on: a stream of `ipmi.request` and
 * `ipmi.response` only, while the BMC is in view. It goes into
 * `store.traffic(id)`; the view's ticker draws it.
 *
 * @param {import("./store.js").Store} store The store.
 * @param {string} id BMC id.
 * @returns {() => void} Stop.
 */
export function followTraffic(store, id) {
  const traffic = store.traffic(id);
  const es = new EventSource(
    `/api/v1/bmcs/${encodeURIComponent(id)}/events?types=${TRAFFIC_TYPES.join(",")}&lastEventId=0`,
  );
  const onEvent = (/** @type {MessageEvent} */ m) => {
    try {
      addTraffic(traffic, JSON.parse(m.data));
    } catch {
      // a malformed event is skipped
    }
  };
  for (const t of TRAFFIC_TYPES) es.addEventListener(t, onEvent);
  return () => es.close();
}
