// A screen that is news in itself (the session over, ended, opened elsewhere)
// is announced when it appears.

import { screenOf } from "../render.js";
import { announce } from "./announce.js";

const SCREEN_NEWS = {
  summary: "The session is complete. Choose whether to keep what you wrote.",
  ended: "The session has ended and everything in it was erased.",
  replaced: "This session was opened on another device.",
};

export function start(store) {
  let lastScreen = null;
  const follow = () => {
    const screen = screenOf(store.state);
    if (screen !== lastScreen && lastScreen !== null && SCREEN_NEWS[screen]) announce(SCREEN_NEWS[screen]);
    lastScreen = screen;
  };
  store.addEventListener("change", follow);
  return follow;
}
