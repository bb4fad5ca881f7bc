// Building a plan, on the partners' lobby and the moderator's dashboard: an
// ordered list of exercises with their options (ui.plan), set with
// propose_plan. Each action is (el, api); `api` is the controller's.

import { forget } from "../effects/memory.js";
import * as promises from "../effects/promises.js";
import { loadExercises } from "../library.js";
import { planPayload } from "../views/plan.js";

export const click = {
  builder: (el, api) => api.store.ui({ builder: true }),

  /** "Forget our history", once confirmed: this phone keeps nothing of what the two of you have done. */
  "forget-history": (el, api) => {
    const had = api.store.state.promises?.items.length > 0;
    forget(api.store);
    promises.forget(api.store);
    api.openKey("forget", false);
    api.say(had ? "This phone has forgotten what you two have done together, and the promises it kept."
      : "This phone has forgotten what you two have done together.", "info");
  },

  /** "Keep this for our next check-in" on the summary: one of your own promises, on this phone only. */
  "keep-promise": (el, api) => {
    const at = Number(el.dataset.at);
    const entry = api.store.state.view?.session?.summary?.entries?.find((e) => e.at === at && e.promise);
    promises.toggle(api.store, entry);
  },

  /** The lobby's "Not this time" and "Bring them back". */
  "hold-promises": (el, api) => promises.hold(api.store, el.dataset.hold === "1"),

  "load-exercises": (el, api) => {
    api.store.update({ exercises: null });
    loadExercises(api.store);
  },

  /** The lobby's list: an exercise is in the plan once, or not. */
  "toggle-plan": (el, api) => {
    const id = el.dataset.exercise;
    api.store.ui((ui) => ({
      plan: ui.plan.some((p) => p.exercise === id)
        ? ui.plan.filter((p) => p.exercise !== id)
        : [...ui.plan, { exercise: id, options: {} }],
    }));
  },

  "plan-add": (el, api) => api.store.ui((ui) => ({ plan: [...ui.plan, { exercise: el.dataset.exercise, options: {} }] })),

  "plan-move": (el, api) => api.store.ui((ui) => {
    const from = Number(el.dataset.index);
    const to = from + Number(el.dataset.by);
    if (to < 0 || to >= ui.plan.length) return {};
    const plan = [...ui.plan];
    [plan[from], plan[to]] = [plan[to], plan[from]];
    // Focus follows the item it moved (render.js keeps focus by id).
    queueMicrotask(() => document.getElementById(`plan-${to}-${el.dataset.by < 0 ? "up" : "down"}`)?.focus());
    return { plan };
  }),

  "plan-remove": (el, api) => api.store.ui((ui) => ({ plan: ui.plan.filter((_, i) => i !== Number(el.dataset.index)) })),

  "plan-edit": (el, api) => {
    const plan = api.store.state.view?.session?.plan || [];
    api.store.ui({ builder: true, plan: plan.map((p) => ({ exercise: p.exercise, options: { ...(p.options || {}) } })) });
  },

  "plan-cancel": (el, api) => api.store.ui({ builder: false, plan: [] }),

  /** Propose the plan being built; `data-clear` (the dashboard) also empties the builder once it is set. */
  "plan-set": async (el, api) => {
    const plan = planPayload(api.store.state.ui.plan, api.store.state.exercises);
    if (!plan.length) return;
    const ack = await api.send("propose_plan", { plan });
    if (ack.ok) api.store.ui(el.dataset.clear ? { builder: false, plan: [] } : { builder: false });
  },
};

export const change = {
  /** One option of the plan item at data-index: a number, or "" for as written. */
  "plan-option": (el, api) => {
    const at = Number(el.dataset.index);
    const { option } = el.dataset;
    api.store.ui((ui) => ({
      plan: ui.plan.map((p, i) => {
        if (i !== at) return p;
        const options = { ...p.options };
        if (el.value) options[option] = Number(el.value);
        else delete options[option];
        return { ...p, options };
      }),
    }));
  },
};
