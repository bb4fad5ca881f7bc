// A new turn on the exercise screen is announced ("Your turn: paraphrase what
// Ana said"), and the phone buzzes when it becomes yours.

import { buzz } from "../device.js";
import { screenOf } from "../render.js";
import { turnOf } from "../views/exercise.js";
import { announce } from "./announce.js";

export function start(store) {
  let lastTurn = null;
  let lastMine = false;
  const follow = () => {
    const state = store.state;
    const turn = screenOf(state) === "exercise" ? turnOf(state) : null;
    if (turn && turn.key !== lastTurn) {
      lastTurn = turn.key;
      if (turn.turn) announce(turn.turn);
      if (turn.mine && !lastMine) buzz();
    }
    if (!turn) lastTurn = null;
    lastMine = Boolean(turn?.mine);
  };
  store.addEventListener("change", follow);
  return follow;
}
