// While the person on this phone is choosing a plan, the other phone says so ("Ana is
// choosing…"): the `choosing` intent, sent when what the lobby shows here and what the
// room last heard from this seat differ, once per change.

import { choosingPlan } from "../views/lobby.js";

export function start(store, conn) {
  let sent = null; // the value on its way (or refused), so each change is sent once
  const follow = () => {
    const { view } = store.state;
    if (!view || view.session?.phase !== "lobby" || !view.can?.includes("choosing")) {
      sent = null;
      return;
    }
    const want = choosingPlan(store.state);
    const told = (view.session.choosing || []).includes(view.you.seat);
    if (want === told) {
      sent = null;
      return;
    }
    if (sent === want) return;
    sent = want;
    conn.intent("choosing", { on: want });
  };
  store.addEventListener("change", follow);
  return follow;
}
