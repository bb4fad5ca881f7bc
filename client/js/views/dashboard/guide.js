// The dashboard's guide column: the controls the server allows now (`can`),
// prompts to both phones, private notes, export and "end and erase".

import { h } from "../../dom.js";
import * as storage from "../../storage.js";
import { timeOfDay } from "../../words.js";
import { COOLDOWN_CHOICES, FLOODED_HINT } from "../safety.js";

const can = (view, type) => view.can.includes(type);
const busy = (state, type) => Object.values(state.pending).includes(type);

function control(state, view, type, label, { id, kind = "secondary", fields = null, hint = null } = {}) {
  if (!can(view, type)) return null;
  const sending = busy(state, type);
  return h("button", {
    type: "button", class: ["btn", kind], id: id || `ctl-${type}`, title: hint,
    data: { action: "intent", type, fields }, disabled: sending, "aria-busy": sending ? "true" : null,
  }, label);
}

export function controls(state, view) {
  const sess = view.session;
  if (sess.phase !== "running") return null;
  const timer = can(view, "adjust_timer")
    ? h("div", { class: "timer-tools", role: "group", "aria-labelledby": "timer-tools-label" },
      h("p", { class: "field-label", id: "timer-tools-label" }, "Timer"),
      h("div", { class: "tool-row" },
        control(state, view, "adjust_timer", "−30 s", { id: "ctl-timer-minus30", fields: { seconds: -30 } }),
        control(state, view, "adjust_timer", "+30 s", { id: "ctl-timer-plus30", fields: { seconds: 30 } }),
        control(state, view, "adjust_timer", "+60 s", { id: "ctl-timer-plus60", fields: { seconds: 60 } })))
    : null;
  return h("section", { class: "panel controls", "aria-labelledby": "controls-title" },
    h("h2", { id: "controls-title" }, "Guide"),
    control(state, view, "agree_stop", "Agree and stop this exercise", { kind: "primary" }),
    control(state, view, "pause", "Pause for both", { kind: "primary" }),
    can(view, "pause")
      ? h("div", { class: "cool-tools", role: "group", "aria-labelledby": "cool-tools-label" },
        h("p", { class: "field-label", id: "cool-tools-label" }, "A cool-down for both"),
        h("p", { class: "hint" }, FLOODED_HINT),
        h("div", { class: "tool-row" }, COOLDOWN_CHOICES.map((m) => h("button", {
          type: "button", class: "btn secondary", id: `ctl-cool-${m}`, disabled: busy(state, "pause"),
          data: { action: "cooldown", type: "pause", minutes: String(m) },
        }, `${m} min`))))
      : null,
    control(state, view, "resume", "Resume", { kind: "primary" }),
    h("div", { class: "tool-grid" },
      control(state, view, "back_step", "← Previous step"),
      control(state, view, "advance_step", "Next step →"),
      control(state, view, "swap_roles", "Swap roles"),
      control(state, view, "skip_exercise", "Skip this exercise")),
    timer,
    can(view, "end_session")
      ? h("button", { type: "button", class: "btn quiet", id: "ctl-end-session", data: { action: "end-session" } }, "End the exercises…")
      : null);
}

export function promptForm(state, view) {
  if (!can(view, "send_prompt")) return null;
  const kind = state.ui.promptKind === "card" ? "card" : "prompt";
  const sending = busy(state, "send_prompt");
  const recent = [...(view.session.prompts || [])].reverse();
  const choice = (value, label) => h("label", { class: "choice inline", for: `prompt-kind-${value}` },
    h("input", { type: "radio", id: `prompt-kind-${value}`, name: "prompt-kind", value, checked: kind === value,
      data: { change: "prompt-kind" } }),
    h("span", { class: "choice-label" }, label));
  return h("section", { class: "panel prompt", "aria-labelledby": "prompt-title" },
    h("h2", { id: "prompt-title" }, "Send to both phones"),
    h("form", { class: "turn-form", data: { action: "send", type: "send_prompt", fields: { kind }, draft: "mod.prompt" } },
      h("fieldset", { class: "choices row" },
        h("legend", { class: "field-label" }, "Show it as"),
        choice("prompt", "A prompt"),
        choice("card", "An extra card")),
      h("label", { for: "prompt-text", class: "field-label" }, kind === "card" ? "The question on the card" : "What to tell them"),
      h("textarea", { id: "prompt-text", name: "text", rows: 3, maxlength: 600, data: { draft: "mod.prompt" },
        value: storage.loadDraft(view.code, "mod.prompt"),
        placeholder: kind === "card" ? "What is one thing you appreciated today?" : "Take a breath together before you go on." }),
      h("button", { type: "submit", class: "btn primary", id: "prompt-send", disabled: sending },
        sending ? "Sending…" : kind === "card" ? "Send the card" : "Send the prompt")),
    recent.length ? [
      h("h3", { class: "small-title" }, "Last sent"),
      h("ul", { class: "sent-list" }, recent.map((p) => h("li", null,
        h("span", { class: "meta" }, `${timeOfDay(p.at)} · ${p.kind === "card" ? "card" : "prompt"}: `), p.text))),
    ] : null);
}

export function notesPanel(state, view) {
  const notes = [...(view.session?.notes || [])].reverse();
  const plan = view.session?.plan || [];
  const sending = busy(state, "add_note");
  return h("section", { class: "panel notes", "aria-labelledby": "notes-title" },
    h("h2", { id: "notes-title" }, "Private notes"),
    h("p", { class: "hint", id: "notes-hint" }, "Only you see these. They never reach the couple's phones."),
    can(view, "add_note")
      ? h("form", { class: "turn-form", data: { action: "send", type: "add_note", draft: "mod.note" } },
        h("label", { for: "note-text", class: "field-label" }, "New note"),
        h("textarea", { id: "note-text", name: "text", rows: 3, maxlength: 2000, "aria-describedby": "notes-hint",
          data: { draft: "mod.note" }, value: storage.loadDraft(view.code, "mod.note") }),
        h("button", { type: "submit", class: "btn secondary", id: "note-add", disabled: sending }, sending ? "Saving…" : "Add note"))
      : null,
    notes.length
      ? h("ol", { class: "feed", id: "notes-list" }, notes.map((n) => h("li", null,
        h("p", { class: "entry-who" }, timeOfDay(n.at),
          n.exercise !== null && n.exercise !== undefined && plan[n.exercise] ? ` · ${plan[n.exercise].title} · step ${(n.step ?? 0) + 1}` : ""),
        h("p", { class: "entry-text" }, n.text))))
      : h("p", { class: "meta" }, "No notes yet."));
}

export function exportPanel(state) {
  const working = state.ui.busy === "export";
  return h("section", { class: "panel export", "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, "Export"),
    h("p", { class: "hint" }, "The session record: plan, timeline, prompts and your notes. The partners' words are included only if both chose to keep them."),
    h("div", { class: "turn-actions two" },
      h("button", { type: "button", class: "btn secondary", id: "export-md", data: { action: "export", format: "md" }, disabled: working }, "Download .md"),
      h("button", { type: "button", class: "btn secondary", id: "export-json", data: { action: "export", format: "json" }, disabled: working }, "Download .json")));
}

export function closePanel() {
  return h("section", { class: "panel close", "aria-labelledby": "close-title" },
    h("h2", { id: "close-title" }, "Close the session"),
    h("p", { class: "hint", id: "close-hint" },
      "Erasing deletes the session from the server: the couple's words, your notes and the timeline. Export first if you need a record."),
    h("button", { type: "button", class: "btn danger", id: "mod-end-open", data: { action: "end" }, "aria-describedby": "close-hint" },
      "End and erase…"));
}
