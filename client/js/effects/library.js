// Once seated (a view is there), load the exercise library and the feeling
// words, once each.

import { loadExercises, loadFeelings } from "../library.js";

export function start(store) {
  const follow = () => {
    const state = store.state;
    if (state.view && (state.exercises === null || state.feelings === null)) {
      queueMicrotask(() => {
        loadExercises(store);
        loadFeelings(store);
      });
    }
  };
  store.addEventListener("change", follow);
  return follow;
}
