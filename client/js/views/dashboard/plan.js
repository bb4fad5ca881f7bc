// The dashboard before the session: the plan builder (an ordered list of
// exercises with their options) and the Start panel.

import { h } from "../../dom.js";
import { DEPTH, PARTNERS } from "../../words.js";
import { CATEGORY, choices, optionLabel, optionsFor, optionsText } from "../plan.js";

const can = (view, type) => view.can.includes(type);
const busy = (state, type) => Object.values(state.pending).includes(type);

function planItem(state, item, i, count) {
  const ex = state.exercises.find((e) => e.id === item.exercise);
  const label = ex ? ex.title : item.exercise;
  return h("li", { class: "plan-item", data: { exercise: item.exercise } },
    h("div", { class: "plan-item-head" },
      h("span", { class: "plan-title", id: `plan-${i}-title` }, `${i + 1}. ${label}`),
      ex ? h("span", { class: "meta" }, ` · ${ex.minutes} min`) : null),
    ex ? h("div", { class: "plan-options" }, optionsFor(ex).map((name) => {
      const id = `plan-${i}-${name}`;
      const current = item.options?.[name];
      return h("div", { class: "option" },
        h("label", { for: id, class: "field-label" }, optionLabel(name)),
        h("select", { id, data: { change: "plan-option", index: String(i), option: name } },
          h("option", { value: "", selected: current === undefined }, "As written"),
          choices(ex, name).map(([v, text]) => h("option", { value: String(v), selected: current === v }, text))));
    })) : null,
    h("div", { class: "plan-tools" },
      h("button", { type: "button", class: "btn secondary small", id: `plan-${i}-up`, disabled: i === 0,
        "aria-label": `Move ${label} up`, data: { action: "plan-move", index: String(i), by: "-1" } }, "↑ Up"),
      h("button", { type: "button", class: "btn secondary small", id: `plan-${i}-down`, disabled: i === count - 1,
        "aria-label": `Move ${label} down`, data: { action: "plan-move", index: String(i), by: "1" } }, "↓ Down"),
      h("button", { type: "button", class: "btn quiet small", id: `plan-${i}-remove`,
        "aria-label": `Remove ${label} from the plan`, data: { action: "plan-remove", index: String(i) } }, "Remove")));
}

function builder(state, view) {
  const sess = view.session;
  const picked = state.ui.plan;
  if (state.exercises === null) return h("p", { class: "waiting" }, "Loading the exercises…");
  if (state.exercises === "error") {
    return h("div", null, h("p", null, "The exercises couldn't be loaded."),
      h("button", { type: "button", class: "btn secondary", id: "reload-exercises", data: { action: "load-exercises" } }, "Try again"));
  }
  const minutes = picked.reduce((sum, item) => sum + (state.exercises.find((e) => e.id === item.exercise)?.minutes || 0), 0);
  const sending = busy(state, "propose_plan");
  return h("div", { class: "builder" },
    picked.length
      ? h("ol", { class: "plan-items", id: "plan-items", "aria-label": "Your plan, in order" },
        picked.map((item, i) => planItem(state, item, i, picked.length)))
      : h("p", { class: "hint" }, "Add exercises from the list below, in the order you want them."),
    h("div", { class: "turn-actions two" },
      h("button", { type: "button", class: "btn primary", id: "plan-set", data: { action: "plan-set", clear: "1" }, disabled: !picked.length || sending },
        sending ? "Setting…" : picked.length ? `Set this plan (${picked.length}, ~${minutes} min)` : "Add at least one exercise"),
      sess.plan.length ? h("button", { type: "button", class: "btn quiet", id: "plan-cancel", data: { action: "plan-cancel" } }, "Keep the plan as it was") : null),
    h("h3", { class: "library-title" }, "Exercises"),
    h("ul", { class: "exercise-list compact" }, state.exercises.map((ex) => {
      const times = picked.filter((p) => p.exercise === ex.id).length;
      return h("li", { class: ["exercise-card", times ? "chosen" : ""], data: { exercise: ex.id } },
        h("h4", { id: `ex-${ex.id}` }, ex.title),
        h("p", { class: "meta" }, `${ex.minutes} min · ${DEPTH[ex.depth] || ""} · ${CATEGORY[ex.category] || ex.category}`,
          times ? ` · in the plan${times > 1 ? ` ${times}×` : ""}` : ""),
        h("p", null, ex.purpose),
        ex.care_note ? h("p", { class: "care" }, h("strong", null, "Take care: "), ex.care_note) : null,
        h("button", { type: "button", class: "btn secondary small", id: `add-${ex.id}`, "aria-describedby": `ex-${ex.id}`,
          data: { action: "plan-add", exercise: ex.id } }, times ? "Add again" : "Add to the plan"));
    })));
}

export function planPanel(state, view) {
  const sess = view.session;
  const editing = !sess.plan.length || state.ui.builder;
  const minutes = sess.plan.reduce((sum, item) => sum + (item.minutes || 0), 0);
  return h("section", { class: "panel plan", "aria-labelledby": "plan-title" },
    h("h2", { id: "plan-title" }, editing ? "Set the plan" : "The plan"),
    editing ? builder(state, view) : [
      h("ol", { class: "plan-list", id: "plan-set-list" }, sess.plan.map((item) => h("li", null,
        h("span", { class: "plan-title" }, item.title),
        h("span", { class: "meta" }, ` · ${item.minutes} min`, optionsText(item.options) ? ` · ${optionsText(item.options)}` : "")))),
      h("p", { class: "meta" }, `About ${minutes} minutes in all. The partners see this plan on their phones.`),
      h("button", { type: "button", class: "btn secondary", id: "plan-edit", data: { action: "plan-edit" } }, "Change the plan"),
    ]);
}

function modeChoice(view) {
  const choice = (value, label, hint) => h("label", { class: "choice", for: `mode-${value}` },
    h("input", { type: "radio", id: `mode-${value}`, name: "dash-mode", value, checked: view.mode === value,
      data: { change: "set-mode" } }),
    h("span", { class: "choice-text" }, h("span", { class: "choice-label" }, label), h("span", { class: "hint" }, hint)));
  return h("fieldset", { class: "choices" },
    h("legend", { class: "field-label" }, "Where is the couple?"),
    choice("same_room", "In the same room", "They talk aloud and tap when done."),
    choice("remote", "Apart", "They type to each other; you read it here."));
}

export function startPanel(state, view) {
  const sess = view.session;
  const here = PARTNERS.filter((seat) => view.seats[seat]).length;
  const ready = can(view, "start_session");
  let why = null;
  if (!ready) {
    if (!sess.plan.length) why = "Set a plan first.";
    else if (here < 2) why = `Start opens when both partners are here (${here} of 2).`;
    else if (sess.voice?.needed && !sess.voice.choice) why = "Start opens once the couple has chosen, on their phones, how to talk in the spoken steps.";
  }
  return h("section", { class: "panel start", "aria-labelledby": "start-title" },
    h("h2", { id: "start-title" }, "Start"),
    can(view, "set_mode") ? modeChoice(view) : null,
    h("button", { type: "button", class: "btn primary", id: "start-session", "aria-describedby": why ? "start-why" : null,
      data: { action: "intent", type: "start_session" }, disabled: !ready || busy(state, "start_session") },
    busy(state, "start_session") ? "Starting…" : "Start the session"),
    why ? h("p", { class: "hint", id: "start-why" }, why) : null);
}
