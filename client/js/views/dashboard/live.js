// The dashboard's middle column while the session runs: the step as it
// happens (in the step kind's words) and the feed of what the couple shared.

import { h } from "../../dom.js";
import { NameOf, isRemote, timeOfDay } from "../../words.js";
import { kindOf } from "../steps/index.js";

export function live(state, view) {
  const sess = view.session;
  const ex = sess.exercise;
  const body = ex ? kindOf(ex.step.kind).live(view, ex.step, state).filter(Boolean) : [];
  const quiet = ex && !body.some((node) => node.tagName !== "P" || !node.classList.contains("meta"));
  return h("section", { class: "panel live", "aria-labelledby": "live-title" },
    h("h2", { id: "live-title" }, ex ? "This step, live" : "This step"),
    ex ? body : h("p", { class: "hint" }, sess.phase === "summary" ? "The exercises are over." : "Nothing yet."),
    quiet ? h("p", { class: "hint" }, isRemote(view)
      ? "Nothing written in this step yet. What they send appears here as they send it."
      : "They talk aloud in the same room, so only their taps show here.") : null);
}

export function sharedFeed(view) {
  const entries = [...(view.session.shared || [])].reverse();
  return h("section", { class: "panel shared", "aria-labelledby": "shared-title" },
    h("h2", { id: "shared-title" }, "What they've shared"),
    h("p", { class: "hint" }, "Newest first. Private answers appear only once they are revealed to both."),
    entries.length
      ? h("ol", { class: "feed", id: "shared-feed" }, entries.map((e) => h("li", null,
        h("p", { class: "entry-who" }, `${timeOfDay(e.at)} · ${NameOf(view, e.seat)} · ${e.label}`),
        h("p", { class: "entry-text" }, e.text),
        h("p", { class: "meta" }, `${e.exercise} · ${e.step}`))))
      : h("p", { class: "meta" }, "Nothing written yet."));
}
