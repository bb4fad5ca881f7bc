// Pieces more than one screen shows: the notice line, who is here, badges.

import { h } from "../dom.js";
import * as storage from "../storage.js";
import { quote, textTurn } from "./steps/controls.js";
import { NameOf, PRESENCE, isModerator, moderatorSeat, nameOf } from "../words.js";

/** The latest notice (an error ack in plain words, or a piece of news), dismissible. */
export function notice(state) {
  if (!state.notice) return h("div", { class: "notice-slot", role: "alert" });
  return h("div", { class: "notice-slot", role: "alert" },
    h("div", { class: ["notice", state.notice.tone || "info"] },
      h("p", null, state.notice.text),
      h("button", { type: "button", class: "btn quiet small", id: "notice-dismiss", data: { action: "dismiss" },
        "aria-label": "Dismiss this message" }, "OK")));
}

/**
 * The badge beside the moderator's name. It is drawn only from the seat's role in the view, never
 * from a name, so no partner can wear it; it reads "Moderator" to a screen reader too.
 */
export function moderatorTag() {
  return h("span", { class: "badge role-tag", data: { role: "moderator" } }, "Moderator");
}

/** Who holds which seat, with presence in words (not colour alone). */
export function people(view) {
  const seats = ["partner_a", "partner_b", "moderator"];
  return h("ul", { class: "people" }, seats.map((seat) => {
    const held = view.seats[seat];
    if (!held) {
      if (seat === "moderator") return null;
      return h("li", { class: "person empty" },
        h("span", { class: "dot", "aria-hidden": "true" }),
        h("span", { class: "who" }, view.you.seat === "moderator" ? "Waiting for a partner…" : "Waiting for your partner…"));
    }
    const you = seat === view.you.seat;
    return h("li", { class: ["person", held.presence], data: { seat } },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "who" }, held.name, you ? " (you)" : ""),
      isModerator(view, seat) ? moderatorTag() : null,
      h("span", { class: "presence" }, PRESENCE[held.presence] || held.presence));
  }));
}

/** "Guided by Dr Lee" when a moderator holds a seat, so partners always know. */
export function moderatorBadge(view) {
  const seat = moderatorSeat(view);
  if (!seat || seat === view.you.seat) return null;
  const mod = view.seats[seat];
  return h("p", { class: "mod-badge" }, moderatorTag(), " ", h("span", { class: "who" }, mod.name), " is with you",
    mod.presence !== "online" ? ` (${PRESENCE[mod.presence]})` : "");
}

/** The newest prompt or extra card from the moderator, until this phone dismisses it; a card only in the
 * step it was given in, with a box to answer it when the couple types (`ctx`: the exercise's step ctx). */
export function promptPanel(view, ctx = null) {
  const prompt = view.session?.prompts?.at(-1);
  if (!prompt || view.you.seat === "moderator" || prompt.here === false) return null;
  // Kept like a draft of the room, so a reload does not bring a dismissed prompt back.
  if (storage.loadDraft(view.code, "prompt.dismissed") === String(prompt.at)) return null;
  const from = NameOf(view, "moderator");
  const card = prompt.kind === "card";
  return h("section", { class: ["panel", "from-guide", card ? "is-card" : ""], id: "from-guide", "aria-labelledby": "from-guide-title" },
    h("h2", { id: "from-guide-title", class: "from-title" }, `From ${from}:`),
    card
      ? h("article", { class: "card", "aria-label": `An extra card from ${from}` },
        h("p", { class: "card-count" }, "An extra card"),
        h("p", { class: "card-text" }, prompt.text))
      : h("p", { class: "from-text" }, prompt.text),
    card ? cardAnswers(view, prompt, ctx) : null,
    h("button", { type: "button", class: "btn secondary small", id: "prompt-dismiss",
      data: { action: "dismiss-prompt", at: String(prompt.at) } }, "Got it"));
}

function cardAnswers(view, prompt, ctx) {
  const answers = prompt.answers || {};
  const shown = Object.entries(answers).map(([seat, text]) =>
    quote(seat === view.you.seat ? "You answered" : `${NameOf(view, seat)} answered`, text));
  // In one room the couple answers aloud; apart, each types.
  const box = ctx?.remote && view.can.includes("answer_card")
    ? textTurn(ctx, { type: "answer_card", key: `card.${prompt.at}`, label: "Your answer", required: true,
      send: "Send my answer" })
    : null;
  if (!ctx?.remote && !shown.length) return null;
  return h("div", { class: "card-answers" }, shown, box);
}

/** A line saying the partner's phone is away or has left, when it is. */
export function partnerAway(view, other) {
  const held = other && view.seats[other];
  if (!held || held.presence === "online") return null;
  const name = nameOf(view, other);
  const text = held.presence === "away"
    ? `${name}'s phone is away. Everything waits for them; nothing is lost.`
    : `${name} has left the session.`;
  return h("p", { class: "away-line" }, text);
}

/** The <h1> of a screen, focusable so a new screen can take focus. */
export function title(text, eyebrow) {
  return h("header", { class: "screen-head" },
    eyebrow ? h("p", { class: "eyebrow" }, eyebrow) : null,
    h("h1", { tabindex: "-1" }, text));
}

/**
 * The way out of a session for this seat. Who may end and erase the room (a couple on its own, the
 * moderator) gets "End…" (a partner during an exercise also "Leave for now", which keeps the seat); a partner in a guided room, whose room is the therapist's record
 * (`you.may_end` false), gets "Leave this session" and "Erase what I wrote…" instead, each confirmed.
 */
export function wayOut(view, { endLabel = "End…", endClass = "btn quiet" } = {}) {
  if (view.you.may_end !== false) {
    const end = h("button", { type: "button", class: endClass, id: "end-open", data: { action: "end" } }, endLabel);
    if (view.you.seat === "moderator" || view.session?.phase !== "running") return end;
    // Leaving keeps the seat and every word; the home screen then offers Continue.
    return h("div", { class: "way-out" },
      h("button", { type: "button", class: "btn quiet", id: "leave-now", data: { action: "leave" } }, "Leave for now"),
      end);
  }
  return h("div", { class: "way-out" },
    h("button", { type: "button", class: "btn quiet", id: "leave-open", data: { action: "leave-ask" } }, "Leave this session"),
    h("button", { type: "button", class: "btn quiet", id: "erase-open", data: { action: "erase-ask" },
      disabled: !view.can.includes("erase_my_words") }, "Erase what I wrote…"));
}

/** "Not feeling safe?": opens the safety page on this phone (nothing is sent; see views/safety_page.js). */
export function safetyLink() {
  return h("button", { type: "button", class: "btn quiet safety-link", id: "safety-open", data: { action: "safety-open" } },
    "Not feeling safe?");
}

/**
 * The error of a seat form, drawn right under the field it is about (`field` "name" or "code"),
 * or under the form's button when it is about neither. `state.ui.formError` is {form, field, text}.
 */
export function fieldError(state, form, field) {
  const err = state.ui.formError;
  if (!err || err.form !== form || (err.field || null) !== field) return null;
  return h("p", { class: "field-error", id: errorId(form, field), role: "alert", tabindex: "-1" }, err.text);
}

/** The id of a form's error line (seat.js moves focus to the field it names, or to this line). */
export function errorId(form, field) {
  return `${form}-error${field ? `-${field}` : ""}`;
}

/** The attributes that tie a field to its hint and, when there is one, its error. */
export function described(state, form, field, hint = null) {
  const err = state.ui.formError;
  const wrong = err && err.form === form && err.field === field;
  const ids = [hint, wrong ? errorId(form, field) : null].filter(Boolean).join(" ");
  return { "aria-describedby": ids || null, "aria-invalid": wrong ? "true" : null };
}
