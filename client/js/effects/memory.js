// What this couple has done, remembered on this phone (storage.js, "history"):
// the exercises they went through and the cards they saw, with the day, ids
// only. In the lobby the phone offers that list (offer_seen) so the server deals
// cards neither phone has seen first; the lobby marks exercises "new" or "done
// on". state.history is {pair, items} for the two partners in the room.

import * as storage from "../storage.js";

const PARTNERS = ["partner_a", "partner_b"];

/** The key of the two partners in `view` (their names, in either order), or null. */
export function pairOf(view) {
  if (!view || !PARTNERS.includes(view.you?.seat)) return null;
  const names = PARTNERS.map((seat) => view.seats?.[seat]?.name);
  if (names.some((name) => typeof name !== "string" || !name.trim())) return null;
  return names.map((name) => name.trim().toLowerCase()).sort().join("\u2022");
}

/** Today on this phone's calendar, as YYYY-MM-DD. */
export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The ids `view` shows as done: exercises passed (not skipped or stopped) and the card on the table. */
function doneIn(view) {
  const sess = view.session;
  if (!sess || sess.phase === "lobby") return [];
  const ex = sess.exercise;
  const upTo = sess.phase === "summary" ? sess.plan.length : ex ? ex.index : 0;
  const stopped = new Set(sess.stopped || []);
  const ids = sess.plan.slice(0, upTo).filter((item, i) => !item.skipped && !stopped.has(i)).map((item) => item.exercise);
  const card = ex?.step?.card?.id;
  if (card) ids.push(`${ex.id}/${card}`);
  return ids;
}

export function start(store, conn) {
  let offered = null; // room and list last offered, so each is sent once
  const follow = () => {
    const { view, history } = store.state;
    const pair = pairOf(view);
    if (!pair) return;
    let items = history?.pair === pair ? history.items : storage.loadHistory(pair);
    const day = today();
    const fresh = doneIn(view).filter((id) => !items[id]);
    if (fresh.length) {
      items = { ...items, ...Object.fromEntries(fresh.map((id) => [id, day])) };
      storage.saveHistory(pair, items);
    }
    if (history?.pair !== pair || history.items !== items) store.update({ history: { pair, items } });
    const seen = Object.entries(items).map(([id, on]) => ({ id, on })).slice(0, 500);
    const mark = `${view.code}|${pair}|${JSON.stringify(seen)}`;
    if (view.session?.phase === "lobby" && view.can?.includes("offer_seen") && offered !== mark) {
      offered = mark;
      conn.intent("offer_seen", { seen });
    }
  };
  store.addEventListener("change", follow);
  return follow;
}

/** Forget what this phone remembers of the pair in the room (after the person confirmed). */
export function forget(store) {
  const pair = pairOf(store.state.view);
  if (!pair) return;
  storage.forgetHistory(pair);
  store.update({ history: { pair, items: {} } });
}
