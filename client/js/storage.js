// What must survive a locked phone or a reload: the seat's token, and every
// half-typed text. localStorage can be missing or full (private browsing), so
// every access is guarded: losing a draft is bad, crashing the page is worse.
// Nothing outlives its use: drafts are stamped when written and dropped once
// older than a room can live, and an ended room's seat goes with its drafts.

const PREFIX = "attune:";

/** How long a draft is kept: a room lives 24 hours after its last change (ROOM_TTL). */
export const DRAFT_MAX_AGE_MS = 24 * 3600 * 1000;

// Drafts that are not words a person wrote: the plan being built, a dismissed
// prompt, the feeling words picked (they are sent as a list, not as text).
const NOT_WORDS = /^(plan|prompt\.dismissed)$|\.picks$/;

function read(key) {
  try {
    const raw = window.localStorage.getItem(PREFIX + key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the session still works, only without recovery.
  }
}

function remove(key) {
  try {
    window.localStorage.removeItem(PREFIX + key);
  } catch {
    // as above
  }
}

function keys(start) {
  const found = [];
  try {
    for (let i = 0; i < window.localStorage.length; i += 1) {
      const key = window.localStorage.key(i);
      if (key && key.startsWith(PREFIX + start)) found.push(key.slice(PREFIX.length));
    }
  } catch {
    // as above
  }
  return found;
}

/** Remember the seat this phone holds ({code, seat, token, role, joinUrl}). */
export function saveSeat(seat) {
  write(`seat:${seat.role}:${seat.code}`, seat);
  write("last", { code: seat.code, role: seat.role });
}

/** The seat this phone holds in room `code` as `role`, or null. */
export function seatFor(role, code) {
  return code ? read(`seat:${role}:${code}`) : null;
}

/** The seat this phone used last, or null. */
export function lastSeat() {
  const last = read("last");
  return last ? seatFor(last.role, last.code) : null;
}

/** Forget a seat (left, ended, or refused by the server) and every draft of its room. */
export function forgetSeat(seat) {
  if (!seat) return;
  remove(`seat:${seat.role}:${seat.code}`);
  const last = read("last");
  if (last && last.code === seat.code && last.role === seat.role) remove("last");
  clearDrafts(seat.code);
}

// A draft is kept as {text, at}; pages from before the stamp wrote a bare string.
function draftText(value) {
  if (typeof value === "string") return value;
  return value && typeof value === "object" && typeof value.text === "string" ? value.text : "";
}

/** The draft saved under `key` in room `code`, or "" when there is none. */
export function loadDraft(code, key) {
  return draftText(read(`draft:${code}:${key}`));
}

/** Save a draft with the time it was written; an empty one is removed. */
export function saveDraft(code, key, value) {
  if (value === "" || value === null || value === undefined) remove(`draft:${code}:${key}`);
  else write(`draft:${code}:${key}`, { text: String(value), at: Date.now() });
}

/**
 * Drop every draft older than DRAFT_MAX_AGE_MS (its room is gone by now). A
 * draft without a stamp, from an older page, is stamped now rather than lost.
 */
export function pruneDrafts(now = Date.now()) {
  for (const key of keys("draft:")) {
    const value = read(key);
    const at = value && typeof value === "object" ? value.at : undefined;
    if (typeof at !== "number" || !Number.isFinite(at)) {
      if (typeof value === "string") write(key, { text: value, at: now });
      else if (value && typeof value === "object") write(key, { ...value, at: now });
      else remove(key);
    } else if (now - at > DRAFT_MAX_AGE_MS) {
      remove(key);
    }
  }
}

/** The words typed in room `code` that never reached the server, oldest first. */
export function unsentWords(code) {
  const start = `draft:${code}:`;
  return keys(start)
    .filter((key) => !NOT_WORDS.test(key.slice(start.length)))
    .map((key) => {
      const value = read(key);
      return { text: draftText(value).trim(), at: value && typeof value === "object" ? Number(value.at) || 0 : 0 };
    })
    .filter((draft) => draft.text)
    .sort((x, y) => x.at - y.at)
    .map((draft) => draft.text);
}

/** Remove one draft (its text reached the server). */
export function clearDraft(code, key) {
  remove(`draft:${code}:${key}`);
}

/** Remove every draft of a room. */
export function clearDrafts(code) {
  for (const key of keys(`draft:${code}:`)) remove(key);
}

/** The plan being put together in room `code`: {plan: [{exercise, options}], builder}, or null. */
export function loadPlan(code) {
  const kept = read(`draft:${code}:plan`);
  if (!kept || typeof kept !== "object" || !Array.isArray(kept.plan)) return null;
  const plan = kept.plan
    .filter((p) => p && typeof p.exercise === "string")
    .map((p) => ({ exercise: p.exercise, options: p.options && typeof p.options === "object" ? { ...p.options } : {} }));
  return { plan, builder: kept.builder === true };
}

/** Keep the plan being put together; an empty, closed one is removed. */
export function savePlan(code, { plan, builder }) {
  if (!plan.length && !builder) remove(`draft:${code}:plan`);
  else write(`draft:${code}:plan`, { plan, builder: Boolean(builder), at: Date.now() });
}

// What this couple has done, on this phone only: {id: "YYYY-MM-DD"} per exercise id and
// "exercise/card", under the pair's names so two different partners on one phone do not mix.
const HISTORY_MAX = 500;

/** The history kept for the pair `pair` ({id: day}), or {}. */
export function loadHistory(pair) {
  const kept = pair ? read(`history:${pair}`) : null;
  if (!kept || typeof kept !== "object" || Array.isArray(kept)) return {};
  return Object.fromEntries(Object.entries(kept).filter(([id, day]) => typeof id === "string" && /^\d{4}-\d{2}-\d{2}$/.test(day)));
}

/** Keep the pair's history, the newest HISTORY_MAX entries. */
export function saveHistory(pair, items) {
  if (!pair) return;
  const newest = Object.entries(items).sort((x, y) => (x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0)).slice(0, HISTORY_MAX);
  write(`history:${pair}`, Object.fromEntries(newest));
}

/** "Forget our history": this phone keeps nothing more of what the pair has done, nor their promises. */
export function forgetHistory(pair) {
  if (!pair) return;
  remove(`history:${pair}`);
  remove(`promises:${pair}`);
}

// The promises and intentions a partner chose to keep for the couple's next check-in, on that
// partner's phone only: [{text, made_on, at?}] under the pair, as the history. `at` is the summary
// entry it was kept from (so the summary can show it kept); the words leave the phone only in a
// later lobby's offer_promises.
export const PROMISES_MAX = 5; // what one offer_promises may bring back
const PROMISE_TEXT_MAX = 300;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The promises kept for the pair `pair`, oldest first, or []. */
export function loadPromises(pair) {
  const kept = pair ? read(`promises:${pair}`) : null;
  if (!Array.isArray(kept)) return [];
  return kept
    .filter((p) => p && typeof p.text === "string" && p.text.trim() && DAY.test(p.made_on))
    .map((p) => ({ text: p.text.trim().slice(0, PROMISE_TEXT_MAX), made_on: p.made_on, ...(typeof p.at === "number" ? { at: p.at } : {}) }))
    .slice(0, PROMISES_MAX);
}

/** Keep the pair's promises (an empty list is removed). */
export function savePromises(pair, items) {
  if (!pair) return;
  if (!items.length) remove(`promises:${pair}`);
  else write(`promises:${pair}`, items.slice(0, PROMISES_MAX));
}

/** A promise's words as the server will hold them: trimmed, and cut to what offer_promises takes. */
export function promiseText(text) {
  const trimmed = String(text).trim();
  return trimmed.length > PROMISE_TEXT_MAX ? `${trimmed.slice(0, PROMISE_TEXT_MAX - 1).trimEnd()}…` : trimmed;
}
