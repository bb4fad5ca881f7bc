// The exercise screen: which exercise and step, your ROLE, whose turn it is and
// the one thing to do now; the ways out always in reach (time-out, cool-down,
// stop this exercise, leave); the pause.

import { h } from "../dom.js";
import * as storage from "../storage.js";
import { NameOf, PARTNERS, isRemote, nameOf, otherSeat } from "../words.js";
import { moderatorBadge, moderatorTag, notice, partnerAway, promptPanel, safetyLink, wayOut } from "./common.js";
import { chooser, cooldownPanel, dockControls, stopPanel } from "./safety.js";
import { voiceNote } from "./voice.js";
import { ROLE_WORDS, kindOf } from "./steps/index.js";

/** Everything a step module needs to render, built from the state. */
export function stepCtx(state) {
  const view = state.view;
  const exercise = view.session.exercise;
  const step = exercise.step;
  const pendingTypes = new Set(Object.values(state.pending));
  return {
    view, step, exercise,
    other: otherSeat(view),
    remote: isRemote(view),
    can: (type) => step.can.includes(type),
    busy: (type) => pendingTypes.has(type),
    offline: state.conn !== "online",
    draft: (key) => storage.loadDraft(view.code, key),
    keyBase: `${exercise.index}.${step.index}`,
    ui: state.ui,
    feelings: state.feelings,
  };
}

/** Who swapped the roles in this step, on both phones, so a new role never arrives unexplained. */
function swappedNote(view) {
  const by = view.session.swapped?.by;
  if (!by) return null;
  return h("p", { class: "hint swapped", id: "swapped-note", role: "status" },
    `${by === view.you.seat ? "You" : NameOf(view, by)} swapped your roles. Your part is below.`);
}

/** Role label, turn sentence and whether it is this phone's turn, for the screen and the announcer. */
export function turnOf(state) {
  const view = state.view;
  const sess = view?.session;
  if (!sess || sess.phase !== "running" || !sess.exercise) return null;
  const ctx = stepCtx(state);
  const kind = kindOf(ctx.step.kind);
  if (sess.timeout?.cooldown) {
    const ready = sess.timeout.ready.includes(view.you.seat);
    return {
      key: `cooldown:${ready}`, mine: !ready, role: ctx.step.role,
      turn: ready ? `Cooling down. Waiting for ${nameOf(view, ctx.other)} to be ready.` : "Cooling down. Say you're ready when you are.",
    };
  }
  if (sess.timeout?.by === "moderator") {
    return { key: "timeout:moderator", mine: false, role: ctx.step.role,
      turn: `Paused by ${nameOf(view, "moderator")}` };
  }
  if (sess.timeout) {
    const ready = sess.timeout.ready.includes(view.you.seat);
    return {
      key: `timeout:${ready}`, mine: !ready, role: ctx.step.role,
      turn: ready ? `Time-out. Waiting for ${nameOf(view, ctx.other)} to be ready.` : "Time-out. Say you're ready when you are.",
    };
  }
  const said = kind.describe(ctx);
  const role = said.role || ctx.step.role;
  return {
    key: JSON.stringify([sess.exercise.index, ctx.step.index, ctx.step.phase, ctx.step.waiting_for, ctx.step.can, said.turn]),
    mine: said.mine, role, turn: said.turn,
  };
}

/** "You are the Speaker", or the kind's own line ("Together — you both answer privately"). */
function roleLine(ctx, role) {
  const own = kindOf(ctx.step.kind).roleLine(ctx, role);
  if (own) return h("p", { class: "role" }, h("strong", { class: "role-name" }, own.name), ` — ${own.text}`);
  if (role === "observer") return h("p", { class: "role" }, "You are ", h("strong", { class: "role-name" }, "observing"));
  return h("p", { class: "role" }, "You are the ", h("strong", { class: "role-name" }, ROLE_WORDS[role] || role));
}

function pausePanel(state) {
  const view = state.view;
  const t = view.session.timeout;
  const me = view.you.seat;
  const by = t.by === me ? "You" : NameOf(view, t.by);
  const busy = Object.values(state.pending).includes("ready");
  if (t.cooldown) return cooldownPanel(state);
  if (t.by === "moderator") {
    // The moderator's pause ends when the moderator resumes; nobody here has to say ready.
    return h("section", { class: "panel pause", "aria-labelledby": "pause-title" },
      h("h2", { id: "pause-title" }, "Paused"),
      h("p", null, moderatorTag(), ` ${NameOf(view, "moderator")} paused the session for you both. Take a breath. Nothing moves on until they resume it.`));
  }
  return h("section", { class: "panel pause", "aria-labelledby": "pause-title" },
    h("h2", { id: "pause-title" }, "Time-out"),
    h("p", null, `${by} called a time-out. Take a breath. Nothing moves on until you're both ready.`),
    h("ul", { class: "statuses" }, PARTNERS.map((seat) => h("li", {
      class: ["status", t.ready.includes(seat) ? "answered" : "thinking"],
    }, h("span", { class: "who" }, seat === me ? "You" : NameOf(view, seat)),
    t.ready.includes(seat) ? " — ready to go on" : " — not ready yet"))),
    view.can.includes("ready")
      ? h("button", { type: "button", class: "btn primary", id: "ready", data: { action: "intent", type: "ready" }, disabled: busy },
        busy ? "Sending…" : "I'm ready to go on")
      : h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }),
        `You're ready. Waiting for ${nameOf(view, otherSeat(view))}.`));
}

function howItWorks(state, ctx) {
  const ex = ctx.exercise;
  const step = ctx.step;
  const key = `how-${ex.index}-${step.index}`;
  const texts = Object.entries(step.instructions || {});
  const namesOf = kindOf(step.kind).ROLES; // "both" has no name: its text is for everyone
  return h("details", { class: "how", id: key, open: Boolean(state.ui.open?.[key]), data: { open: key } },
    h("summary", null, "How this step works"),
    texts.map(([who, text]) => h("p", null, texts.length > 1 && namesOf[who] ? h("strong", null, `${namesOf[who]}: `) : null, text)),
    ex.care_note ? h("p", { class: "care" }, h("strong", null, "Take care: "), ex.care_note) : null,
    step.topics?.length
      ? [h("p", { class: "field-label" }, "Ideas to talk about"), h("ul", { class: "topics" }, step.topics.map((t) => h("li", null, t)))]
      : null);
}

/** The exercise screen. */
export function render(state) {
  const view = state.view;
  const ctx = stepCtx(state);
  const { exercise, step } = ctx;
  const turn = turnOf(state);
  const paused = Boolean(view.session.timeout);

  return h("section", { class: "screen exercise", data: { kind: step.kind, phase: step.phase } },
    h("header", { class: "screen-head" },
      h("p", { class: "eyebrow" }, `Exercise ${exercise.index + 1} of ${exercise.of} · step ${step.index + 1} of ${step.of}`),
      h("h1", { tabindex: "-1" }, exercise.title),
      h("p", { class: "step-title" }, step.title)),
    moderatorBadge(view),
    notice(state),
    promptPanel(view, ctx),
    swappedNote(view),
    partnerAway(view, ctx.other),
    stopPanel(state),
    h("div", { class: ["role-card", turn.mine ? "mine" : "theirs"], data: { role: turn.role } },
      roleLine(ctx, turn.role),
      h("p", { class: "turn", id: "turn-line" }, turn.turn)),
    voiceNote(view, step),
    paused
      ? pausePanel(state)
      : h("div", { class: "step-body" },
        kindOf(step.kind).render(ctx)),
    howItWorks(state, ctx),
    chooser(state),
    h("div", { class: "dock" },
      dockControls(state),
      safetyLink(),
      wayOut(view)));
}
