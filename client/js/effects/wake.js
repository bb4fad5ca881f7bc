// The screen stays awake while an exercise runs.

import { keepAwake } from "../device.js";

export function start(store) {
  const follow = () => keepAwake(store.state.view?.session?.phase === "running");
  store.addEventListener("change", follow);
  return follow;
}
