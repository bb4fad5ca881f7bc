// The intents on their way, each kept until the server acks it: held while
// the connection is away, sent again once after a reconnect under the SAME id
// (so the server applies it at most once), then given up with "not_sent".
// socket.js owns the socket; this owns the queue.

const MAX_ATTEMPTS = 2;
// An overloaded server sheds an event with `busy` (or a runaway page meets
// `rate_limited`), both with `retry_after` seconds: the intent waits that long
// (plus a little, so a crowd of phones does not return in one instant) and
// goes again under its id, this many times at most.
const MAX_SHED = 5;
const MAX_WAIT_S = 10;

/** Seconds to wait before sending a shed call again, or null if `ack` is not a retryable refusal. */
export function shedDelay(ack, tries, random = Math.random) {
  const code = ack && !ack.ok ? ack.error?.code : null;
  const after = ack?.error?.retry_after;
  if ((code !== "busy" && code !== "rate_limited") || typeof after !== "number" || tries >= MAX_SHED) return null;
  return Math.min(after, MAX_WAIT_S) * (1 + random() / 2);
}

/** An ack made here for a call that never got the server's. */
export function clientError(code) {
  return { ok: false, error: { code } };
}

/**
 * `call(event, payload)` -> ack; `connected()` whether the socket is; `open()` whether intents may go
 * now (connected and seated). Returns {add(payload) -> Promise<ack>, flush(), failAll(code)}.
 */
export function createOutbox(store, call, connected, open) {
  const outbox = new Map(); // intent id -> {payload, attempts, shed, inflight, resolve}

  function syncPending() {
    const pending = {};
    let waiting = 0;
    for (const [id, entry] of outbox) {
      pending[id] = entry.payload.type;
      if (!entry.inflight) waiting += 1;
    }
    store.update({ pending, waiting });
  }

  function finish(entry, ack) {
    outbox.delete(entry.payload.id);
    syncPending();
    entry.resolve(ack);
  }

  async function transmit(entry) {
    if (entry.inflight || !outbox.has(entry.payload.id)) return;
    entry.attempts += 1;
    entry.inflight = true;
    syncPending();
    const ack = await call("intent", entry.payload);
    entry.inflight = false;
    if (!outbox.has(entry.payload.id)) return;
    const code = ack.ok ? null : ack.error?.code;
    if (code === "offline" || code === "timeout") {
      if (entry.attempts >= MAX_ATTEMPTS) {
        finish(entry, clientError("not_sent"));
      } else if (code === "timeout" && connected()) {
        transmit(entry); // the same id: if the first one did land, the server says duplicate
      } else {
        syncPending(); // held until the connection is back (see flush)
      }
      return;
    }
    const wait = shedDelay(ack, entry.shed);
    if (wait !== null) {
      entry.shed += 1;
      entry.inflight = true; // still on its way: not sent again by a flush meanwhile
      setTimeout(() => { entry.inflight = false; if (open()) transmit(entry); else syncPending(); }, wait * 1000);
      return;
    }
    // The server counts only intents, not presence, as making a view stale:
    // a stale ack means the partner really moved, so show where things are.
    if (code === "stale" && ack.view) store.setView(ack.view);
    // An applied intent sent with ack_view: this seat's new view rides on the ack (no push of its own).
    if (ack.ok && ack.view) store.setView(ack.view);
    finish(entry, ack);
  }

  function flush() {
    for (const entry of outbox.values()) transmit(entry);
  }

  function failAll(code) {
    for (const entry of [...outbox.values()]) finish(entry, clientError(code));
  }

  function add(payload) {
    return new Promise((resolve) => {
      const entry = { payload, attempts: 0, shed: 0, inflight: false, resolve };
      outbox.set(payload.id, entry);
      syncPending();
      if (open()) transmit(entry);
    });
  }

  return { add, flush, failAll };
}
