// A prompt or card from the moderator is news on both phones: announced, and
// the phone buzzes.

import { buzz } from "../device.js";
import { nameOf } from "../words.js";
import { announce } from "./announce.js";

export function start(store) {
  let lastPrompt = null;
  const follow = () => {
    const view = store.state.view;
    const moderator = view?.you.role === "moderator";
    const prompt = view?.session?.prompts?.at(-1);
    const promptKey = prompt ? `${prompt.at}` : "";
    if (view && !moderator && lastPrompt !== null && promptKey && promptKey !== lastPrompt) {
      announce(`From ${nameOf(view, "moderator")}: ${prompt.text}`);
      buzz();
    }
    lastPrompt = view ? promptKey : null;
  };
  store.addEventListener("change", follow);
  return follow;
}
