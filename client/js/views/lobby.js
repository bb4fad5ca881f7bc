// Lobby: invite the partner (code, link, QR), see who is here, choose how you
// sit, and agree on a plan from the exercise library.

import { h } from "../dom.js";
import { joinUrlOf, qrUrlOf, spacedCode } from "../route.js";
import { DEPTH, NameOf, nameOf, otherSeat } from "../words.js";
import { moderatorBadge, notice, people, promptPanel, title } from "./common.js";
import { CATEGORY, choices, grouped, optionLabel, optionsFor, optionsText } from "./plan.js";
import { voicePanel } from "./voice.js";

function invite(state, view) {
  const code = view.code;
  const joinUrl = joinUrlOf(state.seat, code);
  return h("section", { class: "panel invite", "aria-labelledby": "invite-title" },
    h("h2", { id: "invite-title" }, "Invite your partner"),
    h("p", null, "Read the code aloud, let them scan the QR code, or send the link."),
    h("p", { class: "code", id: "room-code", "aria-label": `Session code: ${code.split("").join(" ")}`, data: { code } },
      spacedCode(code)),
    h("img", { class: "qr", src: qrUrlOf(state.seat, code), width: 196, height: 196, alt: "QR code that opens the join link" }),
    h("label", { for: "join-link", class: "field-label" }, "Join link"),
    h("div", { class: "link-row" },
      h("input", { id: "join-link", readonly: true, value: joinUrl, data: { selectAll: "1" } }),
      h("button", { type: "button", class: "btn secondary", id: "copy-link", data: { action: "copy", text: joinUrl, field: "join-link" } },
        state.ui.copied === "join-link" ? "Copied" : "Copy")),
    typeof navigator.share === "function"
      ? h("button", { type: "button", class: "btn secondary", id: "share-link", data: { action: "share", text: joinUrl } },
        "Share the link…")
      : null);
}

function modeChoice(view) {
  const choice = (value, label, hint) => h("label", { class: "choice", for: `mode-${value}` },
    h("input", { type: "radio", id: `mode-${value}`, name: "lobby-mode", value, checked: view.mode === value,
      data: { change: "set-mode" } }),
    h("span", { class: "choice-text" }, h("span", { class: "choice-label" }, label), h("span", { class: "hint" }, hint)));
  return h("fieldset", { class: "panel choices" },
    h("legend", { class: "field-label" }, "Where are you two?"),
    choice("same_room", "We're in the same room", "Talk aloud, tap when you're done."),
    choice("remote", "We're apart", "Type to each other."));
}

function proposal(state, view) {
  const sess = view.session;
  const me = view.you.seat;
  const other = otherSeat(view);
  const can = (t) => view.can.includes(t);
  const minutes = sess.plan.reduce((sum, item) => sum + (item.minutes || 0), 0);
  const mine = sess.plan_by === me;
  const guided = sess.plan_by === "moderator";
  const by = guided ? NameOf(view, "moderator") : NameOf(view, sess.plan_by);
  const busy = Object.values(state.pending).includes("agree_plan");
  return h("section", { class: "panel proposal", "aria-labelledby": "plan-title" },
    h("h2", { id: "plan-title" }, mine ? "You suggested" : guided ? `${by}'s plan for you` : `${by} suggests`),
    h("ol", { class: "plan-list" }, sess.plan.map((item) => h("li", null,
      h("span", { class: "plan-title" }, item.title),
      h("span", { class: "meta" }, ` · ${item.minutes} min`, optionsText(item.options) ? ` · ${optionsText(item.options)}` : "")))),
    h("p", { class: "meta" }, `About ${minutes} minutes in all.`),
    can("agree_plan")
      ? h("div", { class: "turn-actions" },
        h("button", { type: "button", class: "btn primary", id: "agree-plan", data: { action: "intent", type: "agree_plan" }, disabled: busy },
          busy ? "Starting…" : "Agree and start"),
        can("propose_plan") && !state.ui.builder
          ? h("button", { type: "button", class: "btn quiet", id: "suggest-other", data: { action: "builder", open: "1" } }, "Suggest something else")
          : null)
      : h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }),
        mine ? `Waiting for ${view.seats[other] ? nameOf(view, other) : "your partner"} to agree.`
          : guided ? (view.full ? `${by} will start the session.` : `${by} will start when you're both here.`)
            : sess.voice?.needed && !sess.voice.choice ? "Choose above how you'll talk, then you can agree and start."
              : "Waiting to start."),
    mine && can("propose_plan") && !state.ui.builder
      ? h("button", { type: "button", class: "btn quiet", id: "change-plan", data: { action: "builder", open: "1" } }, "Change the plan")
      : null);
}

/** "New", or "Done on 3 Nov" in this phone's date format, from what it remembers of the two of you. */
function memo(state, id) {
  const items = state.history?.items;
  if (!items) return null;
  const day = items[id];
  if (!day) return h("p", { class: "memo new", data: { memo: id } }, "New");
  const [y, m, d] = day.split("-").map(Number);
  const shown = new Date(y, m - 1, d).toLocaleDateString(undefined, { day: "numeric", month: "short" });
  return h("p", { class: "memo done", data: { memo: id } }, `Done on ${shown}`);
}

const promisesWord = (n) => `${n} promise${n === 1 ? "" : "s"}`;

/** "You're bringing back 2 promises", with a way not to, while the plan has a step that looks back. */
function promisesLine(state) {
  const kept = state.promises?.looksBack ? state.promises.items.length : 0;
  if (!kept) return null;
  const holding = state.promisesHeld === state.view.code;
  const one = kept === 1;
  return h("section", { class: "panel promises-line", "aria-labelledby": "promises-title" },
    h("h2", { id: "promises-title" }, holding ? (one ? "Your promise stays on this phone" : `Your ${promisesWord(kept)} stay on this phone`)
      : `You're bringing back ${promisesWord(kept)}`),
    h("ul", { class: "promise-list" }, state.promises.items.map((p) => h("li", { class: "promise" },
      h("p", { class: "promise-text" }, p.text)))),
    h("p", { class: "hint" }, holding
      ? `${one ? "It" : "They"} won't come up this time; this phone keeps ${one ? "it" : "them"} for another check-in.`
      : `What you chose to keep last time. Both phones will see ${one ? "it" : "them"} when you look back together, and nowhere else.`),
    h("button", { type: "button", class: "btn quiet", id: holding ? "promises-bring" : "promises-hold",
      data: { action: "hold-promises", hold: holding ? "0" : "1" } }, holding ? `Bring ${one ? "it" : "them"} back` : "Not this time"));
}

function forgetPanel(state) {
  if (!state.history) return null;
  const asking = Boolean(state.ui.open?.forget);
  const promised = state.promises?.items.length || 0;
  const some = Object.keys(state.history.items).length > 0 || promised > 0;
  const andPromises = !promised ? "" : `, and the ${promised === 1 ? "promise" : promisesWord(promised)} you chose to keep for your next check-in`;
  return h("section", { class: "panel forget", "aria-labelledby": "forget-title" },
    h("h2", { id: "forget-title" }, "What this phone remembers"),
    h("p", { class: "hint" }, some
      ? `Which exercises and cards you two have done, and when, so you get new ones first${andPromises}. It all stays on this phone.`
      : "Nothing yet. Which exercises and cards you do, and when, stays on this phone only."),
    some && !asking
      ? h("button", { type: "button", class: "btn quiet", id: "forget-history", data: { action: "open", open: "forget" } },
        "Forget our history")
      : null,
    some && asking
      ? h("div", { class: "turn-actions", role: "group", "aria-label": "Forget our history?" },
        h("p", null, `Forget everything this phone remembers of what you two have done${andPromises}? This can't be undone.`),
        h("button", { type: "button", class: "btn primary", id: "forget-confirm", data: { action: "forget-history" } }, "Yes, forget it"),
        h("button", { type: "button", class: "btn quiet", id: "forget-cancel", data: { action: "close", open: "forget" } }, "Keep it"))
      : null);
}

// A care note longer than this is folded behind a tap; its whole text is the tap away.
const CARE_FOLD = 120;

function careNote(state, ex, chosen) {
  if (!ex.care_note) return null;
  if (ex.care_note.length <= CARE_FOLD) return h("p", { class: "care" }, h("strong", null, "Take care: "), ex.care_note);
  const key = `care-${ex.id}`;
  // Open once the exercise is in the plan, unless the person folded it again.
  const open = state.ui.open?.[key] ?? chosen;
  return h("details", { class: "care", id: key, open: Boolean(open), data: { open: key } },
    h("summary", null, h("strong", null, "Take care"), " — read this first"),
    h("p", { class: "care-text" }, ex.care_note));
}

function exerciseCard(state, ex) {
  const picked = state.ui.plan;
  const at = picked.findIndex((p) => p.exercise === ex.id);
  const chosen = at >= 0;
  return h("li", { class: ["exercise-card", chosen ? "chosen" : ""], data: { exercise: ex.id } },
    h("h4", { id: `ex-${ex.id}` }, ex.title),
    h("p", { class: "meta" }, `${ex.minutes} min · ${DEPTH[ex.depth] || ""} · ${CATEGORY[ex.category] || ex.category}`),
    memo(state, ex.id),
    h("p", null, ex.purpose),
    careNote(state, ex, chosen),
    h("button", {
      type: "button", class: ["btn", chosen ? "primary" : "secondary"], id: `pick-${ex.id}`,
      "aria-pressed": chosen ? "true" : "false", "aria-describedby": `ex-${ex.id}`,
      data: { action: "toggle-plan", exercise: ex.id },
    }, chosen ? `In the plan (${at + 1}) — remove` : "Add to plan"),
    // The phone lobby keeps to the options a couple most often changes.
    chosen ? optionsFor(ex, { lobby: true }).map((name) => {
      const id = `opt-${ex.id}-${name}`;
      const current = picked[at].options?.[name];
      return h("div", { class: "option" },
        h("label", { for: id, class: "field-label" }, optionLabel(name)),
        h("select", { id, data: { change: "plan-option", index: String(at), option: name } },
          h("option", { value: "", selected: current === undefined }, "As written"),
          choices(ex, name).map(([v, label]) =>
            h("option", { value: String(v), selected: current === v }, label))));
    }) : null);
}

/** One heading of the library, folded until tapped: what these exercises are for, how many, how many picked. */
function exerciseGroup(state, { group, exercises }) {
  const key = `group-${group.id}`;
  const inPlan = exercises.filter((ex) => state.ui.plan.some((p) => p.exercise === ex.id)).length;
  // A heading with a pick in it opens by itself (after a reload too), unless the person folded it.
  const open = Boolean(state.ui.open?.[key] ?? inPlan > 0);
  const count = `${exercises.length} exercise${exercises.length === 1 ? "" : "s"}${inPlan ? ` · ${inPlan} in your plan` : ""}`;
  return h("section", { class: ["exercise-group", open ? "open" : ""], data: { group: group.id } },
    h("h3", { class: "group-heading" },
      h("button", { type: "button", class: "group-toggle", id: key, "aria-expanded": open ? "true" : "false",
        "aria-controls": `${key}-list`, data: { action: open ? "close" : "open", open: key } },
        h("span", { class: "group-label" }, group.label),
        h("span", { class: "group-meta" }, count))),
    open && group.hint ? h("p", { class: "hint" }, group.hint) : null,
    // Folded, the list is still drawn (hidden): ids, picks and memos stay where they are.
    h("ul", { class: "exercise-list", id: `${key}-list`, hidden: !open }, exercises.map((ex) => exerciseCard(state, ex))));
}

function library(state) {
  const picked = state.ui.plan;
  if (state.exercises === null) return h("p", { class: "waiting" }, "Loading the exercises…");
  if (state.exercises === "error") {
    return h("div", { class: "panel" }, h("p", null, "The exercises couldn't be loaded."),
      h("button", { type: "button", class: "btn secondary", data: { action: "load-exercises" } }, "Try again"));
  }
  const minutes = picked.reduce((sum, item) => sum + (state.exercises.find((e) => e.id === item.exercise)?.minutes || 0), 0);
  const busy = Object.values(state.pending).includes("propose_plan");
  return h("section", { class: "library", "aria-labelledby": "library-title" },
    h("h2", { id: "library-title" }, "Choose what to do"),
    h("p", { class: "hint" }, "Open what you'd like to work on, and pick one or more in the order you'd like to do them. Your partner agrees before you start."),
    grouped(state.exercises).map((g) => exerciseGroup(state, g)),
    h("div", { class: "dock" },
      h("button", { type: "button", class: "btn primary", id: "propose-plan", data: { action: "plan-set" }, disabled: !picked.length || busy },
        picked.length ? `Suggest this plan (${picked.length}, ~${minutes} min)` : "Pick at least one exercise")));
}

/** Whether this phone shows the library to choose a plan from (and so may be choosing one). */
export function builderShown(state) {
  const view = state.view;
  return view.can.includes("propose_plan") && (!view.session.plan.length || Boolean(state.ui.builder));
}

/** Whether the person on this phone is choosing a plan now: the library open to them, with a pick in
 *  it or "Suggest something else" tapped. The other phone is told (the `choosing` intent). */
export function choosingPlan(state) {
  if (!state.view || state.view.session?.phase !== "lobby" || !builderShown(state)) return false;
  return state.ui.plan.length > 0 || Boolean(state.ui.builder);
}

/** "Ana is choosing…", on the other phone while she is, and online. */
function partnerChoosing(view) {
  const other = otherSeat(view);
  const held = view.seats[other];
  if (!held || held.presence !== "online" || !(view.session.choosing || []).includes(other)) return null;
  return h("p", { class: "waiting choosing", id: "partner-choosing", role: "status" },
    h("span", { class: "dots", "aria-hidden": "true" }), `${NameOf(view, other)} is choosing…`);
}

/** The lobby screen. */
export function render(state) {
  const view = state.view;
  const sess = view.session;
  const other = otherSeat(view);
  const partnerHere = Boolean(view.seats[other]);
  const can = (t) => view.can.includes(t);
  const showBuilder = builderShown(state);
  return h("section", { class: "screen lobby" },
    title(view.moderated ? "Your guided session" : partnerHere ? "Choose together" : "Your session is open", "Getting ready"),
    notice(state),
    moderatorBadge(view),
    promptPanel(view),
    partnerHere ? h("p", { class: "meta" }, "Session code ", h("span", { class: "code-inline" }, spacedCode(view.code))) : invite(state, view),
    h("section", { class: "panel", "aria-labelledby": "people-title" },
      h("h2", { id: "people-title" }, "Who's here"),
      people(view),
      partnerChoosing(view)),
    voicePanel(view),
    sess.plan.length ? proposal(state, view) : null,
    promisesLine(state),
    can("set_mode") ? modeChoice(view) : null,
    view.moderated && !can("propose_plan") && !sess.plan.length
      ? h("p", { class: "panel" }, `${nameOf(view, "moderator")} is preparing your plan.`) : null,
    showBuilder ? library(state) : null,
    showBuilder ? forgetPanel(state) : null,
    h("div", { class: "footer-actions" },
      h("button", { type: "button", class: "btn quiet", id: "leave", data: { action: "leave" } }, "Leave for now")));
}
