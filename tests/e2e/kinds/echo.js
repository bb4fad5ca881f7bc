// The test-only "echo" kind's client module (tests/kinds/echo.py is its server
// side). tests/e2e/test_a_new_step_kind.py serves it as
// /js/views/steps/echo.js and adds it to the index's MODULES line: no file of
// the client knows it. It exports the step-kind contract of docs/client.md.

import { h } from "../../dom.js";
import { NameOf, nameOf } from "../../words.js";
import { ints, quote, textTurn } from "./controls.js";

export const KIND = "echo";

export const ROLES = { caller: "Caller", echoer: "Echoer" };

export const PLAN_OPTIONS = {
  echoes: {
    label: "Echoes", lobby: true,
    values: (range) => ints(range, 1, 3),
    text: (v) => `${v} echo${v === 1 ? "" : "es"}`,
  },
};

export const WORDS = { echo_say: "called out", echo_back: "echoed" };

export function describe(ctx) {
  const { view, step } = ctx;
  const mine = step.can.length > 0;
  const turn = {
    say: mine ? "Your turn: call out a word" : `${NameOf(view, step.caller)} is calling out a word`,
    back: mine ? `Your turn: echo ${nameOf(view, step.caller)}` : `${NameOf(view, step.echoer)} is echoing`,
    done: "This step is complete",
  }[step.phase];
  return { mine, turn };
}

export function render(ctx) {
  const { step } = ctx;
  const key = `${ctx.keyBase}.echo.${step.turn.number}`;
  const body = [h("p", { class: "meta", id: "echo-turn" }, `Echo ${step.turn.number} of ${step.turn.of}`)];
  if (ctx.can("echo_say")) {
    body.push(textTurn(ctx, { type: "echo_say", key: `${key}.say`, label: "Your word", send: "Call it out", aloud: "I called it out" }));
  } else if (ctx.can("echo_back")) {
    body.push(textTurn(ctx, { type: "echo_back", key: `${key}.back`, label: "The echo", send: "Echo it", aloud: "I echoed it" }));
  }
  return body;
}

export function roles(view, step) {
  return { [step.caller]: ROLES.caller, [step.echoer]: ROLES.echoer };
}

export function now(view, step) {
  return step.phase === "say" ? `${NameOf(view, step.caller)} calls out a word.` : `${NameOf(view, step.echoer)} echoes it.`;
}

export function live(view, step) {
  return [h("p", { class: "meta" }, `Echo ${step.turn.number} of ${step.turn.of}`),
    quote(`${NameOf(view, step.caller)} called`, step.current?.say)];
}
