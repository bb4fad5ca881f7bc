// Home: start a session (name, same room or apart), join one (name, code), or,
// for a therapist, open a guided session from the moderator seat. Starting and
// joining are two tabs side by side at the top, so a partner who was sent a
// code finds the join form as quickly as the start form (a join link opens on it).

import { h } from "../dom.js";
import { spacedCode } from "../route.js";
import * as storage from "../storage.js";
import { described, fieldError, notice } from "./common.js";

// Typed here before any room exists, so kept under the "home" scope until the
// session opens (a redraw, say when the connection comes up, must not wipe it).
const typed = (key) => storage.loadDraft("home", key);

function startForm(state) {
  const busy = state.ui.busy === "create";
  return h("form", { class: "panel", data: { action: "create" }, "aria-labelledby": "start-title" },
    h("h2", { id: "start-title" }, "Start a session"),
    h("label", { for: "start-name", class: "field-label" }, "Your name"),
    h("input", { id: "start-name", name: "name", autocomplete: "given-name", maxlength: 40, required: true,
      value: typed("name"), data: { draft: "name", scope: "home" }, ...described(state, "create", "name") }),
    fieldError(state, "create", "name"),
    h("fieldset", { class: "choices" },
      h("legend", { class: "field-label" }, "Where are you two?"),
      choice("start-mode-same", "mode", "same_room", "We're in the same room", "You talk aloud and tap when you're done.", state.ui.mode !== "remote"),
      choice("start-mode-remote", "mode", "remote", "We're apart", "You type to each other.", state.ui.mode === "remote")),
    h("button", { type: "submit", class: "btn primary", id: "start-go", disabled: busy }, busy ? "Starting…" : "Start a session"),
    fieldError(state, "create", null));
}

function choice(id, name, value, label, hint, checked) {
  return h("label", { class: "choice", for: id },
    h("input", { type: "radio", id, name, value, checked, data: { change: "home-mode" } }),
    h("span", { class: "choice-text" }, h("span", { class: "choice-label" }, label), h("span", { class: "hint" }, hint)));
}

/** Where the code comes from: a join link's ten-character code is a guided room's, from the therapist. */
function codeHint(code) {
  const length = (code || "").replace(/[^A-Za-z0-9]/g, "").length;
  if (length === 10) return "Ten letters and numbers from your therapist.";
  if (length === 6) return "Six letters and numbers from your partner's phone.";
  return "Six letters and numbers from your partner's phone, or ten from your therapist.";
}

function joinForm(state) {
  const busy = state.ui.busy === "join";
  const linked = state.route.kind === "join";
  const code = linked ? state.route.code : typed("code");
  // The heading follows the address, never what is being typed, so it stays put while a code is mistyped.
  return h("form", { class: "panel", data: { action: "join" }, "aria-labelledby": "join-title" },
    h("h2", { id: "join-title" }, linked ? "Join your partner" : "Join with a code"),
    h("label", { for: "join-name", class: "field-label" }, "Your name"),
    h("input", { id: "join-name", name: "name", autocomplete: "given-name", maxlength: 40, required: true,
      value: typed("name"), data: { draft: "name", scope: "home" }, ...described(state, "join", "name") }),
    fieldError(state, "join", "name"),
    h("label", { for: "join-code", class: "field-label" }, "Session code"),
    h("p", { class: "hint", id: "join-code-hint" }, codeHint(code)),
    h("input", { id: "join-code", name: "code", class: "code-input", autocomplete: "off", autocapitalize: "characters",
      spellcheck: "false", maxlength: 14, required: true, value: code,
      data: { draft: "code", scope: "home" }, ...described(state, "join", "code", "join-code-hint") }),
    fieldError(state, "join", "code"),
    h("button", { type: "submit", class: "btn primary", id: "join-go", disabled: busy }, busy ? "Joining…" : "Join"),
    fieldError(state, "join", null));
}

const TABS = [
  { id: "start", label: "New session", form: startForm },
  { id: "join", label: "I have a code", form: joinForm },
];

/** Starting and joining as two tabs: the chosen one's form shows, the other is one tap away. */
function beginTabs(state) {
  const chosen = state.ui.homeTab || (state.route.kind === "join" ? "join" : "start");
  return h("section", { class: "begin", "aria-label": "Start or join a session" },
    h("div", { class: "tabs", role: "tablist", "aria-label": "Start or join" }, TABS.map((tab) =>
      h("button", { type: "button", role: "tab", class: "tab", id: `tab-${tab.id}`, "aria-controls": `panel-${tab.id}`,
        "aria-selected": tab.id === chosen ? "true" : "false", data: { action: "home-tab", tab: tab.id } }, tab.label))),
    TABS.map((tab) => h("div", { role: "tabpanel", id: `panel-${tab.id}`, "aria-labelledby": `tab-${tab.id}`,
      hidden: tab.id !== chosen }, tab.form(state))));
}

function guideForm(state) {
  const busy = state.ui.busy === "guide";
  return h("form", { class: "panel guide", data: { action: "guide" }, "aria-labelledby": "guide-title" },
    h("h2", { id: "guide-title" }, "Guide a session (for therapists)"),
    h("p", { class: "hint" }, "Set the plan, invite the couple, and guide them from this screen. Best on a laptop or tablet."),
    h("label", { for: "guide-name", class: "field-label" }, "Your name, as the couple will see it"),
    h("input", { id: "guide-name", name: "name", autocomplete: "name", maxlength: 40, required: true,
      value: typed("guide-name"), data: { draft: "guide-name", scope: "home" }, ...described(state, "guide", "name") }),
    fieldError(state, "guide", "name"),
    h("button", { type: "submit", class: "btn secondary", id: "guide-go", disabled: busy }, busy ? "Opening…" : "Open a guided session"),
    fieldError(state, "guide", null));
}

/** The home screen. */
export function render(state) {
  const resumable = state.resumable;
  const joining = state.route.kind === "join";
  return h("section", { class: "screen home" },
    h("header", { class: "hero" },
      h("h1", { tabindex: "-1" }, "Attune"),
      h("p", { class: "lede" }, "Small exercises for feeling closer — together, on two phones.")),
    notice(state),
    resumable && !(joining && resumable.code !== state.route.code)
      ? h("section", { class: "panel resume", "aria-labelledby": "resume-title" },
        h("h2", { id: "resume-title" }, "Your session is still open"),
        h("p", null, "Code ", h("span", { class: "code-inline" }, spacedCode(resumable.code))),
        h("div", { class: "turn-actions two" },
          h("button", { type: "button", class: "btn primary", id: "resume-go", data: { action: "resume-last" } }, "Continue"),
          h("button", { type: "button", class: "btn quiet", id: "resume-forget", data: { action: "forget-last" } }, "Forget it")))
      : null,
    beginTabs(state),
    joining ? null : guideForm(state),
    h("p", { class: "fine" }, "What you write stays private to the two of you and is erased when you end."));
}
