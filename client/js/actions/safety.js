// The safety page: open it, go back, and "Leave quickly". None of these sends
// anything to the server: opening the page is nobody's business, and leaving
// quickly must not end or erase the session (the partner only sees this phone away).

// Where "Leave quickly" goes if the settings never arrived (offline): the server's own default.
const FALLBACK_EXIT = "https://www.google.com/";

/** Put an everyday page in place of this one, now, leaving no entry in the history to come back to. */
export function leaveQuickly(url) {
  // Nothing of Attune stays on screen while the next page loads, not even the tab's title.
  document.title = "";
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  document.body.hidden = true;
  // replace(), not assign(): Attune's entry in the history becomes the everyday page.
  window.location.replace(url || FALLBACK_EXIT);
}

export const click = {
  "safety-open": (el, api) => api.store.ui({ safety: true }),

  "safety-close": (el, api) => api.store.ui({ safety: false }),

  "safety-leave": (el, api) => {
    const settings = api.store.state.safety;
    leaveQuickly(settings && settings !== "error" ? settings.exit_url : null);
  },
};
