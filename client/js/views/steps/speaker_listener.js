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
};

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step } = ctx;
  const S = nameOf(view, step.speaker);
  const L = nameOf(view, step.listener);
  const mine = step.can.length > 0;
  const turn = {
    share: mine ? "Your turn: share one small piece" : `${NameOf(view, step.speaker)} is sharing. Just listen.`,
    paraphrase: mine ? `Your turn: paraphrase what ${S} said` : `${NameOf(view, step.listener)} is saying back what they heard`,
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

  body.push(quote(`${S} said`, cur.share));
  body.push(quote(`${S} clarified`, cur.clarify, "clarify"));
  body.push(quote(step.listener === view.you.seat ? "You heard" : `${L} heard`, cur.paraphrase, "echo"));

  if (ctx.can("share")) {
    body.push(textTurn(ctx, {
      type: "share", key: `${base}.share`,
      label: "What you want to say",
      hint: "Two or three sentences, starting with “I”. About you, not about what your partner does.",
      placeholder: "I feel…",
      send: `Send to ${listenerName}`,
      aloud: "I said it aloud",
    }));
  } else if (ctx.can("paraphrase")) {
    body.push(textTurn(ctx, {
      type: "paraphrase", key: `${base}.paraphrase.${step.clarifications}`,
      label: `What you heard ${nameOf(view, step.speaker)} say`,
      hint: "In your own words. No opinion, no defence, no fixing.",
      placeholder: "So you're saying…",
      send: "Send my paraphrase",
      aloud: "I said it back aloud",
    }));
  } else if (ctx.can("check")) {
    body.push(checkTurn(ctx, {
      type: "check", flag: "accurate", key: `${base}.clarify.${step.clarifications}`,
      yes: "That's it", no: "Not quite", aloudNo: "Not quite — I'll say it again",
      label: "What you meant", hint: `Gently say it again, so ${listenerName} can try once more.`,
      send: "Send my clarification",
    }));
  } else if (ctx.can("continue") || ctx.can("pass_floor")) {
    const last = step.floor.number >= step.floor.of;
    body.push(h("div", { class: "turn-actions two" },
      intentButton(ctx, { type: "continue", label: "Say more" }),
      intentButton(ctx, { type: "pass_floor", kind: "secondary",
        label: last ? "I'm done — finish" : `Pass the floor to ${listenerName}` })));
  } else if (step.listener === view.you.seat) {
    // The role card says whose turn it is; this says how to be the listener meanwhile.
    body.push(h("p", { class: "hint" }, {
      share: `Listen without replying. When ${S} pauses, you'll say back what you heard.`,
      check: `If it wasn't quite right, ${S} will say it again.`,
      next: `${S} may say more, or pass the floor to you.`,
    }[step.phase] || ""));
  } else if (step.speaker === view.you.seat && step.phase === "paraphrase") {
    body.push(h("p", { class: "hint" }, "Listen: is it what you meant? You'll say so next."));
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
    quote(`${L} heard`, cur.paraphrase, "echo"),
  ];
}
