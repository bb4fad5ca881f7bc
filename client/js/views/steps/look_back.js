// Look back: the promises and intentions the phones brought back from last time,
// looked at together; either partner says how each went, then both go on.

import { h } from "../../dom.js";
import { NameOf, PARTNERS, nameOf } from "../../words.js";
import { intentButton } from "./controls.js";

export const KIND = "look_back";

/** Timeline words for this kind's intents (until the server sends its own). */
export const WORDS = { mark_promise: "said how a promise went", advance: "went on" };

/** The promises this step shows, each {n, by, text, made_on, mark}: what the phones brought back (effects/promises.js). */
export function broughtBack(step) {
  return Array.isArray(step?.promises) ? step.promises : [];
}

const MARKS = [["kept", "Kept"], ["partly", "Partly"], ["not_yet", "Not yet"], ["let_go", "Let it go"]];

function madeOn(day) {
  if (!day) return null;
  const date = new Date(`${day}T00:00`);
  return Number.isNaN(date.getTime()) ? day : date.toLocaleDateString(undefined, { day: "numeric", month: "short" });
}

/** Role, whose turn, and the one thing to do now, in words. */
export function describe(ctx) {
  const { view, step, other } = ctx;
  const mine = step.can.includes("advance");
  let turn = "This step is complete";
  if (step.phase === "looking") {
    turn = !mine ? `Waiting for ${nameOf(view, other)} to go on`
      : step.promises.length ? "Your turn: look back together at what you meant to do" : "Your turn: talk about last time, then go on";
  }
  return { mine, turn, role: step.role === "observer" ? "observer" : "partner" };
}

export function roleLine() {
  return { name: "Together", text: "you look back side by side" };
}

function promiseItem(ctx, promise) {
  const { view } = ctx;
  const who = promise.by === view.you.seat ? "You" : NameOf(view, promise.by);
  const when = madeOn(promise.made_on);
  return h("li", { class: "promise" },
    h("p", { class: "promise-text" }, promise.text),
    h("p", { class: "meta" }, when ? `${who} brought this back · made on ${when}` : `${who} brought this back`),
    ctx.can("mark_promise")
      ? h("div", { class: "chips", role: "group", "aria-label": `How did it go: ${promise.text}` },
        MARKS.map(([mark, label]) => h("button", {
          type: "button", class: ["chip", promise.mark === mark ? "on" : ""], id: `mark-${promise.n}-${mark}`,
          "aria-pressed": promise.mark === mark ? "true" : "false", disabled: ctx.busy("mark_promise"),
          data: { action: "intent", type: "mark_promise", fields: { promise: promise.n, mark } },
        }, label)))
      : promise.mark ? h("p", { class: "hint" }, `How it went: ${MARKS.find(([m]) => m === promise.mark)[1].toLowerCase()}`) : null);
}

/** The step screen's body. */
export function render(ctx) {
  const { step } = ctx;
  const body = [];
  if (step.promises.length) {
    body.push(h("ul", { class: "promise-list", "aria-label": "Brought back from last time" },
      step.promises.map((promise) => promiseItem(ctx, promise))));
  } else {
    body.push(h("p", null, "Nothing was brought back from last time. You can still talk about what you meant to do since then."));
  }
  if (ctx.can("advance")) body.push(intentButton(ctx, { type: "advance", label: "Go on" }));
  return body;
}

// --- the dashboard ------------------------------------------------------------

export function roles() {
  return Object.fromEntries(PARTNERS.map((seat) => [seat, "Together"]));
}

export function now(view, step) {
  return step.phase === "looking" ? `Looking back at ${step.promises.length} promise${step.promises.length === 1 ? "" : "s"} from last time.`
    : "They looked back together.";
}

export function live(view, step) {
  if (!step.promises.length) return [h("p", { class: "meta" }, "Nothing was brought back from last time.")];
  return [h("ul", { class: "promise-list" }, step.promises.map((p) => h("li", null,
    `${p.text} (${NameOf(view, p.by)})${p.mark ? ` — ${MARKS.find(([m]) => m === p.mark)[1].toLowerCase()}` : ""}`)))];
}
