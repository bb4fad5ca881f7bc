// Every [data-breath] circle follows the cool-down's pace on the server's clock,
// so two phones and the dashboard breathe in step; a gentle vibration marks
// each new breath in where the browser allows it. [data-until] says the time
// left, then that the time is up (the cool-down still waits for both to be ready).

import { serverNow } from "../store.js";
import { breathAt, untilText } from "../views/safety.js";

const TICK_MS = 100;
const BUZZ_MS = 40;

export function start() {
  let lastBreath = null;
  window.setInterval(() => {
    const now = serverNow();
    for (const el of document.querySelectorAll("[data-breath]")) {
      const cool = { started_at: Number(el.dataset.breath), breath_in: Number(el.dataset.breathIn),
        breath_out: Number(el.dataset.breathOut) };
      const b = breathAt(cool, now);
      el.dataset.breathPhase = b.phase;
      el.dataset.breathCount = String(b.count);
      // Seconds into the cool-down by the server's clock, and when (this device's clock) that was read:
      // what a test compares across two phones.
      el.dataset.breathAt = Math.max(0, now - cool.started_at).toFixed(2);
      el.dataset.breathStamp = (Date.now() / 1000).toFixed(3);
      el.style.setProperty("--breath-open", b.open.toFixed(3));
      const word = el.querySelector(".breath-word");
      if (word) word.textContent = b.phase === "in" ? "Breathe in" : "Breathe out";
      const key = `${cool.started_at}:${b.count}`;
      if (key !== lastBreath) {
        // Only after a tap on this page: before one, browsers refuse (and complain in the console).
        if (lastBreath !== null && typeof navigator.vibrate === "function" && navigator.userActivation?.hasBeenActive !== false) {
          try {
            navigator.vibrate(BUZZ_MS);
          } catch {
            // not allowed here (no tap yet, or a desktop browser): the circle alone keeps the pace
          }
        }
        lastBreath = key;
      }
    }
    for (const el of document.querySelectorAll("[data-until]")) {
      el.textContent = untilText({ until: Number(el.dataset.until) }, now);
    }
  }, TICK_MS);
  return () => {};
}
