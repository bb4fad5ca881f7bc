// A new turn on the exercise screen is announced ("Your turn: paraphrase what
// Ana said"), and the phone buzzes when it becomes yours. A phone that cannot
// vibrate (an iPhone) shows a pulse around the screen instead, drawn on its own
// element outside the redrawn screen so that no redraw cuts it short.

import { buzz, canVibrate } from "../device.js";
import { screenOf } from "../render.js";
import { turnOf } from "../views/exercise.js";
import { announce } from "./announce.js";

const PULSE_MS = 1800;
let pulseTimer = null;

/** Show the turn pulse once (again from its start if it is showing). */
function pulse() {
  const el = document.querySelector("[data-turn-pulse]");
  if (!el) return;
  clearTimeout(pulseTimer);
  el.classList.remove("on");
  el.hidden = false;
  void el.offsetWidth; // restart the animation
  el.classList.add("on");
  pulseTimer = setTimeout(() => {
    el.classList.remove("on");
    el.hidden = true;
  }, PULSE_MS);
}

export function start(store) {
  let lastTurn = null;
  let lastMine = false;
  const follow = () => {
    const state = store.state;
    const turn = screenOf(state) === "exercise" ? turnOf(state) : null;
    if (turn && turn.key !== lastTurn) {
      lastTurn = turn.key;
      if (turn.turn) announce(turn.turn);
      if (turn.mine && !lastMine) {
        if (canVibrate()) buzz();
        else pulse();
      }
    }
    if (!turn) lastTurn = null;
    lastMine = Boolean(turn?.mine);
  };
  store.addEventListener("change", follow);
  return follow;
}
