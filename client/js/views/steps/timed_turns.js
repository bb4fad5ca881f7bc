// Timed turns: each partner speaks for a set time; the server holds the deadline
// and ends the turn, the phones only count down to it.

import { h } from "../../dom.js";
import { NameOf, clock, nameOf } from "../../words.js";
import { serverNow } from "../../store.js";
import { intentButton, ints, textTurn } from "./controls.js";

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
export const WORDS = { start_turn: "started a turn", end_turn: "ended a turn", write_turn: "wrote in their turn" };

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step } = ctx;
  const mine = step.can.length > 0;
  const S = NameOf(view, step.speaker);
  const s = nameOf(view, step.speaker);
  // Apart, the couple chose how they talk here: typing (write and read) or their call in Attune.
  const turn = step.voice === "typing" ? {
    ready: mine ? "Your turn: start writing when you're ready" : `${S} will start writing soon`,
    speaking: mine ? "Your turn: write — this time is yours" : `Read what ${s} writes`,
    done: "This step is complete",
  }[step.phase] : {
    ready: mine ? "Your turn: start speaking when you're ready" : `${S} will start speaking soon`,
    speaking: mine ? (step.voice === "call" ? "On your call: your turn to speak — this time is yours" : "Your turn: speak — this time is yours")
      : `${step.voice === "call" ? "On your call: listen" : "Listen"} to ${s}`,
    done: "This step is complete",
  }[step.phase];
  return { mine, turn };
}

/** What the speaker wrote in typed turns, newest turn last, for both to read. */
function written(ctx) {
  const { view, step } = ctx;
  const pieces = step.written || [];
  if (!step.typed) return null;
  const current = pieces.filter((p) => p.turn === step.turn.number);
  // Between turns, the last turn's words stay up until the next speaker starts.
  const shown = current.length || step.phase !== "ready" ? current : pieces.filter((p) => p.turn === step.turn.number - 1);
  const who = shown[0] ? (shown[0].seat === view.you.seat ? "You wrote" : `${NameOf(view, shown[0].seat)} wrote`) : null;
  return h("section", { class: "written", "aria-label": "Written in this turn", "aria-live": "polite", id: "turn-written" },
    shown.length ? [h("h3", null, who), shown.map((p) => h("p", { class: "answer-text" }, p.text))]
      : step.phase === "speaking" && !ctx.can("write_turn") ? h("p", { class: "hint" }, "Nothing written yet.") : null);
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
  body.push(written(ctx));
  if (ctx.can("start_turn")) {
    body.push(intentButton(ctx, { type: "start_turn", label: `Start my ${clock(step.seconds)}` }));
  } else if (ctx.can("end_turn")) {
    if (ctx.can("write_turn")) {
      body.push(textTurn(ctx, {
        type: "write_turn", key: `${ctx.keyBase}.turn.${step.turn.number}`, required: true,
        label: "Write what you'd say", hint: `${NameOf(ctx.view, step.listener)} reads each part as soon as you send it.`,
        send: "Send",
      }));
    }
    body.push(intentButton(ctx, { type: "end_turn", label: "I'm done — end my turn", kind: "secondary" }));
  } else if (step.role === "listener" && step.phase !== "done") {
    body.push(h("p", { class: "hint" }, step.typed
      ? "Give them your full attention. Their words appear here as they send them; the time ends on its own."
      : "Give them your full attention. The time ends on its own."));
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
  const pieces = (step.written || []).filter((p) => p.turn === step.turn.number);
  return [h("p", { class: "meta" }, `${eachTurn(step)} · ${NameOf(view, step.speaker)} ${step.typed ? "writing" : "speaking"}`),
    pieces.length ? h("div", { class: "answers" }, h("div", { class: "answer" }, h("h3", null, `${NameOf(view, step.speaker)} wrote`),
      pieces.map((p) => h("p", { class: "answer-text" }, p.text)))) : null];
}
