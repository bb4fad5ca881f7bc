// Summary: what was written down, kept only if both keep it; export as files.

import { h } from "../dom.js";
import { NameOf, nameOf, otherSeat } from "../words.js";
import { isKept } from "../effects/promises.js";
import { PROMISES_MAX } from "../storage.js";
import { moderatorBadge, notice, title, wayOut } from "./common.js";

function grouped(entries) {
  const groups = [];
  for (const entry of entries) {
    const heading = `${entry.exercise} · ${entry.step}`;
    let group = groups[groups.length - 1];
    if (!group || group.heading !== heading) {
      group = { heading, entries: [] };
      groups.push(group);
    }
    group.entries.push(entry);
  }
  return groups;
}

/** The exercises the couple chose to stop: left, not done, and nothing of them erased. */
function stoppedNote(view) {
  const stopped = (view.session.plan || []).filter((item) => item.stopped);
  if (!stopped.length) return null;
  return h("section", { class: "panel stopped", id: "stopped" },
    h("h2", null, "Stopped together"),
    h("ul", null, stopped.map((item) => h("li", null, `${item.title} (stopped, not finished)`))),
    h("p", { class: "hint" }, "Stopping erased nothing: what you wrote before it is below."));
}

/** Under one of your own promises: keep it on this phone for your next check-in (off until you say so). */
function keepPromise(state, entry) {
  if (!entry.promise || entry.seat !== state.view.you.seat || !state.promises) return null;
  const kept = isKept(state, entry);
  const full = !kept && state.promises.items.length >= PROMISES_MAX;
  const hint = `keep-hint-${String(entry.at).replace(/\W/g, "")}`;
  return h("div", { class: "keep-promise" },
    h("button", {
      type: "button", class: ["chip", kept ? "on" : ""], "aria-pressed": kept ? "true" : "false",
      "aria-describedby": hint, disabled: full, data: { action: "keep-promise", at: String(entry.at) },
    }, "Keep this for our next check-in"),
    h("p", { class: "hint", id: hint }, kept
      ? "Kept on this phone only. It comes back in your next weekly check-in; tap again to let it go."
      : full ? `This phone already keeps ${PROMISES_MAX} promises for your next check-in.`
        : "Only if you choose: this phone keeps it for your next weekly check-in, and nothing else does."));
}

/** The summary screen. */
export function render(state) {
  const view = state.view;
  const summary = view.session.summary || { entries: [], keep: {}, kept: false, erased: false };
  const me = view.you.seat;
  const other = otherSeat(view);
  const can = (t) => view.can.includes(t);
  const pending = new Set(Object.values(state.pending));
  const mine = summary.keep?.[me];
  const theirs = summary.keep?.[other];

  let status;
  if (summary.erased) {
    status = h("p", { class: "panel" }, state.promises?.items.some((p) => p.at)
      ? "Not kept: what you wrote has been erased. The promises you chose to keep for your next check-in stay on this phone."
      : "Not kept: what you wrote has been erased.");
  } else if (summary.kept) {
    status = h("div", { class: "panel" },
      h("p", null, "You both chose to keep it. Save a copy on this phone:"),
      h("div", { class: "turn-actions two" },
        h("button", { type: "button", class: "btn secondary", id: "export-md", data: { action: "export", format: "md" }, disabled: state.ui.busy === "export" }, "Save as text (.md)"),
        h("button", { type: "button", class: "btn secondary", id: "export-json", data: { action: "export", format: "json" }, disabled: state.ui.busy === "export" }, "Save for an app (.json)")));
  } else if (mine === true) {
    status = h("p", { class: "waiting" }, h("span", { class: "dots", "aria-hidden": "true" }),
      theirs === null ? `You chose to keep it. Waiting for ${nameOf(view, other)}.` : "Kept.");
  }

  return h("section", { class: "screen summary" },
    title("What you shared", "Session complete"),
    moderatorBadge(view),
    notice(state),
    h("p", null, "Here's what you wrote down. It's kept only if you both choose to keep it; otherwise it is erased at once."),
    stoppedNote(view),
    summary.entries.length
      ? grouped(summary.entries).map((g) => h("section", { class: "panel entries" },
        h("h2", null, g.heading),
        h("ul", null, g.entries.map((e) => h("li", null,
          h("p", { class: "entry-who" }, `${e.seat === me ? "You" : NameOf(view, e.seat)} · ${e.label}`),
          h("p", { class: "entry-text" }, e.text),
          keepPromise(state, e))))))
      : h("p", { class: "panel" }, summary.erased ? "Nothing is kept." : "Nothing was written down; everything was said aloud."),
    can("keep_summary") && !summary.erased
      ? h("div", { class: "panel" },
        h("h2", null, "Keep this?"),
        h("p", { class: "hint" }, "If either of you says no, it is erased for both of you."),
        h("div", { class: "turn-actions two" },
          h("button", { type: "button", class: "btn primary", id: "keep-yes", data: { action: "intent", type: "keep_summary", fields: { keep: true } }, disabled: pending.has("keep_summary") }, "Keep it"),
          h("button", { type: "button", class: "btn secondary", id: "keep-no", data: { action: "intent", type: "keep_summary", fields: { keep: false } }, disabled: pending.has("keep_summary") }, "Don't keep it")))
      : null,
    status,
    h("div", { class: "footer-actions" },
      wayOut(view, { endLabel: "End and erase", endClass: "btn danger" })));
}
