// Timed together: a quiet moment both share in the same room (a gaze, or taking
// turns to lead and mirror). The server holds the clock; either partner may stop
// at any moment, and nothing is asked afterwards.

import { h } from "../../dom.js";
import { NameOf, PARTNERS, clock, nameOf } from "../../words.js";
import { serverNow } from "../../store.js";
import { intentButton, ints } from "./controls.js";

export const KIND = "timed_together";

export const ROLES = { leader: "Leader", mirror: "Mirror" };

export const PLAN_OPTIONS = {
  together_seconds: {
    label: "Minutes together", lobby: true,
    values: (range) => ints(range, 30, 600, [[60, "1"], [90, "1½"], [120, "2"], [180, "3"], [300, "5"]]),
    text: (v) => `${v % 60 ? `${Math.floor(v / 60)} min ${v % 60} s` : `${v / 60} min`} together`,
  },
};

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = { together_ready: "was ready", together_stop: "stopped the moment", together_skip: "went on" };

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step, other } = ctx;
  const me = view.you.seat;
  const O = nameOf(view, other);
  const mine = step.waiting_for.includes(me);
  const turn = {
    apart: step.ready[me] ? `Waiting for ${O} to go on` : "This one is for the same room: go on when you're ready",
    ready: step.ready[me] ? `Waiting for ${O} to be ready` : "Your turn: say when you're ready",
    running: step.lead ? (step.leader === me ? "Lead slowly; your partner mirrors you" : `Mirror ${O}'s face`) : "Stay with each other, without words",
    done: "This step is complete",
  }[step.phase];
  return { mine, turn };
}

export function roleLine(ctx, role) {
  if (role === "leader" || role === "mirror") return null;
  return { name: "Together", text: "a quiet moment, side by side" };
}

function timer(step) {
  if (step.phase === "running" && step.deadline) {
    return [h("p", { class: "timer-caption", id: "timer-caption" }, "Time left"),
      h("p", { class: "timer", role: "timer", "aria-labelledby": "timer-caption", data: { deadline: String(step.deadline) } },
        clock(step.deadline - serverNow()))];
  }
  if (step.paused && step.remaining !== null && step.remaining !== undefined) {
    return [h("p", { class: "timer-caption", id: "timer-caption" }, "Time left (paused)"),
      h("p", { class: "timer paused", role: "timer", "aria-labelledby": "timer-caption" }, clock(step.remaining))];
  }
  return [h("p", { class: "timer-caption" }, "The moment lasts"), h("p", { class: "timer idle" }, clock(step.seconds))];
}

/** The step screen's body. */
export function render(ctx) {
  const { view, step, other } = ctx;
  if (step.phase === "apart") {
    return [
      h("p", null, "This one needs you side by side in the same room, so it's skipped in a session apart. Try it another evening when you're together."),
      ctx.can("together_skip") ? intentButton(ctx, { type: "together_skip", label: "Go on" }) : null,
    ];
  }
  const body = [];
  if (step.lead) body.push(h("p", { class: "meta" }, `Round ${step.turn.number} of ${step.turn.of} · ${NameOf(view, step.leader)} leads`));
  body.push(...timer(step));
  if (step.phase === "ready") {
    body.push(h("p", { class: "meta" }, step.ready[other] ? `${NameOf(view, other)} is ready.` : `${NameOf(view, other)} is getting ready.`));
    if (ctx.can("together_ready")) body.push(intentButton(ctx, { type: "together_ready", label: "I'm ready" }));
  }
  if (step.phase === "running") body.push(h("p", { class: "hint" }, "Put the phone down if you like. The time ends on its own."));
  if (ctx.can("together_stop")) {
    body.push(intentButton(ctx, { type: "together_stop", label: "Stop", kind: "secondary" }),
      h("p", { class: "hint" }, "Either of you can stop at any moment. Nothing more will be asked."));
  }
  return body;
}

// --- the dashboard ------------------------------------------------------------

export function roles(view, step) {
  if (!step.lead || !step.leader) return Object.fromEntries(PARTNERS.map((seat) => [seat, "Together"]));
  const mirror = PARTNERS.find((seat) => seat !== step.leader);
  return { [step.leader]: ROLES.leader, [mirror]: ROLES.mirror };
}

export function now(view, step) {
  return {
    apart: "Not in one room: this step is skipped.", ready: "Getting ready for a quiet moment together.",
    running: step.lead ? `${NameOf(view, step.leader)} leads; the other mirrors, in silence.` : "A quiet moment together, without words.",
    done: step.stopped_by ? `${NameOf(view, step.stopped_by)} stopped it.` : "The moment is over.",
  }[step.phase] || step.phase;
}

export function facts(view, step) {
  if (step.phase === "running" && step.deadline) {
    return [h("dt", null, "Time left"), h("dd", null,
      h("span", { class: "dash-timer", role: "timer", id: "dash-timer", data: { deadline: String(step.deadline) } },
        clock(step.deadline - serverNow())))];
  }
  return [h("dt", null, "The moment lasts"), h("dd", null, clock(step.seconds))];
}
