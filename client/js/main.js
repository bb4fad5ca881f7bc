// Boot: read the address, make the store, connect, draw, and start the few
// side effects that follow the state (effects/*.js: banner, announcements,
// wake lock, timers, the cool-down's breathing, the plan draft, the moderator's timeline, "is choosing…",
// the couple's history and the promises kept on this phone).

import * as call from "./call/session.js";
import { wire } from "./controller.js";
import * as banner from "./effects/banner.js";
import * as breath from "./effects/breath.js";
import * as choosing from "./effects/choosing.js";
import * as countdown from "./effects/countdown.js";
import * as library from "./effects/library.js";
import * as memory from "./effects/memory.js";
import * as planDraft from "./effects/plan-draft.js";
import * as promises from "./effects/promises.js";
import * as presence from "./effects/presence.js";
import * as prompts from "./effects/prompts.js";
import * as screens from "./effects/screens.js";
import * as timeline from "./effects/timeline.js";
import * as turns from "./effects/turns.js";
import * as wake from "./effects/wake.js";
import { loadSafety } from "./library.js";
import { mount } from "./render.js";
import { parseRoute, pathFor } from "./route.js";
import { createConnection } from "./socket.js";
import * as storage from "./storage.js";
import { Store, initialState } from "./store.js";

const route = parseRoute(window.location);
const store = new Store(initialState(route));
const conn = createConnection(store);

// The plan draft listens before the screen is drawn, as it restores a kept plan.
planDraft.start(store, conn);
wire(store, conn, {
  end: document.querySelector("[data-confirm-end]"),
  session: document.querySelector("[data-confirm-session]"),
  leave: document.querySelector("[data-confirm-leave]"),
  erase: document.querySelector("[data-confirm-erase]"),
});
mount(document.getElementById("app"), store);

// In this order: each follows every change, and once more at the start.
const follows = [banner, library, memory, promises, choosing, screens, turns, presence, prompts, timeline, wake, countdown, call, breath]
  .map((effect) => effect.start(store, conn));

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
      window.history.replaceState(null, "", pathFor("moderator", route.code));
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
loadSafety(store);
for (const follow of follows) follow();
// Offer to continue only a session that is still there (asked without coming online in it).
if (!seat && store.state.resumable) conn.checkSeat(store.state.resumable);
