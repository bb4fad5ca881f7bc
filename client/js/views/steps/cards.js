// Question cards: the same card on both phones. Reveal (private answers, shown
// together), aloud (take turns), guess (answer and guess the partner's answer).

import { h } from "../../dom.js";
import { DEPTH, NameOf, PARTNERS, clock, nameOf } from "../../words.js";
import { serverNow } from "../../store.js";
import { intentButton, ints, quote, textTurn, waiting } from "./controls.js";

export const KIND = "cards";

export const ROLES = { answerer: "Answerer", listener: "Listener" };

export const PLAN_OPTIONS = {
  draw: {
    label: "Cards per deck", lobby: true,
    values: (range) => ints(range, 1, 36, [...ints(null, 1, 6), [8, "8"], [10, "10"], [12, "12"]]),
    text: (v) => `${v} card${v === 1 ? "" : "s"}`,
  },
  depth: {
    label: "How deep the cards go", lobby: true,
    // Each choice says which decks of this exercise it leaves out (a deck with no card that gentle).
    values: (range, exercise) => ints(range, 1, 3, [[1, "Gentle only"], [2, "Up to deeper"], [3, "All depths"]])
      .map(([v, label]) => [v, `${label}${leavesOut(exercise, v)}`]),
    text: (v) => (DEPTH[v] ? `${DEPTH[v].toLowerCase()} cards at most` : ""),
  },
  clock_minutes: {
    label: "A clock for each set of cards", lobby: true,
    values: (range) => ints(range, 5, 30, [[10, "10 minutes"], [15, "15 minutes"], [20, "20 minutes"]]),
    text: (v) => `${v} min for each set`,
  },
};

/** " — leaves out Set 2 of 3 and Set 3 of 3": the decks whose every card is deeper than `depth`. */
function leavesOut(exercise, depth) {
  const decks = (exercise?.steps || []).filter((s) => Array.isArray(s.depths) && s.depths.length);
  const out = decks.filter((s) => Math.min(...s.depths) > depth).map((s) => s.title);
  if (!out.length) return "";
  const list = out.length === 1 ? out[0] : `${out.slice(0, -1).join(", ")} and ${out[out.length - 1]}`;
  return ` — leaves out ${list}`;
}

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = {
  answer: "answered", guess: "guessed", pass_card: "passed a card", advance: "went on",
  pass_rest: "passed the rest of the cards",
};

const STATUS = { thinking: "is thinking…", answered: "has answered", passed: "passed this card" };

// The reveal fades in once, at the moment it happens. Every new view redraws the
// whole screen, so this remembers when each card's answers were first shown on
// this page: a redraw during the fade continues it where it was (a negative delay),
// a later one shows the answers as they are.
const REVEAL_MS = 650;
const STAGGER_MS = 50;
const revealedAt = new Map();

function revealAge(key) {
  const now = performance.now();
  if (!revealedAt.has(key)) {
    if (revealedAt.size > 200) revealedAt.delete(revealedAt.keys().next().value);
    revealedAt.set(key, now);
  }
  return now - revealedAt.get(key);
}

function settled(step, seat) {
  const a = step.answers?.[seat];
  if (!a) return false;
  if (a.status === "passed") return true;
  return a.status === "answered" && (step.mode !== "guess" || a.guessed);
}

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step, other } = ctx;
  const O = nameOf(view, other);
  // Passing the rest is open to both at any moment: a way out, not a turn.
  const mine = step.can.some((type) => type !== "pass_rest");
  const me = view.you.seat;
  let turn = "";
  let role = step.role;
  if (step.phase === "answering") {
    role = "partner";
    if (!settled(step, me)) {
      turn = step.mode === "guess" ? "Your turn: answer, and guess what your partner will say" : "Your turn: write your private answer";
    } else {
      turn = step.answers?.[me]?.status === "passed"
        ? `Waiting for ${O} to answer. You passed; you can still answer this card.`
        : `Waiting for ${O} to answer. You can still change yours.`;
    }
  } else if (step.phase === "first" || step.phase === "second") {
    const answerer = step.waiting_for[0];
    if (step.voice === "call") {
      turn = mine ? "On your call: your turn to answer aloud" : `On your call: listen to ${nameOf(view, answerer)}`;
    } else {
      turn = mine ? (ctx.remote ? "Your turn: answer the card" : "Your turn: answer aloud")
        : ctx.remote ? `${NameOf(view, answerer)} is answering. Their answer appears here.` : `${NameOf(view, answerer)} is answering. Listen.`;
    }
  } else if (step.phase === "revealed" || step.phase === "discuss") {
    turn = mine
      ? (step.phase === "revealed" ? "Read both answers, then go on" : "Talk it over, then go on")
      : `Waiting for ${O} to go on`;
  } else if (step.phase === "done") {
    turn = "This step is complete";
  }
  return { mine, turn, role };
}

function statusLine(view, seat, step) {
  const a = step.answers?.[seat];
  if (!a) return null;
  let text = STATUS[a.status] || "";
  if (step.mode === "guess" && a.status !== "passed") {
    text = `${a.status === "answered" ? "has answered" : "hasn't answered yet"}, ${a.guessed ? "has guessed" : "hasn't guessed yet"}`;
  }
  return h("li", { class: ["status", a.status] }, h("span", { class: "who" }, NameOf(view, seat)), ` ${text}`);
}

/** The step screen's body. */
export function render(ctx) {
  const { view, step, other } = ctx;
  const me = view.you.seat;
  const card = step.card;
  const body = [];
  if (!card) return [waiting("Both of you are done with the cards.")];
  const base = `${ctx.keyBase}.card.${card.id}`;
  const otherName = nameOf(view, other);
  body.push(deckClock(step));

  body.push(h("article", { class: ["card", step.phase === "revealed" ? "turned" : ""], "aria-label": `Card ${card.number} of ${card.of}` },
    h("p", { class: "card-count" }, `Card ${card.number} of ${card.of}`),
    h("p", { class: "card-text" }, card.text)));

  const mineA = step.answers[me] || {};
  if (step.phase === "answering") {
    body.push(h("ul", { class: "statuses" }, statusLine(view, other, step)));
    if (step.mode === "guess" && ctx.can("answer")) {
      body.push(answerAndGuess(ctx, base, mineA, otherName));
    } else if (ctx.can("answer")) {
      body.push(textTurn(ctx, {
        type: "answer", key: `${base}.answer`, required: true,
        label: "Your private answer",
        hint: `Only you can see it until you both reveal.${mineA.status === "answered" ? " Saved — you can still change it." : ""}`,
        send: mineA.status === "answered" ? "Update my answer" : "Save my answer",
        value: mineA.text || "",
      }));
    }
    if (mineA.status === "passed") body.push(h("p", { class: "hint" }, "You passed this card. You can still answer it."));
    if (ctx.can("pass_card") && mineA.status !== "passed") {
      body.push(intentButton(ctx, { type: "pass_card", label: "Pass this card", kind: "quiet" }));
    }
  } else if (step.phase === "first" || step.phase === "second") {
    for (const seat of [step.first_answerer, step.first_answerer === me ? other : me]) {
      const a = step.answers[seat];
      if (a?.status === "answered") body.push(quote(seat === me ? "You answered" : `${NameOf(view, seat)} answered`, a.text));
      if (a?.status === "passed") body.push(h("p", { class: "hint" }, `${seat === me ? "You" : NameOf(view, seat)} passed this card.`));
    }
    if (ctx.can("answer") && step.voice === "call") {
      // Said on the call, as in one room: one tap when it's said.
      body.push(h("div", { class: "turn-actions" },
        h("p", { class: "hint" }, "Say it on your call, in your own words; there are no wrong answers."),
        intentButton(ctx, { type: "answer", label: "I answered on the call" })));
      body.push(intentButton(ctx, { type: "pass_card", label: "Pass this card", kind: "quiet" }));
    } else if (ctx.can("answer")) {
      body.push(textTurn(ctx, {
        type: "answer", key: `${base}.answer`,
        label: "Your answer", hint: "Say it in your own words; there are no wrong answers.",
        send: "Send my answer", aloud: "I answered aloud",
      }));
      body.push(intentButton(ctx, { type: "pass_card", label: "Pass this card", kind: "quiet" }));
    }
  } else {
    // revealed (reveal, guess) or discuss (aloud): everything is on the table.
    const shown = [me, other].map((seat) => {
      const a = step.answers[seat] || {};
      const who = seat === me ? "You" : NameOf(view, seat);
      return h("div", { class: "answer" },
        h("h3", null, who),
        a.status === "passed" ? h("p", { class: "hint" }, "Passed this card.")
          : h("p", { class: "answer-text" }, a.text || (step.mode === "aloud" ? (step.voice === "call" ? "Answered on the call." : "Answered aloud.") : "")),
        // Beside each answer, the other's guess of it.
        step.mode === "guess" && step.answers[seat === me ? other : me]?.guess
          ? h("p", { class: "guess" }, h("span", { class: "label" }, `${seat === me ? NameOf(view, other) : "You"} guessed: `),
            step.answers[seat === me ? other : me].guess)
          : null);
    });
    const age = step.phase === "revealed" ? revealAge(`${view.code}.${base}`) : Infinity;
    const fading = age < REVEAL_MS;
    if (fading) shown.forEach((el, i) => { el.style.animationDelay = `${Math.round(i * STAGGER_MS - age)}ms`; });
    body.push(h("section", { class: ["answers", fading ? "reveal" : ""], "aria-label": "Both answers" }, shown));
    if (ctx.can("advance")) {
      const last = card.number >= card.of || step.clock?.up;
      body.push(intentButton(ctx, { type: "advance", label: last ? "Go on" : "Next card" }));
    }
  }
  if (ctx.can("pass_rest") && card.number < card.of) {
    // One tap for the rest of the deck, whoever's turn it is; no reason asked.
    body.push(intentButton(ctx, { type: "pass_rest", kind: "quiet", label: `Pass the rest of these cards (${card.of - card.number + 1} left)` }));
  }
  return body;
}

/** A guessing card's one form: your answer and your guess of your partner's, saved together. */
function answerAndGuess(ctx, base, mine, otherName) {
  const busy = ctx.busy("answer");
  const ids = { a: `f-${base.replace(/[^A-Za-z0-9]/g, "-")}-answer`, g: `f-${base.replace(/[^A-Za-z0-9]/g, "-")}-guess` };
  const saved = mine.status === "answered" && mine.guessed;
  return h("form", { class: "turn-form", data: { action: "send", type: "answer", draft: `${base}.answer`, draftGuess: `${base}.guess` } },
    h("label", { for: ids.a, class: "field-label" }, "Your answer"),
    h("p", { class: "hint" }, `Only you can see both until you reveal together.${saved ? " Saved — you can still change them." : ""}`),
    h("textarea", { id: ids.a, name: "text", rows: 3, maxlength: 2000, required: true, data: { draft: `${base}.answer` },
      value: ctx.draft(`${base}.answer`) || mine.text || "" }),
    h("label", { for: ids.g, class: "field-label" }, `Your guess of ${otherName}'s answer`),
    h("textarea", { id: ids.g, name: "guess", rows: 3, maxlength: 2000, required: true, data: { draft: `${base}.guess` },
      value: ctx.draft(`${base}.guess`) || mine.guess || "" }),
    h("button", { type: "submit", class: "btn primary", id: `${ids.a}-send`, disabled: busy, "aria-busy": busy ? "true" : null },
      busy ? "Saving…" : saved ? "Update both" : "Save both"));
}

/** The deck's clock, when the plan gave it one: counting down, paused, or up (finish this card). */
function deckClock(step) {
  const c = step.clock;
  if (!c) return null;
  if (c.up) {
    return h("p", { class: "hint clock-up", role: "status" },
      `Your ${c.minutes} minutes for these cards are up. Finish this card together; then you'll go on.`);
  }
  if (c.deadline) {
    return h("p", { class: "meta deck-clock" }, "Time for these cards: ",
      h("span", { role: "timer", data: { deadline: String(c.deadline) } }, clock(c.deadline - serverNow())));
  }
  if (c.remaining !== null && c.remaining !== undefined) {
    return h("p", { class: "meta deck-clock" }, `Time for these cards: ${clock(c.remaining)} (paused)`);
  }
  return null;
}

/** Both answer the same card: "Together", in words for this mode. */
export function roleLine(ctx, role) {
  if (role !== "partner") return null;
  const text = { reveal: "you both answer privately", guess: "you both answer and guess" }[ctx.step.mode] || "you both talk it over";
  return { name: "Together", text };
}

// --- the dashboard ------------------------------------------------------------

const taking = (step) => (step.phase === "first" || step.phase === "second") && step.waiting_for[0];

/** Each partner's role word, by seat: one answers while the other listens, or both together. */
export function roles(view, step) {
  return Object.fromEntries(PARTNERS.map((seat) => [seat,
    !taking(step) ? "Together" : seat === step.waiting_for[0] ? ROLES.answerer : ROLES.listener]));
}

/** What is happening now, with the partners' names. */
export function now(view, step) {
  if (step.phase === "answering") {
    return step.mode === "guess" ? "Both answer privately and guess each other's answer." : "Both answer privately.";
  }
  if (step.phase === "first" || step.phase === "second") return `${NameOf(view, step.waiting_for[0])} answers the card.`;
  if (step.phase === "revealed") return "Both answers are revealed; they go on when they're ready.";
  if (step.phase === "discuss") return "They talk it over, then go on.";
  return undefined;
}

/** The card and where each partner is with it. */
export function live(view, step) {
  if (!step.card) return [h("p", { class: "hint" }, "The cards are done.")];
  return [
    h("article", { class: "card", "aria-label": `Card ${step.card.number} of ${step.card.of}` },
      h("p", { class: "card-count" }, `Card ${step.card.number} of ${step.card.of}`),
      h("p", { class: "card-text" }, step.card.text)),
    h("div", { class: "answers" }, PARTNERS.map((seat) => {
      const a = step.answers?.[seat] || {};
      let status = STATUS[a.status] || "";
      if (step.mode === "guess" && a.status !== "passed") status += a.guessed ? ", has guessed" : ", hasn't guessed yet";
      return h("div", { class: "answer" },
        h("h3", null, NameOf(view, seat)),
        a.text ? h("p", { class: "answer-text" }, a.text) : h("p", { class: "hint" }, status),
        a.guess ? h("p", { class: "guess" }, h("span", { class: "label" }, "Guessed: "), a.guess) : null);
    })),
  ];
}
