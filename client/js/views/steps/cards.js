// Question cards: the same card on both phones. Reveal (private answers, shown
// together), aloud (take turns), guess (answer and guess the partner's answer).

import { h } from "../../dom.js";
import { DEPTH, NameOf, PARTNERS, nameOf } from "../../words.js";
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
    values: (range) => ints(range, 1, 3, [[1, "Gentle only"], [2, "Up to deeper"], [3, "All depths"]]),
    text: (v) => (DEPTH[v] ? `${DEPTH[v].toLowerCase()} cards at most` : ""),
  },
};

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = { answer: "answered", guess: "guessed", pass_card: "passed a card", advance: "went on" };

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
  const mine = step.can.length > 0;
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
    turn = mine ? (ctx.remote ? "Your turn: answer the card" : "Your turn: answer aloud") : `${NameOf(view, answerer)} is answering. Listen.`;
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

  body.push(h("article", { class: ["card", step.phase === "revealed" ? "turned" : ""], "aria-label": `Card ${card.number} of ${card.of}` },
    h("p", { class: "card-count" }, `Card ${card.number} of ${card.of}`),
    h("p", { class: "card-text" }, card.text)));

  const mineA = step.answers[me] || {};
  if (step.phase === "answering") {
    body.push(h("ul", { class: "statuses" }, statusLine(view, other, step)));
    if (ctx.can("answer")) {
      body.push(textTurn(ctx, {
        type: "answer", key: `${base}.answer`, required: true,
        label: step.mode === "guess" ? "Your answer" : "Your private answer",
        hint: `Only you can see it until you both reveal.${mineA.status === "answered" ? " Saved — you can still change it." : ""}`,
        send: mineA.status === "answered" ? "Update my answer" : "Save my answer",
        value: mineA.text || "",
      }));
    }
    if (ctx.can("guess")) {
      body.push(textTurn(ctx, {
        type: "guess", key: `${base}.guess`, required: true,
        label: `Your guess of ${otherName}'s answer`,
        hint: mineA.guessed ? "Saved — you can still change it." : "What do you think they will say?",
        send: mineA.guessed ? "Update my guess" : "Save my guess",
        value: mineA.guess || "",
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
    if (ctx.can("answer")) {
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
          : h("p", { class: "answer-text" }, a.text || (step.mode === "aloud" ? "Answered aloud." : "")),
        step.mode === "guess" && a.guess
          ? h("p", { class: "guess" }, h("span", { class: "label" }, `Guessed ${seat === me ? `${otherName}'s` : "your"} answer: `), a.guess)
          : null);
    });
    const age = step.phase === "revealed" ? revealAge(`${view.code}.${base}`) : Infinity;
    const fading = age < REVEAL_MS;
    if (fading) shown.forEach((el, i) => { el.style.animationDelay = `${Math.round(i * STAGGER_MS - age)}ms`; });
    body.push(h("section", { class: ["answers", fading ? "reveal" : ""], "aria-label": "Both answers" }, shown));
    if (ctx.can("advance")) {
      body.push(intentButton(ctx, { type: "advance", label: card.number < card.of ? "Next card" : "Go on" }));
    }
  }
  return body;
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
