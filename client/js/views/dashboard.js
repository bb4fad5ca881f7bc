// The therapist's dashboard at the moderator seat. Before the couple arrives:
// the moderator's own link, the partners' invite, the plan, Start. During the
// session: who is here and in which role, where they are and whose move it is,
// what each partner shares as they share it, the timeline, the controls the
// server allows now (`can`), prompts to both phones, private notes, export.
// Three columns on a laptop, two on a tablet, one on a phone.

import { h } from "../dom.js";
import { spacedCode } from "../route.js";
import { PARTNERS } from "../words.js";
import { notice, title } from "./common.js";
import { closePanel, controls, exportPanel, notesPanel, promptForm } from "./dashboard/guide.js";
import { invite, yourLink } from "./dashboard/links.js";
import { live, sharedFeed } from "./dashboard/live.js";
import { observing } from "./dashboard/observing.js";
import { planPanel, startPanel } from "./dashboard/plan.js";
import { timeline } from "./dashboard/timeline.js";

function heading(view) {
  const sess = view.session;
  const names = PARTNERS.filter((seat) => view.seats[seat]).map((seat) => view.seats[seat].name);
  if (sess.phase === "lobby") return "Prepare the session";
  if (sess.phase === "summary") return "The exercises are over";
  return names.length === 2 ? `Guiding ${names[0]} and ${names[1]}` : "Guiding the session";
}

/** The moderator's screen. */
export function render(state) {
  const view = state.view;
  const sess = view.session || { phase: "lobby", plan: [] };
  const shown = { ...view, session: sess };
  const lobby = sess.phase === "lobby";
  return h("section", { class: "screen dashboard", data: { phase: sess.phase } },
    title(heading(shown), `Moderator · session ${spacedCode(view.code)}`),
    notice(state),
    h("div", { class: "dash" },
      h("div", { class: "col col-observe" },
        observing(shown),
        lobby ? [invite(state, shown), yourLink(state)] : null,
        timeline(state, shown)),
      h("div", { class: "col col-live" },
        lobby ? planPanel(state, shown) : [live(state, shown), sharedFeed(shown)]),
      h("div", { class: "col col-guide" },
        lobby ? startPanel(state, shown) : controls(state, shown),
        promptForm(state, shown),
        notesPanel(state, shown),
        exportPanel(state),
        closePanel(),
        lobby ? null : h("details", { class: "how", id: "your-link-more", open: Boolean(state.ui.open?.yourLink), data: { open: "yourLink" } },
          h("summary", null, "Links: yours and the couple's"),
          yourLink(state),
          invite(state, shown)))));
}
