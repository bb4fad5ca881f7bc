// Boot: read the address, make the store, connect, draw, and run the few side
// effects that follow the state (banner, announcements, wake lock, timers).

import { buzz, keepAwake } from "./device.js";
import { loadExercises, loadFeelings } from "./library.js";
import { mount, screenOf } from "./render.js";
import { parseRoute } from "./route.js";
import { createConnection } from "./socket.js";
import * as storage from "./storage.js";
import { Store, initialState, serverNow } from "./store.js";
import { wire } from "./controller.js";
import { turnOf } from "./views/exercise.js";
import { clock, nameOf, otherSeat } from "./words.js";

const route = parseRoute(window.location);
const store = new Store(initialState(route));
const conn = createConnection(store);

wire(store, conn, {
  end: document.querySelector("[data-confirm-end]"),
  session: document.querySelector("[data-confirm-session]"),
});
mount(document.getElementById("app"), store);

// --- side effects that follow the state ------------------------------------

const banner = document.querySelector("[data-banner]");
const live = document.querySelector("[data-announcer]");
let lastTurn = null;
let lastMine = false;
let lastPartner = null;
let lastScreen = null;
let lastPrompt = null;
let timelineOf = null;

const SCREEN_NEWS = {
  summary: "The session is complete. Choose whether to keep what you wrote.",
  ended: "The session has ended and everything in it was erased.",
  replaced: "This session was opened on another device.",
};

function announce(text) {
  // Re-setting the same text is not announced again; clear first.
  live.textContent = "";
  window.setTimeout(() => { live.textContent = text; }, 50);
}

function follow() {
  const state = store.state;

  const offline = state.conn !== "online";
  let text = "";
  if (offline && state.seat) text = "Reconnecting… your place and your words are kept.";
  else if (offline && state.conn === "offline") text = "You're offline. Check your connection.";
  else if (state.waiting > 0) text = "Sending what you wrote…";
  banner.hidden = !text;
  banner.querySelector("[data-banner-text]").textContent = text;
  document.documentElement.classList.toggle("has-banner", Boolean(text));

  const view = state.view;
  if (view && (state.exercises === null || state.feelings === null)) {
    queueMicrotask(() => {
      loadExercises(store);
      loadFeelings(store);
    });
  }

  const screen = screenOf(state);
  if (screen !== lastScreen && lastScreen !== null && SCREEN_NEWS[screen]) announce(SCREEN_NEWS[screen]);
  lastScreen = screen;

  const turn = screen === "exercise" ? turnOf(state) : null;
  if (turn && turn.key !== lastTurn) {
    lastTurn = turn.key;
    if (turn.turn) announce(turn.turn);
    if (turn.mine && !lastMine) buzz();
  }
  if (!turn) lastTurn = null;
  lastMine = Boolean(turn?.mine);

  // A partner phone follows the other partner; the moderator follows both.
  const moderator = view?.you.role === "moderator";
  const watched = !view ? [] : moderator ? ["partner_a", "partner_b"] : [otherSeat(view)];
  const partnerKeys = watched.map((seat) => {
    const held = view.seats[seat];
    return held ? `${held.name}:${held.presence}` : "";
  });
  if (view && lastPartner !== null) {
    watched.forEach((seat, i) => {
      const held = view.seats[seat];
      if (!held || partnerKeys[i] === lastPartner[i]) return;
      if (held.presence === "online") announce(`${nameOf(view, seat)} is here.`);
      else if (held.presence === "away") announce(`${nameOf(view, seat)}'s phone is away.`);
    });
  }
  lastPartner = view ? partnerKeys : null;

  // A prompt or card from the moderator is news on both phones.
  const prompt = view?.session?.prompts?.at(-1);
  const promptKey = prompt ? `${prompt.at}` : "";
  if (view && !moderator && lastPrompt !== null && promptKey && promptKey !== lastPrompt) {
    announce(`From ${nameOf(view, "moderator")}: ${prompt.text}`);
    buzz();
  }
  lastPrompt = view ? promptKey : null;

  // The moderator's timeline is fetched again whenever a new view arrives
  // (a new private note is a new view of the same version).
  const timelineKey = view ? `${view.version}:${view.session?.notes?.length ?? 0}` : null;
  if (moderator && timelineKey !== timelineOf) {
    timelineOf = timelineKey;
    queueMicrotask(() => conn.refreshTimeline());
  }
  if (!view) timelineOf = null;

  keepAwake(view?.session?.phase === "running");
}

store.addEventListener("change", follow);

// Count down to the server's deadline; the server ends the turn, not this.
window.setInterval(() => {
  for (const el of document.querySelectorAll("[data-deadline]")) {
    el.textContent = clock(Number(el.dataset.deadline) - serverNow());
  }
}, 500);

// --- start -------------------------------------------------------------------

// Drafts older than a room can live belong to a room that is gone.
storage.pruneDrafts();

let seat = null;
if (route.kind === "moderator") {
  seat = storage.seatFor("moderator", route.code);
  if (seat && route.secret) {
    // Resuming: the secret stays in memory (a refused token falls back to
    // joining with it) but leaves the address bar and the history at once.
    try {
      window.history.replaceState(null, "", `/m/${route.code}`);
    } catch {
      // some embedded browsers refuse; nothing else depends on it
    }
    if (!seat.moderatorUrl) {
      seat = { ...seat, moderatorUrl: `${window.location.origin}/m/${route.code}#${encodeURIComponent(route.secret)}` };
      storage.saveSeat(seat);
    }
  }
} else if (route.kind === "join") seat = storage.seatFor("partner", route.code);
if (seat) conn.useSeat(seat);
else store.update({ resumable: storage.lastSeat() });
conn.start();
follow();
// Offer to continue only a session that is still there (asked without coming online in it).
if (!seat && store.state.resumable) conn.checkSeat(store.state.resumable);
