// The small screens: reconnecting, ended, opened elsewhere, joining as moderator.

import { h } from "../dom.js";
import { spacedCode } from "../route.js";
import * as storage from "../storage.js";
import { notice, title } from "./common.js";

/** While this phone resumes its seat. */
export function resuming(state) {
  return h("section", { class: "screen resuming" },
    title("Reconnecting…", state.seat ? `Session ${spacedCode(state.seat.code)}` : null),
    notice(state),
    h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }),
      "Getting your place back. Nothing you wrote is lost."));
}

/** After "end and erase", by either partner. */
export function ended(state) {
  return h("section", { class: "screen ended" },
    title("The session has ended"),
    h("p", null, state.ended?.role === "moderator"
      ? "The session, your notes and its timeline have been erased from the server."
      : "Everything you shared in it has been erased from the server."),
    h("button", { type: "button", class: "btn primary", id: "go-home", data: { action: "home" } }, "Back to the start"));
}

/** The seat was opened on another device or tab. */
export function replaced(state) {
  return h("section", { class: "screen replaced" },
    title("Open on another device"),
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
          value: storage.loadDraft("home", "moderator-name"), data: { draft: "moderator-name", scope: "home" } }),
        h("button", { type: "submit", class: "btn primary", id: "mod-go", disabled: busy }, busy ? "Joining…" : "Join as moderator"))
      : h("p", { class: "panel" }, "This moderator link is incomplete. Open the full link you were given."));
}
