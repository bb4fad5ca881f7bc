// The therapist's dashboard at the moderator seat. Before the couple arrives:
// the moderator's own link, the partners' invite, the plan, Start. During the
// session: who is here and in which role, where they are and whose move it is,
// what each partner shares as they share it, the timeline, the controls the
// server allows now (`can`), prompts to both phones, private notes, export.
// Three columns on a laptop, two on a tablet, one on a phone.

import { h } from "../dom.js";
import { spacedCode } from "../route.js";
import * as storage from "../storage.js";
import { serverNow } from "../store.js";
import { DEPTH, NameOf, PRESENCE, ROLE_NAMES, clock, isRemote, timeOfDay } from "../words.js";
import { notice, title } from "./common.js";
import { CATEGORY, OPTION_CHOICES, optionsFor, optionsText } from "./plan.js";

const PARTNERS = ["partner_a", "partner_b"];
const TIMELINE_SHOWN = 25;

const can = (view, type) => view.can.includes(type);
const busy = (state, type) => Object.values(state.pending).includes(type);

// --- who, where, whose move -----------------------------------------------------

/** Each partner's role in the current step, as a word ("Speaker"), or null. */
function rolesOf(step) {
  const roles = {};
  if (!step) return roles;
  if (step.speaker) {
    roles[step.speaker] = ROLE_NAMES.speaker;
    roles[step.listener] = ROLE_NAMES.listener;
  } else if (step.sender) {
    roles[step.sender] = ROLE_NAMES.sender;
    roles[step.receiver] = ROLE_NAMES.receiver;
  } else if (step.kind === "cards" && (step.phase === "first" || step.phase === "second") && step.waiting_for[0]) {
    for (const seat of PARTNERS) roles[seat] = seat === step.waiting_for[0] ? ROLE_NAMES.answerer : ROLE_NAMES.listener;
  } else if (step.kind === "cards" || step.kind === "checkin") {
    for (const seat of PARTNERS) roles[seat] = "Together";
  }
  return roles;
}

/** What is happening in the step, as one sentence with the partners' names. */
function nowLine(view, step) {
  const N = (seat) => NameOf(view, seat);
  if (step.phase === "done") return "This step is complete.";
  if (step.kind === "speaker_listener") {
    const S = N(step.speaker);
    const L = N(step.listener);
    return {
      share: `${S} shares a small piece; ${L} listens.`,
      paraphrase: `${L} says back what ${S} said.`,
      check: `${S} checks whether ${L} got it.`,
      next: `${S} says more or passes the floor.`,
    }[step.phase];
  }
  if (step.kind === "imago") {
    const S = N(step.sender);
    const R = N(step.receiver);
    return {
      appointment: `${S} asks ${R} for a dialogue.`,
      answer_appointment: `${R} says whether now is a good time.`,
      later: "They agreed on later.",
      send: `${S} sends; ${R} listens.`,
      mirror: `${R} mirrors what ${S} said.`,
      mirror_check: `${S} checks the mirror.`,
      more: `${S} says whether there is more.`,
      summary: `${R} sums it all up.`,
      summary_check: `${S} checks the summary.`,
      validation: `${R} tells ${S} how it makes sense.`,
      empathy: `${R} imagines how ${S} might feel.`,
      empathy_check: `${S} says whether that is how it feels.`,
      close: `${S} closes the dialogue.`,
    }[step.phase];
  }
  if (step.kind === "cards") {
    if (step.phase === "answering") {
      return step.mode === "guess" ? "Both answer privately and guess each other's answer." : "Both answer privately.";
    }
    if (step.phase === "first" || step.phase === "second") return `${N(step.waiting_for[0])} answers the card.`;
    if (step.phase === "revealed") return "Both answers are revealed; they go on when they're ready.";
    if (step.phase === "discuss") return "They talk it over, then go on.";
  }
  if (step.kind === "checkin") {
    return step.phase === "checking_in" ? "Both name what they feel, privately." : "Both check-ins are revealed.";
  }
  if (step.kind === "timed_turns") {
    return step.phase === "speaking" ? `${N(step.speaker)} speaks; ${N(step.listener)} listens.`
      : `${N(step.speaker)} starts a turn when ready.`;
  }
  return String(step.phase).replace(/_/g, " ");
}

function couple(view) {
  const step = view.session?.exercise?.step;
  const roles = rolesOf(step);
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

function timerFacts(step) {
  if (step?.kind !== "timed_turns") return null;
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
    h("dt", null, "Now"), h("dd", { id: "where-now" }, t ? (t.by === "moderator" ? "Paused by you." : "In a time-out.") : nowLine(view, step)),
    t && t.by !== "moderator"
      ? [h("dt", null, "Time-out"), h("dd", null, `Called by ${NameOf(view, t.by)}`,
        t.ready.length ? ` · ready: ${t.ready.map((s) => NameOf(view, s)).join(", ")}` : "")]
      : null,
    timerFacts(step));
}

function planProgress(view) {
  const sess = view.session;
  if (!sess.plan.length || sess.phase === "lobby") return null;
  const at = sess.exercise ? sess.exercise.index : sess.plan.length;
  return h("ol", { class: "plan-list progress", "aria-label": "The plan" }, sess.plan.map((item, i) => h("li", {
    class: i === at ? "current" : i < at ? "done" : null, "aria-current": i === at ? "step" : null,
  }, item.title, i < at ? h("span", { class: "meta" }, " · done") : null)));
}

function observing(view) {
  const away = PARTNERS.filter((seat) => view.seats[seat] && view.seats[seat].presence !== "online");
  return h("section", { class: "panel observing", "aria-labelledby": "observing-title" },
    h("h2", { id: "observing-title" }, "Observing"),
    couple(view),
    away.length ? h("p", { class: "away-line" }, away.map((seat) => `${NameOf(view, seat)}'s phone is ${view.seats[seat].presence === "left" ? "out of the session" : "away"}.`).join(" "),
      " Everything waits for them.") : null,
    h("p", { class: "meta" }, isRemote(view) ? "They're apart and type to each other." : "They're in the same room and talk aloud."),
    whereFacts(view),
    planProgress(view));
}

// --- what they share ----------------------------------------------------------------

function quote(caption, text, tone = "") {
  if (!text) return null;
  return h("figure", { class: ["quote", tone] }, h("figcaption", null, caption), h("blockquote", null, h("p", null, text)));
}

function cardsLive(view, step) {
  if (!step.card) return [h("p", { class: "hint" }, "The cards are done.")];
  const statusWord = { thinking: "is thinking…", answered: "has answered", passed: "passed this card" };
  return [
    h("article", { class: "card", "aria-label": `Card ${step.card.number} of ${step.card.of}` },
      h("p", { class: "card-count" }, `Card ${step.card.number} of ${step.card.of}`),
      h("p", { class: "card-text" }, step.card.text)),
    h("div", { class: "answers" }, PARTNERS.map((seat) => {
      const a = step.answers?.[seat] || {};
      let status = statusWord[a.status] || "";
      if (step.mode === "guess" && a.status !== "passed") status += a.guessed ? ", has guessed" : ", hasn't guessed yet";
      return h("div", { class: "answer" },
        h("h3", null, NameOf(view, seat)),
        a.text ? h("p", { class: "answer-text" }, a.text) : h("p", { class: "hint" }, status),
        a.guess ? h("p", { class: "guess" }, h("span", { class: "label" }, "Guessed: "), a.guess) : null);
    })),
  ];
}

function checkinLive(view, step, words) {
  return [h("div", { class: "answers" }, PARTNERS.map((seat) => {
    const entry = step.entries?.[seat] || {};
    return h("div", { class: "answer felt" },
      h("h3", null, NameOf(view, seat)),
      entry.feelings
        ? h("ul", { class: "felt-list" }, entry.feelings.map((f) => h("li", null,
          h("span", { class: "word" }, f.word || words.get(f.id) || f.id),
          h("span", { class: "strength" }, `${f.intensity} of 5`))))
        : h("p", { class: "hint" }, entry.status === "checked_in" ? "has checked in (shown at the reveal)" : "is choosing words…"),
      entry.note ? h("p", { class: "answer-text" }, entry.note) : null);
  }))];
}

function stepLive(state, view) {
  const step = view.session.exercise.step;
  const N = (seat) => NameOf(view, seat);
  const cur = step.current || {};
  if (step.kind === "speaker_listener") {
    return [
      h("p", { class: "meta" }, `${N(step.speaker)}'s floor · turn ${step.floor.number} of ${step.floor.of} · piece ${step.chunk}`,
        step.clarifications ? ` · clarified ${step.clarifications}×` : ""),
      quote(`${N(step.speaker)} said`, cur.share),
      quote(`${N(step.speaker)} clarified`, cur.clarify, "clarify"),
      quote(`${N(step.listener)} heard`, cur.paraphrase, "echo"),
    ];
  }
  if (step.kind === "imago") {
    const S = N(step.sender);
    const R = N(step.receiver);
    return [
      h("p", { class: "meta" }, `Round ${step.round} · ${step.pieces} piece${step.pieces === 1 ? "" : "s"} sent`),
      quote(`${S} sent`, cur.message), quote(`${S} corrected`, cur.correction, "clarify"),
      quote(`${R} mirrored`, cur.mirror, "echo"), quote(`${R} summed up`, cur.summary, "echo"),
      quote(`${S} added`, cur.missing, "clarify"), quote(`${R} validated`, cur.validation, "echo"),
      quote(`${R} imagined`, cur.empathy, "echo"), quote(`${S} said how it feels`, cur.feeling, "clarify"),
    ];
  }
  if (step.kind === "cards") return cardsLive(view, step);
  if (step.kind === "checkin") {
    const words = new Map();
    for (const family of Array.isArray(state.feelings) ? state.feelings : []) {
      for (const word of family.feelings) words.set(word.id, word.word);
    }
    return checkinLive(view, step, words);
  }
  if (step.kind === "timed_turns") {
    return [h("p", { class: "meta" }, `Turn ${step.turn.number} of ${step.turn.of} · ${N(step.speaker)} speaking`)];
  }
  return [];
}

function live(state, view) {
  const sess = view.session;
  const ex = sess.exercise;
  const body = ex ? stepLive(state, view).filter(Boolean) : [];
  const quiet = ex && !body.some((node) => node.tagName !== "P" || !node.classList.contains("meta"));
  return h("section", { class: "panel live", "aria-labelledby": "live-title" },
    h("h2", { id: "live-title" }, ex ? "This step, live" : "This step"),
    ex ? body : h("p", { class: "hint" }, sess.phase === "summary" ? "The exercises are over." : "Nothing yet."),
    quiet ? h("p", { class: "hint" }, isRemote(view)
      ? "Nothing written in this step yet. What they send appears here as they send it."
      : "They talk aloud in the same room, so only their taps show here.") : null);
}

function sharedFeed(view) {
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

// --- timeline ---------------------------------------------------------------------------

const WHAT = {
  room_created: "opened the session", seat_claimed: "joined", mode_set: null, plan_proposed: null,
  plan_agreed: "agreed to the plan", session_started: "started the session", timeout: "called a time-out",
  ready: "is ready to go on", resumed: "resumed", deadline: "time ran out", summary_choice: null,
  advance_step: "moved on a step", back_step: "went back a step", skip_exercise: "skipped the exercise",
  swap_roles: "swapped roles", adjust_timer: null, prompt: null, end_session: "ended the exercises",
  note: "added a private note", share: "shared a piece", paraphrase: "paraphrased", check: "checked the paraphrase",
  continue: "went on speaking", pass_floor: "passed the floor", answer: "answered", guess: "guessed",
  pass_card: "passed a card", advance: "went on", checkin: "checked in", start_turn: "started a turn",
  end_turn: "ended a turn", ask_appointment: "asked for a dialogue", appointment: "answered the appointment",
  send: "sent a message", mirror: "mirrored", mirror_check: "checked the mirror", more: "said whether there's more",
  summarize: "summed up", summary_check: "checked the summary", validate: "validated", empathize: "empathized",
  empathy_check: "checked the empathy", close: "closed the dialogue",
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
    default: return WHAT[e.type] || String(e.type).replace(/_/g, " ");
  }
}

function whoOf(view, seat) {
  if (!seat) return "Attune";
  if (seat === view.you.seat) return "You";
  return NameOf(view, seat);
}

function timeline(state, view) {
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
      const where = e.exercise !== null && e.exercise !== undefined && plan[e.exercise]
        ? `${plan[e.exercise].title} · step ${(e.step ?? 0) + 1}` : "";
      return h("li", { class: "event", data: { type: e.type } },
        h("span", { class: "event-time" }, timeOfDay(e.at)),
        h("span", { class: "event-what" }, h("strong", null, whoOf(view, e.seat)), ` ${whatOf(e)}`),
        where ? h("span", { class: "event-where" }, where) : null);
    })) : null,
    all.length > TIMELINE_SHOWN
      ? h("button", { type: "button", class: "btn quiet", id: "timeline-more",
        data: { action: open ? "close" : "open", open: "timeline" } }, open ? "Show the latest only" : `Show all ${all.length}`)
      : null);
}

// --- links: the moderator's own, and the partners' invite ------------------------------------

function linkRow(id, label, value, state, hint) {
  return [
    h("label", { for: id, class: "field-label" }, label),
    hint,
    h("div", { class: "link-row" },
      h("input", { id, readonly: true, value, data: { selectAll: "1" }, "aria-describedby": hint ? `${id}-hint` : null }),
      h("button", { type: "button", class: "btn secondary", id: `copy-${id}`, "aria-label": `Copy ${label.toLowerCase()}`,
        data: { action: "copy", text: value, field: id } }, state.ui.copied === id ? "Copied" : "Copy")),
  ];
}

function yourLink(state) {
  const url = state.seat?.moderatorUrl;
  const warn = h("p", { class: "care", id: "mod-link-hint" },
    h("strong", null, "For you alone — don't share it. "),
    "It opens this dashboard, with its controls and your private notes, on another device.");
  return h("section", { class: "panel your-link", "aria-labelledby": "your-link-title" },
    h("h2", { id: "your-link-title" }, "Your moderator link"),
    url ? linkRow("mod-link", "Moderator link", url, state, warn)
      : h("p", { class: "hint" }, "Open this dashboard on another device with the moderator link you were given."));
}

function invite(state, view) {
  const code = view.code;
  const joinUrl = state.seat?.joinUrl || `${window.location.origin}/r/${code}`;
  const full = PARTNERS.every((seat) => view.seats[seat]);
  return h("section", { class: "panel invite", "aria-labelledby": "invite-title" },
    h("h2", { id: "invite-title" }, full ? "The couple is here" : "Invite the couple"),
    h("p", null, full ? "Both partners have joined with this code." : "Each partner joins on their own phone: with the code, the QR code, or the link."),
    h("p", { class: "code", id: "room-code", "aria-label": `Session code: ${code.split("").join(" ")}`, data: { code } },
      spacedCode(code)),
    full ? null : h("img", { class: "qr", src: `/r/${code}/qr.svg`, width: 196, height: 196, alt: "QR code that opens the partners' join link" }),
    linkRow("join-link", "Join link for the partners", joinUrl, state, null),
    typeof navigator.share === "function"
      ? h("button", { type: "button", class: "btn secondary", id: "share-link", data: { action: "share", text: joinUrl } },
        "Share the join link…")
      : null);
}

// --- the plan (lobby) ---------------------------------------------------------------------

function planItem(state, item, i, count) {
  const ex = state.exercises.find((e) => e.id === item.exercise);
  const label = ex ? ex.title : item.exercise;
  return h("li", { class: "plan-item", data: { exercise: item.exercise } },
    h("div", { class: "plan-item-head" },
      h("span", { class: "plan-title", id: `plan-${i}-title` }, `${i + 1}. ${label}`),
      ex ? h("span", { class: "meta" }, ` · ${ex.minutes} min`) : null),
    ex ? h("div", { class: "plan-options" }, optionsFor(ex).map((name) => {
      const id = `plan-${i}-${name}`;
      const current = item.options?.[name];
      return h("div", { class: "option" },
        h("label", { for: id, class: "field-label" }, OPTION_CHOICES[name].label),
        h("select", { id, data: { change: "plan-item-option", index: String(i), option: name } },
          h("option", { value: "", selected: current === undefined }, "As written"),
          OPTION_CHOICES[name].values.map(([v, text]) => h("option", { value: String(v), selected: current === v }, text))));
    })) : null,
    h("div", { class: "plan-tools" },
      h("button", { type: "button", class: "btn secondary small", id: `plan-${i}-up`, disabled: i === 0,
        "aria-label": `Move ${label} up`, data: { action: "plan-move", index: String(i), by: "-1" } }, "↑ Up"),
      h("button", { type: "button", class: "btn secondary small", id: `plan-${i}-down`, disabled: i === count - 1,
        "aria-label": `Move ${label} down`, data: { action: "plan-move", index: String(i), by: "1" } }, "↓ Down"),
      h("button", { type: "button", class: "btn quiet small", id: `plan-${i}-remove`,
        "aria-label": `Remove ${label} from the plan`, data: { action: "plan-remove", index: String(i) } }, "Remove")));
}

function builder(state, view) {
  const sess = view.session;
  const picked = state.ui.plan;
  if (state.exercises === null) return h("p", { class: "waiting" }, "Loading the exercises…");
  if (state.exercises === "error") {
    return h("div", null, h("p", null, "The exercises couldn't be loaded."),
      h("button", { type: "button", class: "btn secondary", id: "reload-exercises", data: { action: "load-exercises" } }, "Try again"));
  }
  const minutes = picked.reduce((sum, item) => sum + (state.exercises.find((e) => e.id === item.exercise)?.minutes || 0), 0);
  const sending = busy(state, "propose_plan");
  return h("div", { class: "builder" },
    picked.length
      ? h("ol", { class: "plan-items", id: "plan-items", "aria-label": "Your plan, in order" },
        picked.map((item, i) => planItem(state, item, i, picked.length)))
      : h("p", { class: "hint" }, "Add exercises from the list below, in the order you want them."),
    h("div", { class: "turn-actions two" },
      h("button", { type: "button", class: "btn primary", id: "plan-set", data: { action: "plan-set" }, disabled: !picked.length || sending },
        sending ? "Setting…" : picked.length ? `Set this plan (${picked.length}, ~${minutes} min)` : "Add at least one exercise"),
      sess.plan.length ? h("button", { type: "button", class: "btn quiet", id: "plan-cancel", data: { action: "plan-cancel" } }, "Keep the plan as it was") : null),
    h("h3", { class: "library-title" }, "Exercises"),
    h("ul", { class: "exercise-list compact" }, state.exercises.map((ex) => {
      const times = picked.filter((p) => p.exercise === ex.id).length;
      return h("li", { class: ["exercise-card", times ? "chosen" : ""], data: { exercise: ex.id } },
        h("h4", { id: `ex-${ex.id}` }, ex.title),
        h("p", { class: "meta" }, `${ex.minutes} min · ${DEPTH[ex.depth] || ""} · ${CATEGORY[ex.category] || ex.category}`,
          times ? ` · in the plan${times > 1 ? ` ${times}×` : ""}` : ""),
        h("p", null, ex.purpose),
        ex.care_note ? h("p", { class: "care" }, h("strong", null, "Take care: "), ex.care_note) : null,
        h("button", { type: "button", class: "btn secondary small", id: `add-${ex.id}`, "aria-describedby": `ex-${ex.id}`,
          data: { action: "plan-add", exercise: ex.id } }, times ? "Add again" : "Add to the plan"));
    })));
}

function planPanel(state, view) {
  const sess = view.session;
  const editing = !sess.plan.length || state.ui.builder;
  const minutes = sess.plan.reduce((sum, item) => sum + (item.minutes || 0), 0);
  return h("section", { class: "panel plan", "aria-labelledby": "plan-title" },
    h("h2", { id: "plan-title" }, editing ? "Set the plan" : "The plan"),
    editing ? builder(state, view) : [
      h("ol", { class: "plan-list", id: "plan-set-list" }, sess.plan.map((item) => h("li", null,
        h("span", { class: "plan-title" }, item.title),
        h("span", { class: "meta" }, ` · ${item.minutes} min`, optionsText(item.options) ? ` · ${optionsText(item.options)}` : "")))),
      h("p", { class: "meta" }, `About ${minutes} minutes in all. The partners see this plan on their phones.`),
      h("button", { type: "button", class: "btn secondary", id: "plan-edit", data: { action: "plan-edit" } }, "Change the plan"),
    ]);
}

function modeChoice(view) {
  const choice = (value, label, hint) => h("label", { class: "choice", for: `mode-${value}` },
    h("input", { type: "radio", id: `mode-${value}`, name: "dash-mode", value, checked: view.mode === value,
      data: { change: "set-mode" } }),
    h("span", { class: "choice-text" }, h("span", { class: "choice-label" }, label), h("span", { class: "hint" }, hint)));
  return h("fieldset", { class: "choices" },
    h("legend", { class: "field-label" }, "Where is the couple?"),
    choice("same_room", "In the same room", "They talk aloud and tap when done."),
    choice("remote", "Apart", "They type to each other; you read it here."));
}

function startPanel(state, view) {
  const sess = view.session;
  const here = PARTNERS.filter((seat) => view.seats[seat]).length;
  const ready = can(view, "start_session");
  let why = null;
  if (!ready) {
    if (!sess.plan.length) why = "Set a plan first.";
    else if (here < 2) why = `Start opens when both partners are here (${here} of 2).`;
  }
  return h("section", { class: "panel start", "aria-labelledby": "start-title" },
    h("h2", { id: "start-title" }, "Start"),
    can(view, "set_mode") ? modeChoice(view) : null,
    h("button", { type: "button", class: "btn primary", id: "start-session", "aria-describedby": why ? "start-why" : null,
      data: { action: "intent", type: "start_session" }, disabled: !ready || busy(state, "start_session") },
    busy(state, "start_session") ? "Starting…" : "Start the session"),
    why ? h("p", { class: "hint", id: "start-why" }, why) : null);
}

// --- controls, prompts, notes, export -------------------------------------------------------

function control(state, view, type, label, { id, kind = "secondary", fields = null, hint = null } = {}) {
  if (!can(view, type)) return null;
  const sending = busy(state, type);
  return h("button", {
    type: "button", class: ["btn", kind], id: id || `ctl-${type}`, title: hint,
    data: { action: "intent", type, fields }, disabled: sending, "aria-busy": sending ? "true" : null,
  }, label);
}

function controls(state, view) {
  const sess = view.session;
  if (sess.phase !== "running") return null;
  const timer = can(view, "adjust_timer")
    ? h("div", { class: "timer-tools", role: "group", "aria-labelledby": "timer-tools-label" },
      h("p", { class: "field-label", id: "timer-tools-label" }, "Timer"),
      h("div", { class: "tool-row" },
        control(state, view, "adjust_timer", "−30 s", { id: "ctl-timer-minus30", fields: { seconds: -30 } }),
        control(state, view, "adjust_timer", "+30 s", { id: "ctl-timer-plus30", fields: { seconds: 30 } }),
        control(state, view, "adjust_timer", "+60 s", { id: "ctl-timer-plus60", fields: { seconds: 60 } })))
    : null;
  return h("section", { class: "panel controls", "aria-labelledby": "controls-title" },
    h("h2", { id: "controls-title" }, "Guide"),
    control(state, view, "pause", "Pause for both", { kind: "primary" }),
    control(state, view, "resume", "Resume", { kind: "primary" }),
    h("div", { class: "tool-grid" },
      control(state, view, "back_step", "← Previous step"),
      control(state, view, "advance_step", "Next step →"),
      control(state, view, "swap_roles", "Swap roles"),
      control(state, view, "skip_exercise", "Skip this exercise")),
    timer,
    can(view, "end_session")
      ? h("button", { type: "button", class: "btn quiet", id: "ctl-end-session", data: { action: "end-session" } }, "End the exercises…")
      : null);
}

function promptForm(state, view) {
  if (!can(view, "send_prompt")) return null;
  const kind = state.ui.promptKind === "card" ? "card" : "prompt";
  const sending = busy(state, "send_prompt");
  const recent = [...(view.session.prompts || [])].reverse();
  const choice = (value, label) => h("label", { class: "choice inline", for: `prompt-kind-${value}` },
    h("input", { type: "radio", id: `prompt-kind-${value}`, name: "prompt-kind", value, checked: kind === value,
      data: { change: "prompt-kind" } }),
    h("span", { class: "choice-label" }, label));
  return h("section", { class: "panel prompt", "aria-labelledby": "prompt-title" },
    h("h2", { id: "prompt-title" }, "Send to both phones"),
    h("form", { class: "turn-form", data: { action: "send", type: "send_prompt", fields: { kind }, draft: "mod.prompt" } },
      h("fieldset", { class: "choices row" },
        h("legend", { class: "field-label" }, "Show it as"),
        choice("prompt", "A prompt"),
        choice("card", "An extra card")),
      h("label", { for: "prompt-text", class: "field-label" }, kind === "card" ? "The question on the card" : "What to tell them"),
      h("textarea", { id: "prompt-text", name: "text", rows: 3, maxlength: 600, data: { draft: "mod.prompt" },
        value: storage.loadDraft(view.code, "mod.prompt"),
        placeholder: kind === "card" ? "What is one thing you appreciated today?" : "Take a breath together before you go on." }),
      h("button", { type: "submit", class: "btn primary", id: "prompt-send", disabled: sending },
        sending ? "Sending…" : kind === "card" ? "Send the card" : "Send the prompt")),
    recent.length ? [
      h("h3", { class: "small-title" }, "Last sent"),
      h("ul", { class: "sent-list" }, recent.map((p) => h("li", null,
        h("span", { class: "meta" }, `${timeOfDay(p.at)} · ${p.kind === "card" ? "card" : "prompt"}: `), p.text))),
    ] : null);
}

function notesPanel(state, view) {
  const notes = [...(view.session?.notes || [])].reverse();
  const plan = view.session?.plan || [];
  const sending = busy(state, "add_note");
  return h("section", { class: "panel notes", "aria-labelledby": "notes-title" },
    h("h2", { id: "notes-title" }, "Private notes"),
    h("p", { class: "hint", id: "notes-hint" }, "Only you see these. They never reach the couple's phones."),
    can(view, "add_note")
      ? h("form", { class: "turn-form", data: { action: "send", type: "add_note", draft: "mod.note" } },
        h("label", { for: "note-text", class: "field-label" }, "New note"),
        h("textarea", { id: "note-text", name: "text", rows: 3, maxlength: 2000, "aria-describedby": "notes-hint",
          data: { draft: "mod.note" }, value: storage.loadDraft(view.code, "mod.note") }),
        h("button", { type: "submit", class: "btn secondary", id: "note-add", disabled: sending }, sending ? "Saving…" : "Add note"))
      : null,
    notes.length
      ? h("ol", { class: "feed", id: "notes-list" }, notes.map((n) => h("li", null,
        h("p", { class: "entry-who" }, timeOfDay(n.at),
          n.exercise !== null && n.exercise !== undefined && plan[n.exercise] ? ` · ${plan[n.exercise].title} · step ${(n.step ?? 0) + 1}` : ""),
        h("p", { class: "entry-text" }, n.text))))
      : h("p", { class: "meta" }, "No notes yet."));
}

function exportPanel(state) {
  const working = state.ui.busy === "export";
  return h("section", { class: "panel export", "aria-labelledby": "export-title" },
    h("h2", { id: "export-title" }, "Export"),
    h("p", { class: "hint" }, "The session record: plan, timeline, prompts and your notes. The partners' words are included only if both chose to keep them."),
    h("div", { class: "turn-actions two" },
      h("button", { type: "button", class: "btn secondary", id: "export-md", data: { action: "export", format: "md" }, disabled: working }, "Download .md"),
      h("button", { type: "button", class: "btn secondary", id: "export-json", data: { action: "export", format: "json" }, disabled: working }, "Download .json")));
}

function closePanel() {
  return h("section", { class: "panel close", "aria-labelledby": "close-title" },
    h("h2", { id: "close-title" }, "Close the session"),
    h("p", { class: "hint", id: "close-hint" },
      "Erasing deletes the session from the server: the couple's words, your notes and the timeline. Export first if you need a record."),
    h("button", { type: "button", class: "btn danger", id: "mod-end-open", data: { action: "end" }, "aria-describedby": "close-hint" },
      "End and erase…"));
}

// --- the screen ----------------------------------------------------------------------------

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
