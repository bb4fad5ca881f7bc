// Question cards: the same card on both phones. Reveal (private answers, shown
// together), aloud (take turns), guess (answer and guess the partner's answer).

import { h } from "../../dom.js";
import { NameOf, nameOf } from "../../words.js";
import { intentButton, quote, textTurn, waiting } from "./controls.js";

const STATUS = { thinking: "is thinking…", answered: "has answered", passed: "passed this card" };

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
      turn = `Waiting for ${O} to answer. You can still change yours.`;
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
    body.push(h("section", { class: ["answers", step.phase === "revealed" ? "reveal" : ""], "aria-label": "Both answers" }, shown));
    if (ctx.can("advance")) {
      body.push(intentButton(ctx, { type: "advance", label: card.number < card.of ? "Next card" : "Go on" }));
    }
  }
  return body;
}
