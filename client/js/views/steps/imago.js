// Imago Dialogue: appointment, send / mirror / "did I get it?" / "is there more?",
// summary, validation, empathy, close.

import { h } from "../../dom.js";
import { NameOf, nameOf } from "../../words.js";
import { checkTurn, intentButton, ints, quote, textTurn } from "./controls.js";

export const KIND = "imago";

export const ROLES = { sender: "Sender", receiver: "Receiver" };

export const PLAN_OPTIONS = {
  switches: {
    label: "Times you switch roles", lobby: true,
    values: (range) => ints(range, 0, 3, [[0, "None"], [1, "Once"], [2, "Twice"], [3, "Three times"]]),
    text: (v) => (v ? `switch ${v}×` : "no switch"),
  },
};

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = {
  ask_appointment: "asked for a dialogue", appointment: "answered the appointment", send: "sent a message",
  mirror: "mirrored", mirror_check: "checked the mirror", more: "said whether there's more", summarize: "summed up",
  summary_check: "checked the summary", ask_understand: "asked to understand",
  help_understand: "helped them understand", validate: "validated", empathize: "empathized",
  empathy_check: "checked the empathy", close: "closed the dialogue",
};

// How far off a later dialogue may be: the choices the phones offer (the server takes 5–1440 minutes).
const LATER = [[15, "In 15 minutes"], [60, "In an hour"], [180, "In 3 hours"], [1440, "Tomorrow, same time"]];

/** "18:30", the agreed later time in this phone's own clock. */
function clockTime(epochSeconds) {
  return new Date(epochSeconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step } = ctx;
  const S = nameOf(view, step.sender);
  const R = nameOf(view, step.receiver);
  const Sc = NameOf(view, step.sender);
  const Rc = NameOf(view, step.receiver);
  const me = view.you.seat;
  // At the close a partner who said they are finished may still ask to switch, but it is not their turn.
  const mine = step.can.length > 0 && step.waiting_for.includes(me);
  const iAmSender = step.sender === me;
  const O = iAmSender ? R : S;
  const at = step.later_at ? ` at ${clockTime(step.later_at)}` : "";
  const texts = {
    appointment: mine ? `Your turn: ask ${R} for a dialogue` : `${Sc} will ask you for a dialogue`,
    answer_appointment: mine ? `Your turn: ${S} asks for a dialogue — is now good?` : `Waiting for ${R} to say when`,
    later: mine ? (iAmSender ? `${Rc} asked for later${at}. Ask again when it suits you both` : `You said later${at}. Say “now” when you're ready`)
      : `You agreed on later${at}`,
    send: mine ? "Your turn: send your message" : `${Sc} is sending. Just listen.`,
    mirror: mine ? `Your turn: mirror what ${S} said` : `${Rc} is mirroring what you said`,
    mirror_check: mine ? `Your turn: did ${R} get it?` : `${Sc} is checking your mirror`,
    more: mine ? "Your turn: is there more?" : `${Sc} is deciding whether there's more`,
    summary: mine ? `Your turn: sum up all that ${S} said` : `${Rc} is summing it all up`,
    summary_check: mine ? "Your turn: is that a fair summary?" : `${Sc} is checking your summary`,
    validation: mine ? `Your turn: tell ${S} how it makes sense` : `${Rc} is telling you how it makes sense`,
    understand: mine ? `Your turn: help ${R} understand` : `${Sc} is helping you understand`,
    empathy: mine ? `Your turn: imagine how ${S} might feel` : `${Rc} is imagining how you feel`,
    empathy_check: mine ? "Your turn: is that how you feel?" : `${Sc} is checking your guess`,
    close: mine ? (step.switches_left > 0 ? "Your turn: switch roles, or say you're finished" : "Your turn: close the dialogue")
      : step.can.length ? `You said you're finished. Waiting for ${O}` : `${Sc} is closing the dialogue`,
    done: "This step is complete",
  };
  return { mine, turn: texts[step.phase] || "" };
}

/** The step screen's body. */
export function render(ctx) {
  const { view, step } = ctx;
  const cur = step.current || {};
  const you = view.you.seat;
  const S = step.sender === you ? "You" : NameOf(view, step.sender);
  const R = step.receiver === you ? "You" : NameOf(view, step.receiver);
  const sName = nameOf(view, step.sender);
  const base = `${ctx.keyBase}.imago.r${step.round}.p${step.pieces}`;
  const body = [h("p", { class: "meta" }, `Round ${step.round} · ${step.pieces} piece${step.pieces === 1 ? "" : "s"} sent`)];

  body.push(quote(`${S} sent`, cur.message));
  body.push(quote(`${S} corrected`, cur.correction, "clarify"));
  body.push(quote(`${R} mirrored`, cur.mirror, "echo"));
  body.push(quote(`${R} summed up`, cur.summary, "echo"));
  body.push(quote(`${S} added`, cur.missing, "clarify"));
  body.push(quote(`${R} asked to understand`, cur.question, "echo"));
  body.push(quote(`${S} explained`, cur.explanation, "clarify"));
  body.push(quote(`${R} validated`, cur.validation, "echo"));
  body.push(quote(`${R} imagined`, cur.empathy, "echo"));
  body.push(quote(`${S} said how it feels`, cur.feeling, "clarify"));

  const t = (type, label, hint, placeholder, send, aloud, key = type) =>
    textTurn(ctx, { type, key: `${base}.${key}`, label, hint, placeholder, send, aloud });

  if (ctx.can("ask_appointment") && !ctx.can("appointment")) {
    body.push(intentButton(ctx, { type: "ask_appointment", label: "Ask for a dialogue" }));
  } else if (ctx.can("appointment") && ctx.ui.open?.[`${base}.later`] && step.phase !== "later") {
    // "Later" names a time, so both know when the dialogue comes back.
    body.push(h("div", { class: "turn-actions", role: "group", "aria-label": "When suits you?" },
      h("p", { class: "field-label" }, "When suits you?"),
      LATER.map(([minutes, label]) => intentButton(ctx, { type: "appointment", fields: { when: "later", minutes }, label, kind: "secondary" })),
      h("button", { type: "button", class: "btn quiet", data: { action: "close", open: `${base}.later` } }, "Back")));
  } else if (ctx.can("appointment")) {
    body.push(h("div", { class: "turn-actions two" },
      intentButton(ctx, { type: "appointment", fields: { when: "now" }, label: "Now is good" }),
      step.phase === "later" ? null
        : h("button", { type: "button", class: "btn secondary", id: "b-appointment-later", data: { action: "open", open: `${base}.later` } }, "Later, please")));
  } else if (ctx.can("send")) {
    body.push(t("send", "Your message", "One thing at a time, starting with “I”.", "I…", "Send", "I said it aloud"));
  } else if (ctx.can("mirror")) {
    body.push(t("mirror", `Mirror ${sName}`, "“If I got it, you said…” Then ask: “Did I get it?”",
      "If I got it, you said…", "Send my mirror", "I mirrored it aloud"));
  } else if (ctx.can("mirror_check")) {
    body.push(checkTurn(ctx, { type: "mirror_check", flag: "accurate", key: `${base}.correction`,
      yes: "Yes, you got it", no: "Not quite", aloudNo: "Not quite — I'll say it again",
      label: "What you meant", send: "Send my correction" }));
  } else if (ctx.can("more")) {
    body.push(h("div", { class: "turn-actions two" },
      intentButton(ctx, { type: "more", fields: { more: true }, label: "Yes, there's more" }),
      intentButton(ctx, { type: "more", fields: { more: false }, label: "That's all", kind: "secondary" })));
  } else if (ctx.can("summarize")) {
    body.push(t("summarize", "Your summary", "“Let me see if I got all of that…”", "Let me see if I got all of that…",
      "Send my summary", "I summed it up aloud"));
  } else if (ctx.can("summary_check")) {
    body.push(checkTurn(ctx, { type: "summary_check", flag: "fair", key: `${base}.missing`,
      yes: "That's fair", no: "Something's missing", aloudNo: "Something's missing — I'll say it",
      label: "What was missing", send: "Send" }));
  } else if (ctx.can("validate") && ctx.remote && ctx.ui.open?.[`${base}.ask.${step.asks}`]) {
    body.push(h("div", { class: "turn-actions" },
      t("ask_understand", "What doesn't make sense yet", "“Help me understand…” Ask about the part you can't follow yet.",
        "Help me understand…", "Ask", "I asked aloud", `ask.${step.asks}`),
      h("button", { type: "button", class: "btn quiet", data: { action: "close", open: `${base}.ask.${step.asks}` } }, "Back")));
  } else if (ctx.can("validate")) {
    body.push(t("validate", "Validation", "“You make sense, because…” You don't have to agree.",
      "You make sense, because…", "Send", "I said it aloud", `validate.${step.asks}`));
    if (ctx.can("ask_understand")) {
      body.push(ctx.remote
        ? h("button", { type: "button", class: "btn secondary", id: "b-ask_understand-open", data: { action: "open", open: `${base}.ask.${step.asks}` } },
          "Help me understand first")
        : intentButton(ctx, { type: "ask_understand", label: "I asked “help me understand” aloud", kind: "secondary" }));
    }
  } else if (ctx.can("help_understand")) {
    body.push(t("help_understand", `Help ${nameOf(view, step.receiver)} understand`, "Say a little more about that part, in your own words.",
      "What I mean is…", "Send", "I explained it aloud", `understand.${step.asks}`));
  } else if (ctx.can("empathize")) {
    body.push(t("empathize", "Empathy", "“I imagine you might feel…” Then ask: “Is that how you feel?”",
      "I imagine you might feel…", "Send", "I said it aloud"));
  } else if (ctx.can("empathy_check")) {
    body.push(checkTurn(ctx, { type: "empathy_check", flag: "accurate", key: `${base}.feeling`,
      yes: "Yes, that's how I feel", no: "Not quite", aloudNo: "Not quite — I'll say how I feel",
      label: "How you feel", send: "Send" }));
  } else if (ctx.can("close")) {
    // Either partner may ask to switch; with a switch left, finishing waits for both.
    const iAmSender = step.sender === you;
    const saidDone = (step.finished || []).includes(you);
    const otherDone = (step.finished || []).some((seat) => seat !== you);
    if (otherDone) body.push(h("p", { class: "hint" }, `${iAmSender ? R : S} is finished. Switch roles, or finish too.`));
    if (saidDone) body.push(h("p", { class: "hint" }, "You said you're finished. You can still switch roles."));
    body.push(h("div", { class: "turn-actions two" },
      step.switches_left > 0
        ? intentButton(ctx, { type: "close", fields: { switch: true },
          label: iAmSender ? "Switch roles" : "Ask to switch roles" }) : null,
      saidDone ? null : intentButton(ctx, { type: "close", fields: { switch: false },
        label: step.switches_left > 0 ? "I'm finished" : "Finish the dialogue",
        kind: step.switches_left > 0 ? "secondary" : "primary" })));
  } else if (step.receiver === you && ["send", "mirror_check", "more", "summary_check", "empathy_check"].includes(step.phase)) {
    body.push(h("p", { class: "hint" }, "Listen to understand; you don't have to agree."));
  }
  return body;
}

// --- the dashboard ------------------------------------------------------------

/** Each partner's role word, by seat. */
export function roles(view, step) {
  return step.sender ? { [step.sender]: ROLES.sender, [step.receiver]: ROLES.receiver } : {};
}

/** What is happening now, with the partners' names. */
export function now(view, step) {
  const S = NameOf(view, step.sender);
  const R = NameOf(view, step.receiver);
  return {
    appointment: `${S} asks ${R} for a dialogue.`,
    answer_appointment: `${R} says whether now is a good time.`,
    later: step.later_at ? `They agreed on later, at ${clockTime(step.later_at)}.` : "They agreed on later.",
    send: `${S} sends; ${R} listens.`,
    mirror: `${R} mirrors what ${S} said.`,
    mirror_check: `${S} checks the mirror.`,
    more: `${S} says whether there is more.`,
    summary: `${R} sums it all up.`,
    summary_check: `${S} checks the summary.`,
    validation: `${R} tells ${S} how it makes sense.`,
    understand: `${S} helps ${R} understand.`,
    empathy: `${R} imagines how ${S} might feel.`,
    empathy_check: `${S} says whether that is how it feels.`,
    close: step.switches_left > 0 ? "They switch roles, or both say they're finished." : `${S} closes the dialogue.`,
  }[step.phase];
}

/** What the couple has written in this step, as it is written. */
export function live(view, step) {
  const S = NameOf(view, step.sender);
  const R = NameOf(view, step.receiver);
  const cur = step.current || {};
  return [
    h("p", { class: "meta" }, `Round ${step.round} · ${step.pieces} piece${step.pieces === 1 ? "" : "s"} sent`),
    quote(`${S} sent`, cur.message), quote(`${S} corrected`, cur.correction, "clarify"),
    quote(`${R} mirrored`, cur.mirror, "echo"), quote(`${R} summed up`, cur.summary, "echo"),
    quote(`${S} added`, cur.missing, "clarify"), quote(`${R} asked to understand`, cur.question, "echo"),
    quote(`${S} explained`, cur.explanation, "clarify"), quote(`${R} validated`, cur.validation, "echo"),
    quote(`${R} imagined`, cur.empathy, "echo"), quote(`${S} said how it feels`, cur.feeling, "clarify"),
  ];
}
