// The promises and intentions a partner chose to keep for the couple's next
// check-in, remembered on that partner's phone only (storage.js, "promises").
// Kept from the summary, one by one and only one's own ("Keep this for our next
// check-in"); brought back in a later lobby with offer_promises when the plan
// holds a step that looks back (unless the person says "Not this time");
// after that step, its marks decide: kept or let go -> forgotten, partly or
// not yet -> kept for next time. state.promises is {pair, items, looksBack}.

import * as storage from "../storage.js";
import { bringsBack, broughtBackIn } from "../views/steps/index.js";
import { pairOf, today } from "./memory.js";

// Marks after which the phone lets a promise go; any other (partly, not yet) keeps it for next time.
const DONE_WITH = new Set(["kept", "let_go"]);

/** Whether the plan in the lobby (the one proposed, or the one being picked) has a step that looks back. */
function planLooksBack(state) {
  const sess = state.view?.session;
  if (!sess || !Array.isArray(state.exercises)) return false;
  const ids = (sess.plan.length ? sess.plan : state.ui.plan || []).map((item) => item.exercise);
  return ids.some((id) => state.exercises.find((ex) => ex.id === id)?.steps?.some((s) => bringsBack(s.kind)));
}

const same = (p, q) => p.text === q.text && (p.made_on || null) === (q.made_on || null);

/** This phone's promises after the look back on the table: `mine` are the ones it shows of this seat. */
function settle(items, mine) {
  let out = items;
  for (const p of mine) {
    const held = out.some((q) => same(q, p));
    if (DONE_WITH.has(p.mark) && held) out = out.filter((q) => !same(q, p));
    // A mark changed back from kept to "not yet" brings it back to the phone, with its first day.
    else if ((p.mark === "partly" || p.mark === "not_yet") && !held && out.length < storage.PROMISES_MAX) {
      out = [...out, { text: p.text, made_on: p.made_on || today() }];
    }
  }
  return out;
}

export function start(store, conn) {
  let offered = null; // room, pair and list last offered, so each is sent once
  const brought = new Set(); // rooms this phone offered promises in (only there is an empty list news)
  const follow = () => {
    const state = store.state;
    const { view } = state;
    const pair = pairOf(view);
    if (!pair) return;
    const held = state.promises?.pair === pair ? state.promises.items : storage.loadPromises(pair);
    const step = view.session?.exercise?.step;
    const items = settle(held, broughtBackIn(step).filter((p) => p.by === view.you.seat));
    if (items !== held) storage.savePromises(pair, items);
    const looksBack = view.session?.phase === "lobby" && planLooksBack(state);
    const now = state.promises;
    if (now?.pair !== pair || now.items !== items || now.looksBack !== looksBack) {
      store.update({ promises: { pair, items, looksBack } });
    }
    if (view.session?.phase !== "lobby" || !view.can?.includes("offer_promises")) return;
    const bring = looksBack && state.promisesHeld !== view.code ? items : [];
    const list = bring.map(({ text, made_on }) => ({ text, made_on }));
    const mark = `${view.code}|${pair}|${JSON.stringify(list)}`;
    if (offered === mark) return;
    offered = mark;
    // Nothing to bring and nothing brought yet in this room: no need to say so.
    if (!list.length && !brought.has(view.code)) return;
    if (list.length) brought.add(view.code);
    conn.intent("offer_promises", { promises: list }).then((ack) => {
      // In the lobby every change is news, so an offer crossing another one is stale: offer again.
      if (ack?.error?.code === "stale" && offered === mark) {
        offered = null;
        follow();
      }
    });
  };
  store.addEventListener("change", follow);
  return follow;
}

/** Whether the summary entry `entry` is kept on this phone for the next check-in. */
export function isKept(state, entry) {
  return Boolean(state.promises?.items.some((p) => p.at === entry.at && p.text === storage.promiseText(entry.text)));
}

/** Keep (or, kept already, let go of) one of this seat's own promises from the summary. */
export function toggle(store, entry) {
  const { view, promises } = store.state;
  const pair = pairOf(view);
  if (!pair || !entry?.promise || entry.seat !== view.you.seat || promises?.pair !== pair) return;
  const text = storage.promiseText(entry.text);
  const kept = isKept(store.state, entry);
  if (!kept && promises.items.length >= storage.PROMISES_MAX) return;
  const items = kept ? promises.items.filter((p) => !(p.at === entry.at && p.text === text))
    : [...promises.items, { text, made_on: today(), at: entry.at }];
  storage.savePromises(pair, items);
  store.update({ promises: { ...promises, items } });
}

/** "Not this time" / "Bring them back": whether this room's lobby brings this phone's promises. */
export function hold(store, holding) {
  store.update({ promisesHeld: holding ? store.state.view?.code ?? null : null });
}

/** Forget the pair's promises on this phone (with "Forget our history"). */
export function forget(store) {
  const pair = pairOf(store.state.view);
  if (!pair) return;
  storage.savePromises(pair, []);
  store.update({ promises: { ...(store.state.promises || {}), pair, items: [] } });
}
