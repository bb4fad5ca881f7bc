// Turns taps and typing into store updates and server calls. Views mark their
// controls with data-action / data-change / data-draft; this is the one place
// that listens (event delegation on the document). What each action does is in
// the action maps (actions/*.js, and each step kind's ACTIONS), all called as
// (el, api) with the `api` built here.

import * as planActions from "./actions/plan.js";
import * as safetyActions from "./actions/safety.js";
import * as callActions from "./call/session.js";
import * as seatActions from "./actions/seat.js";
import * as sessionActions from "./actions/session.js";
import * as voiceActions from "./actions/voice.js";
import { errorText } from "./messages.js";
import * as storage from "./storage.js";
import { stepCtx } from "./views/exercise.js";
import { nudgeField } from "./views/steps/controls.js";
import { STEP_ACTIONS } from "./views/steps/index.js";

/** One map from several; an action two maps name is a mistake. */
function merged(...maps) {
  const out = {};
  for (const map of maps) {
    for (const [name, act] of Object.entries(map || {})) {
      if (name in out) throw new Error(`controller: the action "${name}" is declared twice`);
      out[name] = act;
    }
  }
  return out;
}

const MAPS = [sessionActions, seatActions, planActions, callActions, safetyActions, voiceActions];
const CLICKS = merged(...MAPS.map((m) => m.click), STEP_ACTIONS);
const SUBMITS = merged(...MAPS.map((m) => m.submit));
const CHANGES = merged(...MAPS.map((m) => m.change));

/** Listen to the page and act for the person using it; `dialogs` are the confirmations ({end, session, leave, erase}). */
export function wire(store, conn, dialogs) {
  const code = () => store.state.view?.code || store.state.seat?.code;
  const moderator = () => store.state.seat?.role === "moderator";

  function say(text, tone = "error") {
    store.update({ notice: { text, tone } });
  }

  function go(path, route) {
    try {
      window.history.replaceState(null, "", path);
    } catch {
      // some embedded browsers refuse; the screen is right anyway
    }
    if (route) store.update({ route });
  }

  /** Send an intent; clear the given drafts only once the server has it. */
  async function send(type, fields = {}, drafts = []) {
    store.update({ notice: null });
    const roomCode = code();
    const ack = await conn.intent(type, fields);
    if (ack.ok) {
      for (const key of drafts) storage.clearDraft(roomCode, key);
      store.update({}); // redraw without the sent text
    } else {
      say(errorText(ack.error, { moderator: moderator() }), ack.error?.code === "stale" ? "info" : "error");
    }
    return ack;
  }

  function openKey(key, value) {
    store.ui((ui) => ({ open: { ...ui.open, [key]: value } }));
  }

  /** What every action may use. */
  const api = {
    store, conn, dialogs, send, say, go, code, moderator, openKey,
    ctx: () => stepCtx(store.state),
  };

  document.addEventListener("click", (event) => {
    const el = event.target.closest("[data-action]");
    if (!el || el.tagName === "FORM" || el.disabled) return;
    const act = CLICKS[el.dataset.action];
    if (!act) return;
    event.preventDefault();
    act(el, api);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-action]");
    if (!form) return;
    event.preventDefault();
    SUBMITS[form.dataset.action]?.(form, api);
  });

  document.addEventListener("input", (event) => {
    const el = event.target;
    const scope = el.dataset?.scope || code();
    if (el.dataset?.draft && scope) storage.saveDraft(scope, el.dataset.draft, el.value);
    if (el.dataset?.nudge) nudgeField(el);
  });

  document.addEventListener("change", (event) => {
    const el = event.target;
    if (el.dataset?.change) CHANGES[el.dataset.change]?.(el, api);
  });

  // <details> open state lives in the store so a redraw keeps it open.
  document.addEventListener("toggle", (event) => {
    const el = event.target;
    if (el.tagName === "DETAILS" && el.dataset.open && Boolean(store.state.ui.open?.[el.dataset.open]) !== el.open) {
      openKey(el.dataset.open, el.open);
    }
  }, true);

  document.addEventListener("focusin", (event) => {
    if (event.target.dataset?.selectAll) event.target.select();
  });
}
