// The ways out that erase nothing: asking to stop this exercise (and answering
// a partner who asked), the shared cool-down with its breathing pace, and the
// dock's Time-out / Cool down / Stop controls. Phones and the dashboard share it.

import { h } from "../dom.js";
import { serverNow } from "../store.js";
import { NameOf, PARTNERS, nameOf, otherSeat } from "../words.js";

// Minutes a caller may pick; the server takes 2 to 30.
export const COOLDOWN_CHOICES = [5, 10, 20, 30];
export const FLOODED_HINT = "If one of you feels flooded (heart racing, hard to think), 20 minutes or more helps the body settle.";

/** Where one slow breath is at server time `now`: its number, "in" or "out", and how far (0-1) the circle is open. */
export function breathAt(cool, now) {
  const cycle = cool.breath_in + cool.breath_out;
  const t = Math.max(0, now - cool.started_at);
  const count = Math.floor(t / cycle);
  const into = t - count * cycle;
  const phase = into < cool.breath_in ? "in" : "out";
  const open = phase === "in" ? into / cool.breath_in : 1 - (into - cool.breath_in) / cool.breath_out;
  return { count, phase, open };
}

function hoursMinutes(seconds) {
  const d = new Date(seconds * 1000);
  return [d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** "Back at 14:20 · 12 min to go", or that the time they chose is up. */
export function untilText(cool, now) {
  const left = Math.ceil((cool.until - now) / 60);
  if (left <= 0) return "The time you chose is up. Go on when you're both ready, or take longer.";
  return `Back at ${hoursMinutes(cool.until)} · ${left} min to go`;
}

/**
 * The breathing circle: the effect (effects/breath.js) keeps its data-breath-* attributes and words
 * in step with the server's clock; they are set here too so a fresh screen is right at once.
 */
export function breathing(cool) {
  const now = serverNow();
  const b = breathAt(cool, now);
  return h("div", { class: "breathing" },
    h("div", {
      class: "breath", id: "breath", role: "img", "aria-label": "A slow breathing pace",
      data: { breath: String(cool.started_at), breathIn: String(cool.breath_in), breathOut: String(cool.breath_out),
        breathPhase: b.phase, breathCount: String(b.count) },
    }, h("span", { class: "breath-word", "aria-live": "off" }, b.phase === "in" ? "Breathe in" : "Breathe out")),
    h("p", { class: "cool-until", id: "cool-until", data: { until: String(cool.until) } }, untilText(cool, now)));
}

function readyList(view, t) {
  const me = view.you.seat;
  return h("ul", { class: "statuses" }, PARTNERS.map((seat) => h("li", {
    class: ["status", t.ready.includes(seat) ? "answered" : "thinking"],
  }, h("span", { class: "who" }, seat === me ? "You" : NameOf(view, seat)),
  t.ready.includes(seat) ? " — ready to go on" : " — not ready yet")));
}

/** A cool-down on a partner's phone: the pace, the return time, who is ready, and "I'm ready". */
export function cooldownPanel(state) {
  const view = state.view;
  const t = view.session.timeout;
  const me = view.you.seat;
  const by = t.by === me ? "You" : NameOf(view, t.by);
  const busy = Object.values(state.pending).includes("ready");
  return h("section", { class: "panel pause cooldown", id: "cooldown", "aria-labelledby": "pause-title" },
    h("h2", { id: "pause-title" }, "Cooling down"),
    h("p", null, `${by} started a ${t.cooldown.minutes}-minute cool-down. Breathe with the circle; you're both at the same pace. Nothing moves on until you're both ready.`),
    breathing(t.cooldown),
    readyList(view, t),
    view.can.includes("ready")
      ? h("button", { type: "button", class: "btn primary", id: "ready", data: { action: "intent", type: "ready" }, disabled: busy },
        busy ? "Sending…" : "I'm ready to go on")
      : h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }),
        `You're ready. Waiting for ${nameOf(view, otherSeat(view))}.`));
}

/** The request to stop this exercise, as each seat should read it; null when there is none. */
export function stopPanel(state) {
  const view = state.view;
  const stop = view.session.stop;
  if (!stop) return null;
  const me = view.you.seat;
  const pending = new Set(Object.values(state.pending));
  const button = (type, label, kind = "secondary") => h("button", {
    type: "button", class: ["btn", kind], id: `stop-${type}`, data: { action: "intent", type }, disabled: pending.has(type),
  }, pending.has(type) ? "Sending…" : label);
  let words;
  let action = null;
  if (stop.by === me) {
    words = `You asked to stop this exercise. Waiting for ${me === "moderator" ? "the couple" : nameOf(view, otherSeat(view))}${view.moderated ? " or your guide" : ""}. Nothing is erased.`;
    if (view.can.includes("withdraw_stop")) action = button("withdraw_stop", "Keep going after all");
  } else if (me === "moderator") {
    words = `${NameOf(view, stop.by)} asked to stop this exercise. Agreeing moves them to the next one; nothing is erased.`;
    if (view.can.includes("agree_stop")) action = button("agree_stop", "Agree and stop", "primary");
  } else if (stop.agreed.includes(me)) {
    words = "You've both agreed to stop.";
  } else {
    words = `${NameOf(view, stop.by)} would like to stop this exercise here. Nobody needs to explain, and nothing you've written is erased.`;
    if (view.can.includes("agree_stop")) action = button("agree_stop", "Stop here", "primary");
  }
  return h("section", { class: "panel stop-request", id: "stop-request", role: "status" },
    h("p", null, words), action);
}

/** The cool-down chooser the dock opens: how long, with why 20 minutes helps. */
function cooldownChooser(state, { type = "timeout", forBoth = false } = {}) {
  const busy = Object.values(state.pending).includes(type);
  return h("section", { class: "panel cool-choose", id: "cool-choose", "aria-labelledby": "cool-choose-title" },
    h("h2", { id: "cool-choose-title" }, forBoth ? "A cool-down for both" : "Cool down together"),
    h("p", null, "Both phones breathe at the same slow pace until you're both ready. When would you like to come back?"),
    h("p", { class: "hint" }, FLOODED_HINT),
    h("div", { class: "tool-row" }, COOLDOWN_CHOICES.map((m) => h("button", {
      type: "button", class: ["btn", m === 20 ? "primary" : "secondary"], id: `cool-${m}`,
      data: { action: "cooldown", type, minutes: String(m) }, disabled: busy,
    }, `${m} min`))),
    h("button", { type: "button", class: "btn quiet", id: "cool-cancel", data: { action: "close", open: "cooldown" } }, "Not now"));
}

/** The dock's ways out for a partner: Time-out, Cool down…, Stop this exercise (each only when `can` has it). */
export function dockControls(state) {
  const view = state.view;
  const paused = Boolean(view.session.timeout);
  const pending = new Set(Object.values(state.pending));
  const canTimeout = view.can.includes("timeout");
  const label = paused ? (view.session.timeout.by === "moderator" && !view.session.timeout.cooldown ? "Paused" : "Time-out is on") : "Time-out";
  return [
    h("button", {
      type: "button", class: "btn timeout", id: "timeout", data: { action: "intent", type: "timeout" },
      disabled: !canTimeout || pending.has("timeout"),
    }, label),
    canTimeout
      ? h("button", { type: "button", class: "btn secondary", id: "cool-open", data: { action: "open", open: "cooldown" } }, "Cool down…")
      : null,
    view.can.includes("ask_stop")
      ? h("button", { type: "button", class: "btn secondary", id: "stop-ask", data: { action: "intent", type: "ask_stop" },
        disabled: pending.has("ask_stop") }, "Stop this exercise")
      : null,
  ];
}

/** The chooser, when its dock button opened it and a time-out can still be called. */
export function chooser(state, options) {
  const type = options?.type || "timeout";
  if (!state.ui.open?.cooldown || !state.view.can.includes(type)) return null;
  return cooldownChooser(state, options);
}
