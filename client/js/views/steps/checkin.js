// Emotion check-in: pick feeling words (a family first, then its words), say how
// strong each is (1-5), add a note if you like; both are revealed together.

import { h } from "../../dom.js";
import * as storage from "../../storage.js";
import { NameOf, PARTNERS, nameOf } from "../../words.js";
import { intentButton, ints, waiting } from "./controls.js";

export const KIND = "checkin";

export const PLAN_OPTIONS = {
  max_feelings: {
    label: "Feeling words each, at most",
    values: (range) => ints(range, 1, 5),
    text: (v) => `up to ${v} feeling${v === 1 ? "" : "s"}`,
  },
};

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = { checkin: "checked in", advance: "went on", carry_on: "chose to go on" };

const STRENGTH = { 1: "a little", 2: "somewhat", 3: "clearly", 4: "strongly", 5: "very strongly" };

/** The words picked so far on this phone: the draft, else what was already sent. */
function picksOf(ctx) {
  const raw = ctx.draft(`${ctx.keyBase}.checkin.picks`);
  if (raw) {
    try {
      const picks = JSON.parse(raw);
      if (Array.isArray(picks)) return picks;
    } catch {
      // a broken draft: start again
    }
  }
  const sent = ctx.step.entries?.[ctx.view.you.seat]?.feelings;
  return sent ? sent.map((f) => ({ id: f.id, intensity: f.intensity })) : [];
}

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step, other } = ctx;
  const O = nameOf(view, other);
  const mine = step.can.length > 0;
  const me = view.you.seat;
  let turn = "";
  if (step.phase === "checking_in" && step.care_offer) {
    turn = `Your words are held for you: nothing is shown to ${O} yet`;
  } else if (step.phase === "checking_in") {
    turn = step.entries[me]?.status === "checked_in"
      ? `Waiting for ${O} to check in. You can still change your words.`
      : "Your turn: name what you feel";
  } else if (step.phase === "revealed") {
    turn = mine ? "See what you both feel, then go on" : `Waiting for ${O} to go on`;
  } else {
    turn = "This step is complete";
  }
  return { mine, turn, role: "partner" };
}

function wordsById(feelings) {
  const map = new Map();
  for (const family of feelings || []) {
    for (const word of family.feelings) map.set(word.id, { ...word, family: family.id });
  }
  return map;
}

function entryView(view, seat, entry, me) {
  const who = seat === me ? "You" : NameOf(view, seat);
  return h("div", { class: "answer felt" },
    h("h3", null, who),
    h("ul", { class: "felt-list" }, (entry.feelings || []).map((f) =>
      h("li", null,
        h("span", { class: "word" }, f.word),
        h("span", { class: "meter", "aria-hidden": "true", data: { level: String(f.intensity) } }),
        h("span", { class: "strength" }, `${f.intensity} of 5, ${STRENGTH[f.intensity] || ""}`)))),
    entry.note ? h("p", { class: "answer-text" }, entry.note) : null);
}

function picker(ctx) {
  const { step } = ctx;
  const key = ctx.keyBase;
  const picks = picksOf(ctx);
  const words = wordsById(ctx.feelings);
  const max = step.max_feelings;
  const full = picks.length >= max;
  const openFamily = ctx.ui.family?.[key] || null;
  const busy = ctx.busy("checkin");
  const parts = [];

  if (!ctx.feelings) return [waiting("Loading the feeling words…")];

  parts.push(h("p", { class: "field-label", id: `fam-${key}` }, `Pick up to ${max} word${max === 1 ? "" : "s"}: first a family, then a word`));
  parts.push(h("div", { class: "chips families", role: "group", "aria-labelledby": `fam-${key}` },
    ctx.feelings.map((family) => {
      const count = picks.filter((p) => words.get(p.id)?.family === family.id).length;
      return h("button", {
        type: "button", class: ["chip", openFamily === family.id ? "open" : ""],
        id: `fam-${key}-${family.id}`,
        "aria-expanded": openFamily === family.id ? "true" : "false",
        "aria-controls": `words-${key}`,
        data: { action: "family", key, family: family.id },
      }, family.label, count ? ` (${count})` : "");
    })));

  const family = ctx.feelings.find((f) => f.id === openFamily);
  if (family) {
    parts.push(h("div", { class: "chips words", id: `words-${key}`, role: "group", "aria-label": `${family.label} words` },
      family.feelings.map((word) => {
        const on = picks.some((p) => p.id === word.id);
        return h("button", {
          type: "button", class: ["chip", "word", on ? "on" : ""], id: `w-${key}-${word.id}`,
          "aria-pressed": on ? "true" : "false", disabled: !on && full,
          data: { action: "feeling", key, id: word.id, max: String(max) },
        }, word.word);
      })));
  }

  if (picks.length) {
    parts.push(h("p", { class: "hint" }, "How strong is each one? 1 is a little, 5 is very strongly."));
    parts.push(h("ul", { class: "picked", "aria-label": "Your words" }, picks.map((p) => {
      const word = words.get(p.id)?.word || p.id;
      const labelId = `lbl-${key}-${p.id}`;
      return h("li", { class: "pick" },
        h("div", { class: "pick-head" },
          h("span", { class: "word", id: labelId }, word),
          h("button", { type: "button", class: "btn quiet small", id: `rm-${key}-${p.id}`,
            data: { action: "feeling", key, id: p.id, max: String(max) }, "aria-label": `Remove ${word}` }, "Remove")),
        h("div", { class: "scale", role: "group", "aria-label": `How strong is ${word}?` },
          [1, 2, 3, 4, 5].map((n) => h("button", {
            type: "button", class: ["step-btn", p.intensity === n ? "on" : ""], id: `i-${key}-${p.id}-${n}`,
            "aria-pressed": p.intensity === n ? "true" : "false",
            "aria-label": `${word}: ${n} of 5, ${STRENGTH[n]}`,
            data: { action: "intensity", key, id: p.id, value: String(n) },
          }, String(n)))),
        h("p", { class: "hint" }, STRENGTH[p.intensity] || ""));
    })));
  }

  const noteId = `f-${key}-note`.replace(/[^A-Za-z0-9-]/g, "-");
  parts.push(h("label", { for: noteId, class: "field-label" }, "Anything to add? (optional)"));
  parts.push(h("textarea", { id: noteId, rows: 3, maxlength: 2000, data: { draft: `${key}.checkin.note` },
    value: ctx.draft(`${key}.checkin.note`) || ctx.step.entries?.[ctx.view.you.seat]?.note || "" }));
  const sent = ctx.step.entries?.[ctx.view.you.seat]?.status === "checked_in";
  parts.push(h("button", {
    type: "button", class: "btn primary", id: `checkin-${key}`.replace(/[^A-Za-z0-9-]/g, "-"),
    data: { action: "checkin", key }, disabled: busy || picks.length === 0, "aria-busy": busy ? "true" : null,
  }, busy ? "Sending…" : sent ? "Update my words" : "Share my words"));
  parts.push(h("p", { class: "hint" }, "Your words stay private until you have both checked in."));
  return parts;
}

/**
 * A check-in that named a hard feeling strongly is held on the server; only its owner sees this
 * offer (the view's care_offer): a pause, a cool-down or stopping, before anything is revealed.
 */
function careOffer(ctx) {
  const { view } = ctx;
  const can = (type) => view.can.includes(type);
  const busy = (type) => ctx.busy(type);
  const button = (id, action, type, label, extra = {}) => h("button", {
    type: "button", class: ["btn", extra.kind || "secondary"], id, data: { action, type, ...extra.data }, disabled: busy(type),
  }, label);
  return h("section", { class: "panel care-offer", id: "care-offer", "aria-labelledby": "care-offer-title" },
    h("h2", { id: "care-offer-title" }, "That's a lot to feel"),
    h("p", null, `Nothing is shown to ${nameOf(view, ctx.other)} yet. Would you like a moment first? You don't have to explain.`),
    h("div", { class: "turn-actions" },
      can("timeout") ? button("offer-pause", "intent", "timeout", "Take a pause") : null,
      can("timeout") ? button("offer-cooldown", "cooldown", "timeout", "Cool down together (20 min)", { data: { minutes: "20" } }) : null,
      can("ask_stop") ? button("offer-stop", "intent", "ask_stop", "Stop this exercise") : null,
      ctx.can("carry_on") ? button("offer-go-on", "intent", "carry_on", "Go on and share my words", { kind: "primary" }) : null),
    h("p", { class: "hint" }, "You can also change your words below."));
}

/** The step screen's body. */
export function render(ctx) {
  const { view, step, other } = ctx;
  const me = view.you.seat;
  const body = [];
  if (step.phase === "checking_in") {
    const theirs = step.entries[other];
    body.push(h("ul", { class: "statuses" },
      h("li", { class: ["status", theirs?.status === "checked_in" ? "answered" : "thinking"] },
        h("span", { class: "who" }, NameOf(view, other)),
        theirs?.status === "checked_in" ? " has checked in" : " is choosing words…")));
    if (step.care_offer) body.push(careOffer(ctx));
    if (ctx.can("checkin")) body.push(...picker(ctx));
  } else if (step.phase === "revealed" || step.phase === "done") {
    body.push(h("section", { class: "answers reveal", "aria-label": "What you both feel" },
      [me, other].map((seat) => entryView(view, seat, step.entries[seat] || {}, me))));
    if (ctx.can("advance")) body.push(intentButton(ctx, { type: "advance", label: "Go on" }));
  }
  return body;
}

/** Both check in at once. */
export function roleLine() {
  return { name: "Together", text: "you both check in" };
}

// --- taps on the picker (the controller calls these with its api) -------------

function savePicks(api, key, picks) {
  storage.saveDraft(api.code(), `${key}.checkin.picks`, JSON.stringify(picks));
  api.store.update({});
}

export const ACTIONS = {
  family: (el, api) => {
    const key = el.dataset.key;
    api.store.ui((ui) => ({ family: { ...ui.family, [key]: ui.family[key] === el.dataset.family ? null : el.dataset.family } }));
  },

  feeling: (el, api) => {
    const picks = picksOf(api.ctx());
    const id = el.dataset.id;
    const max = Number(el.dataset.max) || 5;
    let next;
    if (picks.some((p) => p.id === id)) next = picks.filter((p) => p.id !== id);
    else if (picks.length < max) next = [...picks, { id, intensity: 3 }];
    else return api.say(`You can pick up to ${max}. Remove one first.`, "info");
    savePicks(api, el.dataset.key, next);
    return null;
  },

  intensity: (el, api) => {
    const next = picksOf(api.ctx()).map((p) => (p.id === el.dataset.id ? { ...p, intensity: Number(el.dataset.value) } : p));
    savePicks(api, el.dataset.key, next);
  },

  checkin: (el, api) => {
    const key = el.dataset.key;
    const feelings = picksOf(api.ctx());
    if (!feelings.length) return api.say("Pick at least one word first.", "info");
    const noteField = document.querySelector(`[data-draft="${key}.checkin.note"]`);
    const note = noteField ? noteField.value.trim() : "";
    const fields = { feelings };
    if (note) fields.note = note;
    return api.send("checkin", fields, [`${key}.checkin.picks`, `${key}.checkin.note`]);
  },
};

// --- the dashboard ------------------------------------------------------------

/** Both partners check in together. */
export function roles() {
  return Object.fromEntries(PARTNERS.map((seat) => [seat, "Together"]));
}

/** What is happening now. */
export function now(view, step) {
  return step.phase === "checking_in" ? "Both name what they feel, privately." : "Both check-ins are revealed.";
}

/** Each partner's words once revealed, else where they are. */
export function live(view, step, state) {
  const words = new Map();
  for (const family of Array.isArray(state.feelings) ? state.feelings : []) {
    for (const word of family.feelings) words.set(word.id, word.word);
  }
  return [h("div", { class: "answers" }, PARTNERS.map((seat) => {
    const entry = step.entries?.[seat] || {};
    return h("div", { class: "answer felt" },
      h("h3", null, NameOf(view, seat)),
      entry.feelings
        ? h("ul", { class: "felt-list" }, entry.feelings.map((f) => h("li", null,
          h("span", { class: "word" }, f.word || words.get(f.id) || f.id),
          h("span", { class: "strength" }, `${f.intensity} of 5`))))
        : h("p", { class: "hint" }, entry.status === "checked_in" ? "has checked in (shown at the reveal)" : "is choosing words…"),
      entry.distress
        ? h("p", { class: "distress-flag", id: `distress-${seat}` }, "Named a hard feeling strongly; offered a pause, a cool-down or stopping.")
        : null,
      entry.note ? h("p", { class: "answer-text" }, entry.note) : null);
  }))];
}
