// The dashboard's "Observing" panel: the couple (roles, whose move, presence),
// where they are in the plan and what is happening now, in the step kind's words.

import { voiceWords } from "../voice.js";
import { h } from "../../dom.js";
import { NameOf, PARTNERS, PRESENCE, isRemote } from "../../words.js";
import { breathing } from "../safety.js";
import { kindOf } from "../steps/index.js";

function couple(view) {
  const step = view.session?.exercise?.step;
  const roles = step ? kindOf(step.kind).roles(view, step) : {};
  const moving = new Set(view.session?.timeout ? [] : step?.waiting_for || []);
  return h("ul", { class: "people couple" }, PARTNERS.map((seat) => {
    const held = view.seats[seat];
    if (!held) {
      return h("li", { class: "person empty", data: { seat } },
        h("span", { class: "dot", "aria-hidden": "true" }),
        h("span", { class: "who" }, "Waiting for a partner…"));
    }
    return h("li", { class: ["person", held.presence], data: { seat } },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "who" }, held.name),
      roles[seat] ? h("span", { class: "badge role-badge" }, roles[seat]) : null,
      moving.has(seat) ? h("span", { class: "their-move" }, "their move") : null,
      h("span", { class: "presence" }, PRESENCE[held.presence] || held.presence));
  }));
}

/** "Now", in the kind's words; the generic sentences for a finished step or a time-out stay here. */
function nowLine(view, step, timeout) {
  if (timeout?.cooldown) return `Cooling down (${timeout.cooldown.minutes} min); it ends when both are ready.`;
  if (timeout) return timeout.by === "moderator" ? "Paused by you." : "In a time-out.";
  if (step.phase === "done") return "This step is complete.";
  const kind = kindOf(step.kind);
  return kind.now(view, step) ?? String(step.phase).replace(/_/g, " ");
}

function whereFacts(view) {
  const sess = view.session;
  const ex = sess.exercise;
  if (sess.phase === "lobby") return null;
  if (sess.phase === "summary") {
    const keep = sess.summary?.keep || {};
    const word = (seat) => ({ true: "keeps it", false: "doesn't keep it" }[String(keep[seat])] || "hasn't chosen yet");
    return h("dl", { class: "facts" },
      h("dt", null, "Now"), h("dd", null, "The exercises are over. Each partner chooses whether to keep what was written."),
      PARTNERS.map((seat) => [h("dt", null, NameOf(view, seat)), h("dd", null, word(seat))]));
  }
  if (!ex) return null;
  const step = ex.step;
  const t = sess.timeout;
  return h("dl", { class: "facts", id: "where" },
    h("dt", null, "Exercise"), h("dd", null, `${ex.title} (${ex.index + 1} of ${ex.of})`),
    h("dt", null, "Step"), h("dd", { id: "where-step" }, `${step.title} (${step.index + 1} of ${step.of})`),
    h("dt", null, "Now"), h("dd", { id: "where-now" }, nowLine(view, step, t)),
    t && (t.by !== "moderator" || t.cooldown)
      ? [h("dt", null, t.cooldown ? "Cool-down" : "Time-out"), h("dd", null, `Called by ${t.by === "moderator" ? "you" : NameOf(view, t.by)}`,
        t.ready.length ? ` · ready: ${t.ready.map((s) => NameOf(view, s)).join(", ")}` : "")]
      : null,
    t?.cooldown ? h("dd", { class: "wide" }, breathing(t.cooldown)) : null,
    sess.stop
      ? [h("dt", null, "Stop"), h("dd", { id: "where-stop" }, `${NameOf(view, sess.stop.by)} asked to stop this exercise`,
        sess.stop.agreed.length > 1 ? " · both agree" : "")]
      : null,
    kindOf(step.kind).facts(view, step));
}

function planProgress(view) {
  const sess = view.session;
  if (!sess.plan.length || sess.phase === "lobby") return null;
  const at = sess.exercise ? sess.exercise.index : sess.plan.length;
  return h("ol", { class: "plan-list progress", "aria-label": "The plan" }, sess.plan.map((item, i) => h("li", {
    class: i === at ? "current" : i < at ? "done" : null, "aria-current": i === at ? "step" : null,
  }, item.title, i < at ? h("span", { class: "meta" }, item.stopped ? " · stopped" : item.skipped ? " · skipped" : " · done") : null)));
}

export function observing(view) {
  const away = PARTNERS.filter((seat) => view.seats[seat] && view.seats[seat].presence !== "online");
  return h("section", { class: "panel observing", "aria-labelledby": "observing-title" },
    h("h2", { id: "observing-title" }, "Observing"),
    couple(view),
    away.length ? h("p", { class: "away-line" }, away.map((seat) => `${NameOf(view, seat)}'s phone is ${view.seats[seat].presence === "left" ? "out of the session" : "away"}.`).join(" "),
      " Everything waits for them.") : null,
    h("p", { class: "meta" }, isRemote(view) ? "They're apart and type to each other." : "They're in the same room and talk aloud."),
    voiceWords(view) ? h("p", { class: "meta", id: "dash-voice" }, voiceWords(view)) : null,
    whereFacts(view),
    planProgress(view));
}
