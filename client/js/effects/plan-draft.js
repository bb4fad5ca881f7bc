// The plan being put together (ui.plan, and whether the moderator's editor is
// open) is a draft like any typed text: kept per room while the session is in
// its lobby, and brought back once after a reload.

import * as storage from "../storage.js";

export function start(store) {
  let planRoom = null; // the room whose kept plan was already looked at
  let planHeld = null; // the ui.plan and ui.builder last saved
  const follow = () => {
    const { view, ui } = store.state;
    if (!view) {
      planRoom = null;
      return;
    }
    if (view.session?.phase !== "lobby") {
      // The plan is set and under way: its draft has done its job.
      if (planRoom !== view.code || planHeld) storage.savePlan(view.code, { plan: [], builder: false });
      planRoom = view.code;
      planHeld = null;
      return;
    }
    if (planRoom !== view.code) {
      planRoom = view.code;
      planHeld = { plan: ui.plan, builder: ui.builder };
      const kept = storage.loadPlan(view.code);
      if (kept && !ui.plan.length && !ui.builder) store.ui(kept);
      return;
    }
    if (planHeld && planHeld.plan === ui.plan && planHeld.builder === ui.builder) return;
    planHeld = { plan: ui.plan, builder: ui.builder };
    storage.savePlan(view.code, planHeld);
  };
  store.addEventListener("change", follow);
  return follow;
}
