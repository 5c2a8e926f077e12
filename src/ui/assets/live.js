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

/** Seconds of request counts kept (the longest chart window). */
const RATE_SECONDS = 3600;

/**
 * Count one BMC's IPMI requests per second for its chart, from the
 * retained ones on: a stream of `ipmi.request` only, while the BMC is in
 * view. The counts go into `store.requests(id)`; the view's ticker draws them.
 *
 * @param {import("./store.js").Store} store The store.
 * @param {string} id BMC id.
 * @returns {() => void} Stop.
 */
export function followRequests(store, id) {
  const counts = store.requests(id);
  const es = new EventSource(
    `/api/v1/bmcs/${encodeURIComponent(id)}/events?types=ipmi.request&lastEventId=0`,
  );
  es.addEventListener("ipmi.request", (/** @type {MessageEvent} */ m) => {
    try {
      const sec = Math.floor(Date.parse(JSON.parse(m.data).time) / 1000);
      if (Number.isNaN(sec)) return;
      counts.set(sec, (counts.get(sec) ?? 0) + 1);
      if (counts.size > RATE_SECONDS) {
        for (const k of counts.keys()) if (k < sec - RATE_SECONDS) counts.delete(k);
      }
    } catch {
      // a malformed event is skipped
    }
  });
  return () => es.close();
}
