// The moderator's timeline: who did what, and when; never what anyone wrote.
// The words are the server's (`what`, `where` on each entry) when it sends them;
// an older server sends bare events, worded here.

import { h } from "../../dom.js";
import { NameOf, timeOfDay } from "../../words.js";
import { STEP_WORDS } from "../steps/index.js";

const TIMELINE_SHOWN = 25;

// Room, session and moderator events; each step kind words its own intents (STEP_WORDS).
const WHAT = {
  room_created: "opened the session", seat_claimed: "joined", mode_set: null, plan_proposed: null,
  plan_agreed: "agreed to the plan", session_started: "started the session", timeout: "called a time-out",
  ready: "is ready to go on", resumed: "resumed", deadline: "time ran out", summary_choice: null,
  advance_step: "moved on a step", back_step: "went back a step", skip_exercise: "skipped the exercise",
  swap_roles: "swapped roles", adjust_timer: null, prompt: null, end_session: "ended the exercises",
  note: "added a private note", answer_card: "answered the extra card",
};

/** One log entry in words: what happened (never what anyone wrote). */
function whatOf(e) {
  switch (e.type) {
    case "presence": return { online: "came back", away: "went away", left: "left" }[e.presence] || "presence changed";
    case "mode_set": return e.mode === "remote" ? "set: apart, typing" : "set: same room, aloud";
    case "plan_proposed": return `set the plan${e.exercises ? ` (${e.exercises} exercise${e.exercises === 1 ? "" : "s"})` : ""}`;
    case "summary_choice": return e.keep ? "chose to keep the summary" : "chose not to keep the summary";
    case "adjust_timer": return `changed the timer by ${e.seconds > 0 ? "+" : "−"}${Math.abs(e.seconds)} s`;
    case "prompt": return e.prompt_kind === "card" ? "sent an extra card" : "sent a prompt";
    case "timeout": return e.seat === "moderator" ? "paused" : "called a time-out";
    default: return WHAT[e.type] || STEP_WORDS[e.type] || String(e.type).replace(/_/g, " ");
  }
}

function whoOf(view, seat) {
  if (!seat) return "Attune";
  if (seat === view.you.seat) return "You";
  return NameOf(view, seat);
}

/** Where it happened: the server's words, else the exercise of the plan and the step. */
function whereOf(e, plan) {
  if (typeof e.where === "string") return e.where;
  return e.exercise !== null && e.exercise !== undefined && plan[e.exercise]
    ? `${plan[e.exercise].title} · step ${(e.step ?? 0) + 1}` : "";
}

export function timeline(state, view) {
  const events = state.timeline;
  const plan = view.session?.plan || [];
  const all = Array.isArray(events) ? [...events].reverse() : [];
  const open = Boolean(state.ui.open?.timeline);
  const shown = open ? all : all.slice(0, TIMELINE_SHOWN);
  return h("section", { class: "panel timeline", "aria-labelledby": "timeline-title" },
    h("h2", { id: "timeline-title" }, "Timeline"),
    h("p", { class: "hint" }, "Who did what, and when. Never what anyone wrote."),
    events === null ? h("p", { class: "waiting" }, "Loading the timeline…") : null,
    shown.length ? h("ol", { class: "events", id: "timeline-list" }, shown.map((e) => {
      const where = whereOf(e, plan);
      return h("li", { class: "event", data: { type: e.type } },
        h("span", { class: "event-time" }, timeOfDay(e.at)),
        h("span", { class: "event-what" }, h("strong", null, whoOf(view, e.seat)), ` ${typeof e.what === "string" ? e.what : whatOf(e)}`),
        where ? h("span", { class: "event-where" }, where) : null);
    })) : null,
    all.length > TIMELINE_SHOWN
      ? h("button", { type: "button", class: "btn quiet", id: "timeline-more",
        data: { action: open ? "close" : "open", open: "timeline" } }, open ? "Show the latest only" : `Show all ${all.length}`)
      : null);
}
