// The aria-live region: news a screen reader says aloud (a new turn, a
// partner back, a prompt from the moderator, the session over).

/** Say `text` through the page's announcer. */
export function announce(text) {
  const live = document.querySelector("[data-announcer]");
  if (!live) return;
  // Re-setting the same text is not announced again; clear first.
  live.textContent = "";
  window.setTimeout(() => { live.textContent = text; }, 50);
}
