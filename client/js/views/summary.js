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

/** Entries in a row about the same question (a card's answers and guesses) under that question, said once. */
function byQuestion(entries) {
  const runs = [];
  for (const entry of entries) {
    const last = runs[runs.length - 1];
    if (entry.question && last?.question === entry.question) last.entries.push(entry);
    else runs.push({ question: entry.question || null, entries: [entry] });
  }
  return runs;
}

function entryItem(state, view, e, asked) {
  const who = e.seat === view.you.seat ? "You" : NameOf(view, e.seat);
  // Under its question, a card's label says only what this was ("answered", "guessed").
  const label = asked ? e.label.split(":")[0] : e.label;
  return h("li", null, h("p", { class: "entry-who" }, `${who} · ${label}`), h("p", { class: "entry-text" }, e.text),
    keepPromise(state, e));
}

function entryGroup(state, view, g) {
  return h("section", { class: "panel entries" },
    h("h2", null, g.heading),
    byQuestion(g.entries).map((run) => run.question
      ? h("div", { class: "entry-run" },
        h("h3", { class: "entry-question" }, run.question),
        h("ul", null, run.entries.map((e) => entryItem(state, view, e, true))))
      : h("ul", null, run.entries.map((e) => entryItem(state, view, e, false)))));
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

/** Keep it / Don't keep it, first on the screen while this phone may still choose. */
function keepChoice(state, view, summary) {
  const can = (t) => view.can.includes(t);
  if (!can("keep_summary") || summary.erased) return null;
  const pending = new Set(Object.values(state.pending));
  return h("section", { class: "panel keep", "aria-labelledby": "keep-title" },
    h("h2", { id: "keep-title" }, "Keep this?"),
    h("p", { class: "hint" }, "What you wrote is below. It's kept only if you both choose to keep it; if either of you says no, it is erased for both of you at once."),
    h("div", { class: "turn-actions two" },
      h("button", { type: "button", class: "btn primary", id: "keep-yes", data: { action: "intent", type: "keep_summary", fields: { keep: true } }, disabled: pending.has("keep_summary") }, "Keep it"),
      h("button", { type: "button", class: "btn secondary", id: "keep-no", data: { action: "intent", type: "keep_summary", fields: { keep: false } }, disabled: pending.has("keep_summary") }, "Don't keep it")));
}

/** The summary screen. */
export function render(state) {
  const view = state.view;
  const summary = view.session.summary || { entries: [], keep: {}, kept: false, erased: false };
  const me = view.you.seat;
  const other = otherSeat(view);
  const mine = summary.keep?.[me];
  const theirs = summary.keep?.[other];
  const written = summary.entries.length > 0;

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
    keepChoice(state, view, summary),
    status,
    stoppedNote(view),
    written
      ? grouped(summary.entries).map((g) => entryGroup(state, view, g))
      : h("p", { class: "panel", id: "nothing-written" }, summary.erased ? "Nothing is kept."
        : "Nothing was written down; everything was said aloud, so there is nothing to keep."),
    h("div", { class: "footer-actions" },
      wayOut(view, { endLabel: "End and erase", endClass: "btn danger" })));
}
