// Speaker-Listener (PREP): share -> paraphrase -> check ("that's it" / "not quite") -> say more or pass the floor.

import { h } from "../../dom.js";
import { NameOf, nameOf } from "../../words.js";
import { checkTurn, intentButton, ints, quote, textTurn } from "./controls.js";

export const KIND = "speaker_listener";

export const ROLES = { speaker: "Speaker", listener: "Listener" };

export const PLAN_OPTIONS = {
  rounds: {
    label: "Turns each holding the floor", lobby: true,
    values: (range) => ints(range, 1, 6),
    text: (v) => `${v} turn${v === 1 ? "" : "s"} each`,
  },
};

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = {
  share: "shared a piece", paraphrase: "paraphrased", check: "checked the paraphrase",
  continue: "went on speaking", pass_floor: "passed the floor",
  ask_speaker: "asked the speaker to say more", explain: "explained",
};

const ASKED = { clarify: "asked you to say it more clearly", example: "asked you for an example" };

/** The moves that are this phone's turn (the Speaker may pass the floor at any time, which is not a turn). */
function turnMoves(step) {
  return step.can.filter((type) => type !== "pass_floor" || step.phase === "next");
}

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step } = ctx;
  const S = nameOf(view, step.speaker);
  const L = nameOf(view, step.listener);
  const mine = turnMoves(step).length > 0;
  const turn = {
    share: mine ? "Your turn: share one small piece" : `${NameOf(view, step.speaker)} is sharing. Just listen.`,
    paraphrase: mine ? `Your turn: paraphrase what ${S} said` : `${NameOf(view, step.listener)} is saying back what they heard`,
    answer: mine ? `Your turn: ${L} ${ASKED[step.current?.asked] || "asked you to say more"}`
      : `${NameOf(view, step.speaker)} is answering your question`,
    check: mine ? `Your turn: did ${L} get it?` : `${NameOf(view, step.speaker)} is checking your paraphrase`,
    next: mine ? "Your turn: say more, or pass the floor" : `${NameOf(view, step.speaker)} is deciding whether to say more`,
    done: "This step is complete",
  }[step.phase];
  return { mine, turn };
}

/** The step screen's body. */
export function render(ctx) {
  const { view, step } = ctx;
  const cur = step.current || {};
  const S = step.speaker === view.you.seat ? "You" : NameOf(view, step.speaker);
  const L = NameOf(view, step.listener);
  const base = `${ctx.keyBase}.sl.f${step.floor.number}.c${step.chunk}`;
  const listenerName = nameOf(view, step.listener);
  const body = [];

  body.push(h("p", { class: "meta" },
    `${S === "You" ? "Your" : `${S}'s`} floor · turn ${Math.ceil(step.floor.number / 2)} of ${step.floor.of / 2} each · piece ${step.chunk}`,
    step.clarifications ? ` · clarified ${step.clarifications}×` : ""));

  const max = step.max_share || 500;
  const iListen = step.listener === view.you.seat;
  // Past about three sentences the box says so, gently; the server holds the firm limit (max_share).
  const nudge = { sentences: 3, text: `That's more than three sentences. You could send this much now and say the rest next, so ${listenerName} can hold it.` };
  const short = `Up to ${max} characters, about three sentences.`;

  if (step.handed_back) {
    body.push(quote(view.you.seat !== "moderator"
      ? "Not said back yet, so it's yours to bring again"
      : "Handed back before it was said back", step.handed_back, "clarify"));
  }
  body.push(quote(`${S} said`, cur.share));
  body.push(quote(`${S} clarified`, cur.clarify, "clarify"));
  if (cur.asked) {
    body.push(h("p", { class: "hint asked" }, `${iListen ? "You" : L} asked ${cur.asked === "example" ? "for an example" : "to say it more clearly"}.`));
  }
  body.push(quote(`${S} ${cur.asked === "example" ? "gave an example" : "explained"}`, cur.explained, "clarify"));
  body.push(quote(iListen ? "You heard" : `${L} heard`, cur.paraphrase, "echo"));

  if (ctx.can("share")) {
    body.push(textTurn(ctx, {
      type: "share", key: `${base}.share`,
      label: "What you want to say",
      hint: `Two or three sentences (up to ${max} characters), starting with “I”. About you, not about what your partner does.`,
      placeholder: "I feel…",
      send: `Send to ${listenerName}`,
      aloud: "I said it aloud",
      max, nudge,
    }));
  } else if (ctx.can("paraphrase")) {
    const n = `${step.clarifications}.${step.asks || 0}`;
    body.push(textTurn(ctx, {
      type: "paraphrase", key: `${base}.paraphrase.${n}`,
      label: `What you heard ${nameOf(view, step.speaker)} say`,
      hint: "In your own words. No opinion, no defence, no fixing.",
      placeholder: "So you're saying…",
      send: "Send my paraphrase",
      aloud: "I said it back aloud",
    }));
    if (ctx.can("ask_speaker")) {
      body.push(h("div", { class: "turn-actions two", role: "group", "aria-label": "Not sure yet? Ask first" },
        intentButton(ctx, { type: "ask_speaker", fields: { about: "clarify" }, label: "Ask to clarify", kind: "secondary" }),
        intentButton(ctx, { type: "ask_speaker", fields: { about: "example" }, label: "Ask for an example", kind: "secondary" })));
    }
  } else if (ctx.can("explain")) {
    const example = cur.asked === "example";
    body.push(textTurn(ctx, {
      type: "explain", key: `${base}.explain.${step.asks || 0}`,
      label: example ? "Your example" : "Said more clearly",
      hint: example ? `One moment when it happened, in a sentence or two. ${short}` : `The same thing in simpler words. ${short}`,
      placeholder: example ? "For example, on Sunday…" : "What I mean is…",
      send: `Send to ${listenerName}`,
      aloud: example ? "I gave an example aloud" : "I said it again aloud",
      max, nudge,
    }));
  } else if (ctx.can("check")) {
    body.push(checkTurn(ctx, {
      type: "check", flag: "accurate", key: `${base}.clarify.${step.clarifications}`,
      yes: "That's it", no: "Not quite", aloudNo: "Not quite — I'll say it again",
      label: "What you meant", hint: `Gently say it again, so ${listenerName} can try once more. ${short}`,
      send: "Send my clarification", max, nudge,
    }));
  } else if (ctx.can("continue") || (step.phase === "next" && ctx.can("pass_floor"))) {
    const last = step.floor.number >= step.floor.of;
    body.push(h("div", { class: "turn-actions two" },
      intentButton(ctx, { type: "continue", label: "Say more" }),
      intentButton(ctx, { type: "pass_floor", kind: "secondary",
        label: last ? "I'm done — finish" : `Pass the floor to ${listenerName}` })));
  } else if (iListen) {
    // The role card says whose turn it is; this says how to be the listener meanwhile.
    body.push(h("p", { class: "hint" }, {
      share: `Listen without replying. When ${S} pauses, you'll say back what you heard.`,
      answer: `${S} will answer what you asked; then you say back what you heard.`,
      check: `If it wasn't quite right, ${S} will say it again.`,
      next: `${S} may say more, or pass the floor to you.`,
    }[step.phase] || ""));
  } else if (step.speaker === view.you.seat && step.phase === "paraphrase") {
    body.push(h("p", { class: "hint" }, "Listen: is it what you meant? You'll say so next."));
  }
  if (ctx.can("pass_floor") && step.phase !== "next") {
    // The floor is the Speaker's to give at any moment, not only after "that's it".
    const last = step.floor.number >= step.floor.of;
    body.push(intentButton(ctx, { type: "pass_floor", kind: "quiet", id: "b-pass_floor-any",
      label: last ? "Stop here — I'm done speaking" : `Pass the floor to ${listenerName} now` }));
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
  const S = NameOf(view, step.speaker);
  const L = NameOf(view, step.listener);
  return {
    share: `${S} shares a small piece; ${L} listens.`,
    paraphrase: `${L} says back what ${S} said.`,
    answer: `${S} answers ${L}'s question (${step.current?.asked === "example" ? "an example" : "said more clearly"}).`,
    check: `${S} checks whether ${L} got it.`,
    next: `${S} says more or passes the floor.`,
  }[step.phase];
}

/** What the couple has written in this step, as it is written. */
export function live(view, step) {
  const S = NameOf(view, step.speaker);
  const L = NameOf(view, step.listener);
  const cur = step.current || {};
  return [
    h("p", { class: "meta" }, `${S}'s floor · turn ${Math.ceil(step.floor.number / 2)} of ${step.floor.of / 2} each · piece ${step.chunk}`,
      step.clarifications ? ` · clarified ${step.clarifications}×` : ""),
    quote(`${S} said`, cur.share),
    quote(`${S} clarified`, cur.clarify, "clarify"),
    quote(`${S} ${cur.asked === "example" ? "gave an example" : "explained"}`, cur.explained, "clarify"),
    quote(`${L} heard`, cur.paraphrase, "echo"),
  ];
}
