// Timed turns: each partner speaks for a set time; the server holds the deadline
// and ends the turn, the phones only count down to it.

import { h } from "../../dom.js";
import { NameOf, clock, nameOf } from "../../words.js";
import { serverNow } from "../../store.js";
import { intentButton, ints } from "./controls.js";

export const KIND = "timed_turns";

export const ROLES = { speaker: "Speaker", listener: "Listener" };

export const PLAN_OPTIONS = {
  seconds: {
    label: "Minutes each turn", lobby: true,
    values: (range) => ints(range, 30, 1800,
      [[30, "½"], [60, "1"], [90, "1½"], [120, "2"], [180, "3"], [300, "5"], [600, "10"]]),
    text: (v) => `${v < 60 ? `${v} s` : v % 60 ? `${Math.floor(v / 60)} min ${v % 60} s` : `${v / 60} min`} turns`,
  },
  turns: {
    label: "Turns each",
    values: (range) => ints(range, 1, 4),
    text: (v) => `${v} turn${v === 1 ? "" : "s"} each`,
  },
};

/** "Turn 1 of 2 each": the order alternates the partners, so count turns per partner as the lobby does. */
function eachTurn(step) {
  return `Turn ${Math.ceil(step.turn.number / 2)} of ${Math.ceil(step.turn.of / 2)} each`;
}

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = { start_turn: "started a turn", end_turn: "ended a turn" };

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step } = ctx;
  const mine = step.can.length > 0;
  const S = NameOf(view, step.speaker);
  const turn = {
    ready: mine ? "Your turn: start speaking when you're ready" : `${S} will start speaking soon`,
    speaking: mine ? "Your turn: speak — this time is yours" : `Listen to ${nameOf(view, step.speaker)}`,
    done: "This step is complete",
  }[step.phase];
  return { mine, turn };
}

/** The step screen's body. */
export function render(ctx) {
  const { step } = ctx;
  const body = [h("p", { class: "meta" }, eachTurn(step))];
  let timer = null;
  let caption = null;
  if (step.phase === "speaking" && step.deadline) {
    caption = "Time left";
    timer = h("p", { class: "timer", role: "timer", "aria-labelledby": "timer-caption", data: { deadline: String(step.deadline) } },
      clock(step.deadline - serverNow()));
  } else if (step.paused && step.remaining !== null && step.remaining !== undefined) {
    caption = "Time left (paused)";
    timer = h("p", { class: "timer paused", role: "timer", "aria-labelledby": "timer-caption" }, clock(step.remaining));
  } else if (step.phase === "ready") {
    caption = "Each turn";
    timer = h("p", { class: "timer idle" }, clock(step.seconds));
  }
  if (caption) body.push(h("p", { class: "timer-caption", id: "timer-caption" }, caption));
  body.push(timer);
  if (ctx.can("start_turn")) {
    body.push(intentButton(ctx, { type: "start_turn", label: `Start my ${clock(step.seconds)}` }));
  } else if (ctx.can("end_turn")) {
    body.push(intentButton(ctx, { type: "end_turn", label: "I'm done — end my turn", kind: "secondary" }));
  } else if (step.role === "listener" && step.phase !== "done") {
    body.push(h("p", { class: "hint" }, "Give them your full attention. The time ends on its own."));
  }
  return body;
}

// --- the dashboard ------------------------------------------------------------

/** Each partner's role word, by seat. */
export function roles(view, step) {
  return step.speaker ? { [step.speaker]: ROLES.speaker, [step.listener]: ROLES.listener } : {};
}

/** What is happening now, with the partners' names. */
export function now(view, step) {
  return step.phase === "speaking" ? `${NameOf(view, step.speaker)} speaks; ${NameOf(view, step.listener)} listens.`
    : `${NameOf(view, step.speaker)} starts a turn when ready.`;
}

/** The clock, as more facts under "Now" (#dash-timer counts down to the server's deadline). */
export function facts(view, step) {
  if (step.phase === "speaking" && step.deadline) {
    return [h("dt", null, "Time left"), h("dd", null,
      h("span", { class: "dash-timer", role: "timer", id: "dash-timer", data: { deadline: String(step.deadline) } },
        clock(step.deadline - serverNow())))];
  }
  if (step.paused && step.remaining !== null && step.remaining !== undefined) {
    return [h("dt", null, "Time left"), h("dd", null, h("span", { class: "dash-timer" }, `${clock(step.remaining)} (paused)`))];
  }
  return [h("dt", null, "Each turn"), h("dd", null, clock(step.seconds))];
}

/** Where the turns are. */
export function live(view, step) {
  return [h("p", { class: "meta" }, `${eachTurn(step)} · ${NameOf(view, step.speaker)} speaking`)];
}
