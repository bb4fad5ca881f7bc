// Every [data-deadline] counts down to the server's deadline; the server ends
// the turn, not this.

import { serverNow } from "../store.js";
import { clock } from "../words.js";

export function start() {
  window.setInterval(() => {
    for (const el of document.querySelectorAll("[data-deadline]")) {
      el.textContent = clock(Number(el.dataset.deadline) - serverNow());
    }
  }, 500);
  return () => {};
}
