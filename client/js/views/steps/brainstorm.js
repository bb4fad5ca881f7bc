// Brainstorm and agree (PREP problem solving): agree on one issue, add ideas
// without judging (they appear on both phones with no names and no comments),
// then agree on one idea or a combination to try and when to check back.

import { h } from "../../dom.js";
import * as storage from "../../storage.js";
import { NameOf, PARTNERS, nameOf } from "../../words.js";
import { intentButton, quote, textTurn, waiting } from "./controls.js";

export const KIND = "brainstorm";

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = {
  propose_issue: "proposed the issue", agree_issue: "agreed on the issue", add_idea: "added an idea",
  ideas_done: "had no more ideas for now", propose_try: "proposed what to try", agree_try: "agreed what to try",
};

const NEXT = "next_checkin";

/** "at your next weekly check-in" or "on Tue 8 Dec at 19:30", in the phone's own words for dates. */
export function checkBackWords(value) {
  if (!value || value === NEXT) return "at your next weekly check-in";
  const [day, time] = value.split("T");
  const date = new Date(`${day}T00:00`);
  const shown = Number.isNaN(date.getTime()) ? day
    : date.toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
  return time ? `on ${shown} at ${time}` : `on ${shown}`;
}

function ideaText(step, n) {
  return step.ideas.find((idea) => idea.n === n)?.text;
}

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step, other } = ctx;
  const me = view.you.seat;
  const O = nameOf(view, other);
  const mine = step.waiting_for.includes(me);
  let turn = "This step is complete";
  if (step.phase === "agenda") {
    if (!step.issue) turn = "Your turn: propose one issue to work on";
    else turn = step.issue.by === me ? `Waiting for ${O} to agree on the issue` : `Your turn: ${O} proposed an issue — agree, or word it your way`;
  } else if (step.phase === "ideas") {
    turn = step.ideas_done[me] ? `Waiting for ${O} to finish their ideas. You can still add more.` : "Your turn: add ideas, no judging yet";
  } else if (step.phase === "agree") {
    if (!step.proposal) turn = "Your turn: propose what to try and when to check back";
    else turn = step.proposal.by === me ? `Waiting for ${O} to agree` : `Your turn: ${O} proposed what to try — agree, or suggest something else`;
  }
  return { mine, turn, role: "partner" };
}

export function roleLine() {
  return { name: "Together", text: "you solve it side by side" };
}

function issueLine(ctx) {
  const { view, step } = ctx;
  if (!step.issue) return null;
  const who = step.issue.by === view.you.seat ? "You" : NameOf(view, step.issue.by);
  return step.issue.text ? quote(step.phase === "agenda" ? `${who} proposed` : "The issue", step.issue.text)
    : h("p", { class: "meta" }, `${who} said the issue aloud.`);
}

function ideaList(step, picks = null) {
  if (!step.ideas.length) return h("p", { class: "hint" }, "No ideas yet. Any idea counts, even an odd one.");
  return h("ul", { class: "idea-list", "aria-label": "Ideas" }, step.ideas.map((idea) => {
    if (!picks) return h("li", { class: "idea" }, idea.text);
    const on = picks.includes(idea.n);
    return h("li", { class: "idea" }, h("button", {
      type: "button", class: ["chip", "idea-pick", on ? "on" : ""], id: `idea-${idea.n}`,
      "aria-pressed": on ? "true" : "false", data: { action: "bs-pick", n: String(idea.n) },
    }, idea.text));
  }));
}

function agenda(ctx) {
  const { view, step } = ctx;
  const key = `${ctx.keyBase}.bs.issue`;
  const body = [issueLine(ctx)];
  const theirs = step.issue && step.issue.by !== view.you.seat;
  if (ctx.can("agree_issue")) body.push(intentButton(ctx, { type: "agree_issue", label: "Yes, let's work on this" }));
  if (ctx.can("propose_issue")) {
    const open = !step.issue || Boolean(ctx.ui.open?.[key]);
    if (open) {
      body.push(textTurn(ctx, {
        type: "propose_issue", key, label: theirs ? "Your wording of the issue" : "The issue, in one sentence",
        hint: "Name the situation, not what's wrong with either of you.", send: theirs ? "Suggest my wording" : "Propose this issue",
        aloud: theirs ? "I worded it my way aloud" : "I said the issue aloud",
      }));
    } else {
      body.push(h("button", { type: "button", class: "btn secondary", id: "bs-reword", data: { action: "open", open: key } },
        theirs ? "Word it my way" : "Word it differently"));
    }
  }
  return body;
}

function ideas(ctx) {
  const { view, step, other } = ctx;
  const body = [h("h3", { class: "sub" }, `Ideas so far (${step.ideas.length})`), ideaList(step)];
  if (ctx.can("add_idea")) {
    body.push(textTurn(ctx, {
      type: "add_idea", key: `${ctx.keyBase}.bs.idea`, label: "Add an idea", required: true,
      hint: "Write it in a few words. No comments on each other's ideas yet.", send: "Add this idea",
    }));
  } else if (step.ideas.length >= step.limits.ideas) {
    body.push(h("p", { class: "hint" }, "That's plenty to choose from."));
  }
  if (ctx.can("ideas_done")) body.push(intentButton(ctx, { type: "ideas_done", label: "I've no more ideas for now", kind: "secondary" }));
  body.push(h("p", { class: "meta" }, step.ideas_done[other] ? `${NameOf(view, other)} is out of ideas for now.`
    : `${NameOf(view, other)} may add more.`));
  return body;
}

/** The ideas this phone has picked for its proposal (a draft, so a redraw keeps them). */
function picksOf(ctx) {
  try {
    const picks = JSON.parse(ctx.draft(`${ctx.keyBase}.bs.picks`) || "[]");
    return Array.isArray(picks) ? picks.filter((n) => ctx.step.ideas.some((idea) => idea.n === n)) : [];
  } catch {
    return [];
  }
}

function proposalView(ctx, held, caption) {
  const parts = held.ideas.map((n) => ideaText(ctx.step, n)).filter(Boolean);
  if (held.text) parts.push(held.text);
  return h("figure", { class: "quote proposal-try" },
    h("figcaption", null, caption),
    h("ul", null, (parts.length ? parts : ["What you said aloud"]).map((p) => h("li", null, p))),
    h("p", { class: "meta" }, `Check back ${checkBackWords(held.check_back)}.`));
}

function agree(ctx) {
  const { view, step } = ctx;
  const body = [];
  if (step.proposal) {
    const who = step.proposal.by === view.you.seat ? "You proposed" : `${NameOf(view, step.proposal.by)} proposed`;
    body.push(proposalView(ctx, step.proposal, who));
  }
  if (ctx.can("agree_try")) body.push(intentButton(ctx, { type: "agree_try", label: "Agreed, let's try it" }));
  if (!ctx.can("propose_try")) return body;
  const key = ctx.keyBase;
  const when = ctx.draft(`${key}.bs.when`) || NEXT;
  const picks = picksOf(ctx);
  body.push(h("p", { class: "field-label" }, step.proposal ? "Or suggest something else: pick ideas" : "Pick one idea, or a few to combine"),
    ideaList(step, picks));
  const textId = `f-${key}-bs-try`.replace(/[^A-Za-z0-9-]/g, "-");
  body.push(h("label", { for: textId, class: "field-label" }, "In your own words (optional)"),
    h("textarea", { id: textId, rows: 3, maxlength: step.limits.try_text, data: { draft: `${key}.bs.try` },
      value: ctx.draft(`${key}.bs.try`) || "" }));
  const choice = (value, label) => h("button", {
    type: "button", class: ["chip", when === value ? "on" : ""], id: `bs-when-${value}`,
    "aria-pressed": when === value ? "true" : "false", data: { action: "bs-when", key, when: value },
  }, label);
  body.push(h("div", { class: "check-back", role: "group", "aria-labelledby": `${textId}-when` },
    h("p", { class: "field-label", id: `${textId}-when` }, "When will you check back?"),
    h("div", { class: "chips" }, choice(NEXT, "At our next weekly check-in"), choice("date", "On a date")),
    when === "date" ? h("div", { class: "when-fields" },
      h("label", { for: `${textId}-date`, class: "field-label" }, "Date"),
      h("input", { type: "date", id: `${textId}-date`, data: { draft: `${key}.bs.date` }, value: ctx.draft(`${key}.bs.date`) || "" }),
      h("label", { for: `${textId}-time`, class: "field-label" }, "Time (optional)"),
      h("input", { type: "time", id: `${textId}-time`, data: { draft: `${key}.bs.time` }, value: ctx.draft(`${key}.bs.time`) || "" }))
      : null));
  const busy = ctx.busy("propose_try");
  body.push(h("button", { type: "button", class: "btn primary", id: "bs-propose", data: { action: "bs-propose", key },
    disabled: busy, "aria-busy": busy ? "true" : null }, busy ? "Sending…" : "Propose this"));
  return body;
}

/** The step screen's body. */
export function render(ctx) {
  const { step } = ctx;
  if (step.phase === "agenda") return agenda(ctx);
  const body = [issueLine(ctx)];
  if (step.phase === "ideas") return body.concat(ideas(ctx));
  if (step.phase === "agree") return body.concat(agree(ctx));
  if (step.agreement) body.push(proposalView(ctx, step.agreement, "You agreed to try"));
  else body.push(waiting("Going on…"));
  return body;
}

// --- taps (the controller calls these with its api) ----------------------------------

export const ACTIONS = {
  "bs-pick": (el, api) => {
    const ctx = api.ctx();
    const n = Number(el.dataset.n);
    const picks = picksOf(ctx);
    const next = picks.includes(n) ? picks.filter((m) => m !== n) : [...picks, n];
    storage.saveDraft(api.code(), `${ctx.keyBase}.bs.picks`, JSON.stringify(next));
    api.store.update({});
  },

  "bs-when": (el, api) => {
    storage.saveDraft(api.code(), `${el.dataset.key}.bs.when`, el.dataset.when);
    api.store.update({});
  },

  "bs-propose": (el, api) => {
    const ctx = api.ctx();
    const key = el.dataset.key;
    const value = (name) => (document.querySelector(`[data-draft="${key}.bs.${name}"]`)?.value || "").trim();
    const fields = { ideas: picksOf(ctx), check_back: NEXT };
    if (value("try")) fields.text = value("try");
    if (!fields.ideas.length && !fields.text) return api.say("Pick an idea, or say in your own words what to try.", "info");
    if ((ctx.draft(`${key}.bs.when`) || NEXT) === "date") {
      if (!value("date")) return api.say("Pick a date to check back, or choose your next weekly check-in.", "info");
      fields.check_back = value("time") ? `${value("date")}T${value("time")}` : value("date");
    }
    return api.send("propose_try", fields, ["picks", "try", "when", "date", "time"].map((n) => `${key}.bs.${n}`));
  },
};

// --- the dashboard ------------------------------------------------------------

export function roles() {
  return Object.fromEntries(PARTNERS.map((seat) => [seat, "Together"]));
}

export function now(view, step) {
  return {
    agenda: "Agreeing on one issue.", ideas: "Brainstorming ideas, no judging yet.",
    agree: "Choosing what to try and when to check back.", done: "They agreed what to try.",
  }[step.phase] || step.phase;
}

export function live(view, step) {
  const out = [];
  if (step.issue?.text) out.push(quote("The issue", step.issue.text));
  if (step.ideas.length) out.push(h("ul", { class: "idea-list" }, step.ideas.map((idea) => h("li", null, idea.text))));
  const held = step.agreement || step.proposal;
  if (held) {
    const parts = held.ideas.map((n) => ideaText(step, n)).filter(Boolean).concat(held.text ? [held.text] : []);
    out.push(quote(step.agreement ? "Agreed to try" : `${NameOf(view, held.by)} proposed`,
      `${parts.join("; ") || "(said aloud)"} — check back ${checkBackWords(held.check_back)}`));
  }
  return out.length ? out : [h("p", { class: "meta" }, "Nothing written yet.")];
}
