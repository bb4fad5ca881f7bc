// Picks the screen for the state and draws it. Views only build DOM from the
// state; this module puts it on the page, keeps the focus (and the caret) where
// the person was, and moves focus to the heading when the screen changes.

import { h } from "./dom.js";
import * as dashboard from "./views/dashboard.js";
import * as exercise from "./views/exercise.js";
import * as home from "./views/home.js";
import * as lobby from "./views/lobby.js";
import * as other from "./views/other.js";
import * as safetyPage from "./views/safety_page.js";
import * as summary from "./views/summary.js";
import { safetyLink } from "./views/common.js";

const VIEWS = {
  home: home.render,
  lobby: lobby.render,
  exercise: exercise.render,
  summary: summary.render,
  dashboard: dashboard.render,
  resuming: other.resuming,
  ended: other.ended,
  replaced: other.replaced,
  "moderator-join": other.moderatorJoin,
  safety: safetyPage.render,
};

// Screens that place "Not feeling safe?" themselves: the exercise beside its time-out; the safety
// page is where it leads. Every other screen gets it at its top, in reach without scrolling.
const OWN_SAFETY_LINK = new Set(["exercise", "safety"]);

/** The name of the screen the state calls for. */
export function screenOf(state) {
  if (state.ui.safety) return "safety"; // over whatever is due; back to it on "Back to Attune"
  if (state.ended) return "ended";
  if (state.replaced) return "replaced";
  const view = state.view;
  if (!view) {
    if (state.seat) return "resuming";
    return state.route.kind === "moderator" ? "moderator-join" : "home";
  }
  if (view.you.role === "moderator") return "dashboard";
  const phase = view.session?.phase || "lobby";
  if (phase === "running" && view.session.exercise) return "exercise";
  if (phase === "summary") return "summary";
  return "lobby";
}

/** Draw `store`'s state into `root` now and after every change (coalesced). */
export function mount(root, store) {
  let scheduled = false;
  let shown = null;
  let beneath = null; // the screen the safety page opened over, and how far it was scrolled

  function draw() {
    scheduled = false;
    const state = store.state;
    const screen = screenOf(state);
    const active = document.activeElement;
    const focusId = active && active !== document.body && root.contains(active) ? active.id : null;
    let caret = null;
    if (focusId && (active.tagName === "TEXTAREA" || (active.tagName === "INPUT" && /^(text|search|url)?$/.test(active.type || "")))) {
      caret = [active.selectionStart, active.selectionEnd];
    }
    const scroll = window.scrollY;
    const top = OWN_SAFETY_LINK.has(screen) ? null : h("div", { class: "safety-line" }, safetyLink());
    root.replaceChildren(...[top, VIEWS[screen](state)].filter(Boolean));
    root.dataset.screen = screen;
    document.documentElement.dataset.screen = screen;
    if (screen === "safety" && shown !== "safety") beneath = { screen: shown, scroll };
    if (shown === "safety" && screen !== shown && beneath?.screen === screen) {
      // Back from the safety page to the same screen: where the person was, focus on the link they used.
      root.querySelector("#safety-open")?.focus({ preventScroll: true });
      window.scrollTo(0, beneath.scroll);
    } else if (shown !== null && screen !== shown) {
      window.scrollTo(0, 0);
      root.querySelector("h1")?.focus();
    } else if (focusId) {
      const el = document.getElementById(focusId);
      if (el && !el.disabled) {
        el.focus({ preventScroll: true });
        if (caret && typeof el.setSelectionRange === "function") {
          try {
            el.setSelectionRange(caret[0], caret[1]);
          } catch {
            // not a text field after all
          }
        }
      }
      window.scrollTo(0, scroll);
    }
    shown = screen;
  }

  store.addEventListener("change", () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(draw);
  });
  draw();
}
