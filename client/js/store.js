// The one place state lives. Views read `store.state`; only the connection and
// the controller write it, through `update` and `setView`. Every change fires
// one "change" event.

// Seconds the server's clock is ahead of this phone's; countdowns use it so a
// phone with a wrong clock still shows the server's deadline truthfully.
let skew = 0;

/** The server's time now, in epoch seconds, as best this phone can tell. */
export function serverNow() {
  return Date.now() / 1000 + skew;
}

export class Store extends EventTarget {
  #state;

  constructor(initial) {
    super();
    this.#state = initial;
  }

  /** The current state; treat it as read-only. */
  get state() {
    return this.#state;
  }

  /** Merge `patch` (or `fn(state) -> patch`) into the state and announce the change. */
  update(patch) {
    const part = typeof patch === "function" ? patch(this.#state) : patch;
    this.#state = { ...this.#state, ...part };
    this.dispatchEvent(new Event("change"));
  }

  /** Merge `patch` into state.ui (screen-local choices that are not the server's). */
  ui(patch) {
    this.update((s) => ({ ui: { ...s.ui, ...(typeof patch === "function" ? patch(s.ui) : patch) } }));
  }

  /**
   * Hold `view` unless it is older than the one held for the same room; returns whether it was taken.
   * A private note does not raise the room's version (partners must not count notes), so among the
   * moderator's views of one version the one with more notes is the newer.
   */
  setView(view) {
    const held = this.#state.view;
    if (!view) return false;
    if (held && held.code === view.code) {
      if (view.version < held.version) return false;
      if (view.version === held.version && notesIn(view) < notesIn(held)) return false;
    }
    if (typeof view.server_time === "number") skew = view.server_time - Date.now() / 1000;
    this.update({ view });
    return true;
  }
}

function notesIn(view) {
  return view.session?.notes?.length ?? 0;
}

/** The state a page starts from. */
export function initialState(route) {
  return {
    route,                 // what the URL asked for: home, a join link, a moderator link
    conn: "connecting",    // connecting | online | offline
    seat: null,            // {code, seat, token, role, joinUrl} once this phone holds a seat
    resuming: false,
    view: null,            // the newest per-seat view from the server
    notice: null,          // {text, tone: "error" | "info"}
    pending: {},           // intent id -> type, while the server has not acked it
    waiting: 0,            // intents held until the connection is back
    ended: null,           // {by, code, role} after "end and erase"
    replaced: false,       // this seat was opened on another device
    exercises: null,       // the library list for the lobby
    feelings: null,        // the check-in word families
    timeline: null,        // the moderator's event log [{version, type, seat, at, exercise, step}], newest last
    timelineCode: null,    // the room the held timeline belongs to
    history: null,         // {pair, items: {id: day}}: what this couple has done, kept on this phone (effects/memory.js)
    safety: null,          // the safety page's lines and exit address from /api/safety ("error" if unloaded)
    ui: { safety: false, homeTab: null, plan: [], builder: false, open: {}, family: {}, promptKind: "prompt" },
  };
}
