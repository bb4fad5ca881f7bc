// The few controls every step screen is made of: one typed or spoken turn, a
// yes / not-quite check, a plain button, a quote of what someone said.

import { h } from "../../dom.js";

function fieldId(key) {
  return `f-${key.replace(/[^A-Za-z0-9]/g, "-")}`;
}

/** A button that sends one intent (with fixed fields); disabled while that intent is on its way. */
export function intentButton(ctx, { type, fields, label, kind = "primary", id }) {
  const busy = ctx.busy(type);
  return h("button", {
    type: "button",
    class: ["btn", kind],
    id: id || `b-${type}-${fields ? Object.values(fields).join("-") : "go"}`,
    data: { action: "intent", type, fields: fields || null },
    disabled: busy,
    "aria-busy": busy ? "true" : null,
  }, label);
}

/**
 * One turn that is typed in remote mode (or when text is required) and said
 * aloud in the same room. The draft is restored from localStorage and cleared
 * only when the server acks the send.
 */
export function textTurn(ctx, { type, key, label, hint, placeholder, send, aloud, fields, required = false, value = "",
  max = 2000, nudge = null }) {
  if (!ctx.remote && !required) {
    return h("div", { class: "turn-actions" },
      hint ? h("p", { class: "hint" }, hint) : null,
      intentButton(ctx, { type, fields, label: aloud }));
  }
  const id = fieldId(key);
  const busy = ctx.busy(type);
  const draft = ctx.draft(key);
  const text = draft || value || "";
  const described = [hint ? `${id}-hint` : null, nudge ? `${id}-nudge` : null].filter(Boolean).join(" ");
  return h("form", { class: "turn-form", data: { action: "send", type, fields: fields || null, draft: key } },
    h("label", { for: id, class: "field-label" }, label),
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("textarea", {
      id, name: "text", rows: 4, maxlength: max, placeholder: placeholder || null,
      "aria-describedby": described || null,
      data: { draft: key, nudge: nudge ? String(nudge.sentences) : null, nudgeText: nudge ? nudge.text : null },
      value: text,
    }),
    nudge ? h("p", { class: "hint nudge", id: `${id}-nudge`, "aria-live": "polite", data: { nudgeFor: id } },
      nudgeText(text, nudge.sentences, nudge.text)) : null,
    h("button", { type: "submit", class: "btn primary", id: `${id}-send`, disabled: busy, "aria-busy": busy ? "true" : null },
      busy ? (ctx.offline ? "Will send when you're back online" : "Sending…") : send));
}

/** How many sentences a text holds: runs of words ended by . ! ? or … (or by the end of the text). */
export function sentences(text) {
  return String(text || "").split(/[.!?…]+(?:\s+|$)/).filter((part) => part.trim()).length;
}

/** The gentle line under a short-share box: empty until the text runs past `most` sentences. */
export function nudgeText(text, most, words) {
  return sentences(text) > most ? words : "";
}

/** On each keystroke in a box with a nudge: show or clear its line (the controller calls this). */
export function nudgeField(el) {
  const line = el.form?.querySelector(`[data-nudge-for="${el.id}"]`);
  if (line) line.textContent = nudgeText(el.value, Number(el.dataset.nudge), el.dataset.nudgeText || "");
}

/** "That's it" / "Not quite": in remote mode "not quite" opens a box for the correction. */
export function checkTurn(ctx, { type, flag, yes, no, key, label, hint, send, aloudNo, max, nudge }) {
  const open = Boolean(ctx.ui.open?.[key]);
  if (open && ctx.remote) {
    return h("div", { class: "turn-actions" },
      textTurn(ctx, { type, key, label, hint, send, fields: { [flag]: false }, required: true, max, nudge }),
      h("button", { type: "button", class: "btn quiet", data: { action: "close", open: key } }, "Back"));
  }
  return h("div", { class: "turn-actions two" },
    intentButton(ctx, { type, fields: { [flag]: true }, label: yes }),
    ctx.remote
      ? h("button", { type: "button", class: "btn secondary", id: `b-${type}-open`, data: { action: "open", open: key } }, no)
      : intentButton(ctx, { type, fields: { [flag]: false }, label: aloudNo || no, kind: "secondary" }));
}

/** What someone said, as a quote with its author; nothing when it was said aloud. */
export function quote(caption, text, tone = "") {
  if (!text) return null;
  return h("figure", { class: ["quote", tone] },
    h("figcaption", null, caption),
    h("blockquote", null, h("p", null, text)));
}

/**
 * Plan option values [[value, label]]: `list` (default: the integers from..to) kept
 * within the server's `range` ({minimum, maximum} from /api/exercises) when it gives one.
 */
export function ints(range, from, to, list = null) {
  const lo = Number.isInteger(range?.minimum) ? range.minimum : from;
  const hi = Number.isInteger(range?.maximum) ? range.maximum : to;
  const values = list || Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => [lo + i, String(lo + i)]);
  return values.filter(([v]) => v >= lo && v <= hi);
}

/** A short waiting line ("Ben is paraphrasing…"). */
export function waiting(text) {
  return h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }), text);
}
