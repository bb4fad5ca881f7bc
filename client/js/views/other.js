// The small screens: reconnecting, ended, opened elsewhere, joining as moderator.

import { h } from "../dom.js";
import { spacedCode } from "../route.js";
import * as storage from "../storage.js";
import { described, fieldError, notice, title } from "./common.js";

/** While this phone resumes its seat. */
export function resuming(state) {
  return h("section", { class: "screen resuming" },
    title("Reconnecting…", state.seat ? `Session ${spacedCode(state.seat.code)}` : null),
    notice(state),
    h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }),
      "Getting your place back. Nothing you wrote is lost."));
}

/** Words this phone had typed but never sent, to copy or select before they go. */
function unsent(state, words) {
  const text = words.join("\n\n");
  const copied = state.ui.copied === "unsent-words";
  return h("section", { class: "panel unsent", "aria-labelledby": "unsent-title" },
    h("h2", { id: "unsent-title" }, words.length === 1 ? "Something you hadn't sent" : "Things you hadn't sent"),
    h("p", { class: "hint", id: "unsent-hint" },
      "These words never reached the server and are only on this phone now. Copy them if you want to keep them: they are forgotten when you leave this screen."),
    h("textarea", { id: "unsent-words", class: "unsent-words", readonly: true, rows: Math.min(8, 2 + words.length * 2),
      "aria-labelledby": "unsent-title", "aria-describedby": "unsent-hint", value: text, data: { selectAll: "true" } }),
    h("button", { type: "button", class: "btn secondary", id: "copy-unsent",
      data: { action: "copy", text, field: "unsent-words", failed: "Couldn't copy here. Press and hold the words to select them." } },
    copied ? "Copied" : "Copy my words"));
}

/** After "end and erase", or when this phone finds its room gone (expired or erased while it was away). */
export function ended(state) {
  const end = state.ended || {};
  const words = Array.isArray(end.words) ? end.words : [];
  let said;
  if (end.gone) said = "It ended or expired while this phone was away, so it is no longer on the server.";
  else if (end.role === "moderator") said = "The session, your notes and its timeline have been erased from the server.";
  else said = "Everything you shared in it has been erased from the server.";
  return h("section", { class: "screen ended" },
    title("The session has ended", end.code ? `Session ${spacedCode(end.code)}` : null),
    h("p", null, said),
    words.length ? unsent(state, words) : null,
    h("button", { type: "button", class: "btn primary", id: "go-home", data: { action: "home" } }, "Back to the start"));
}

/** The seat was opened on another device or tab. */
export function replaced(state) {
  return h("section", { class: "screen replaced" },
    title("Open on another device"),
    notice(state),
    h("p", null, "This session is now open somewhere else, so this screen stepped aside."),
    h("button", { type: "button", class: "btn primary", id: "take-back", data: { action: "take-back" } }, "Use it on this device"));
}

/** A moderator link: say who you are, then observe. */
export function moderatorJoin(state) {
  const route = state.route;
  const busy = state.ui.busy === "join";
  return h("section", { class: "screen moderator-join" },
    title("Join as moderator", `Session ${spacedCode(route.code)}`),
    notice(state),
    route.secret
      ? h("form", { class: "panel", data: { action: "moderator-join" } },
        h("label", { for: "mod-name", class: "field-label" }, "Your name, as the couple will see it"),
        h("input", { id: "mod-name", name: "name", autocomplete: "name", maxlength: 40, required: true,
          value: storage.loadDraft("home", "moderator-name"), data: { draft: "moderator-name", scope: "home" },
          ...described(state, "moderator-join", "name") }),
        fieldError(state, "moderator-join", "name"),
        h("button", { type: "submit", class: "btn primary", id: "mod-go", disabled: busy }, busy ? "Joining…" : "Join as moderator"),
        fieldError(state, "moderator-join", null))
      : h("p", { class: "panel" }, "This moderator link is incomplete. Open the full link you were given."));
}
