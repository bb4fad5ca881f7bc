// What a plan is made of, for the two screens that build one: the partners'
// lobby and the therapist's dashboard. The options are the server's
// OPTION_FIELDS, offered only for exercises with a step kind they change.

import { DEPTH } from "../words.js";

export const CATEGORY = {
  communication: "Communication", vulnerability: "Vulnerability", trust: "Trust", empathy: "Empathy",
  barriers: "Barriers", self_exploration: "Self-exploration", emotional_awareness: "Emotional awareness",
  attunement: "Attunement", quality_time: "Quality time",
};

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => [from + i, String(from + i)]);

/** Each plan option: the step kinds it changes, its label, and the values offered ([value, label]). */
export const OPTION_CHOICES = {
  rounds: { kinds: ["speaker_listener"], label: "Turns each holding the floor", values: range(1, 6) },
  switches: { kinds: ["imago"], label: "Times you switch roles",
    values: [[0, "None"], [1, "Once"], [2, "Twice"], [3, "Three times"]] },
  seconds: { kinds: ["timed_turns"], label: "Minutes each turn",
    values: [[30, "½"], [60, "1"], [90, "1½"], [120, "2"], [180, "3"], [300, "5"], [600, "10"]] },
  turns: { kinds: ["timed_turns"], label: "Turns each", values: range(1, 4) },
  draw: { kinds: ["cards"], label: "Cards per deck", values: [...range(1, 6), [8, "8"], [10, "10"], [12, "12"]] },
  depth: { kinds: ["cards"], label: "How deep the cards go",
    values: [[1, "Gentle only"], [2, "Up to deeper"], [3, "All depths"]] },
  max_feelings: { kinds: ["checkin"], label: "Feeling words each, at most", values: range(1, 5) },
};

/** The option names that apply to an exercise of the library (by its steps' kinds). */
export function optionsFor(exercise, only = null) {
  const kinds = new Set(exercise.steps.map((s) => s.kind));
  return Object.keys(OPTION_CHOICES)
    .filter((name) => !only || only.includes(name))
    .filter((name) => OPTION_CHOICES[name].kinds.some((k) => kinds.has(k)));
}

/** A plan item's options in a few words: "1 turn each, 2 cards". */
export function optionsText(options) {
  const parts = [];
  const o = options || {};
  if (o.rounds) parts.push(`${o.rounds} turn${o.rounds === 1 ? "" : "s"} each`);
  if (o.switches !== undefined) parts.push(o.switches ? `switch ${o.switches}×` : "no switch");
  if (o.seconds) parts.push(`${o.seconds / 60} min turns`);
  if (o.turns) parts.push(`${o.turns} turn${o.turns === 1 ? "" : "s"} each`);
  if (o.draw) parts.push(`${o.draw} card${o.draw === 1 ? "" : "s"}`);
  if (o.depth) parts.push(DEPTH[o.depth] ? `${DEPTH[o.depth].toLowerCase()} cards at most` : "");
  if (o.max_feelings) parts.push(`up to ${o.max_feelings} feeling${o.max_feelings === 1 ? "" : "s"}`);
  return parts.filter(Boolean).join(", ");
}

/**
 * The plan as the server takes it: [{exercise, options?}], options only when some are set,
 * and only those that apply to the exercise (the server refuses others as `bad_option`;
 * a plan kept from an older page could hold one).
 */
export function planPayload(items, exercises = null) {
  const byId = new Map(Array.isArray(exercises) ? exercises.map((ex) => [ex.id, ex]) : []);
  return items.map((p) => {
    const item = { exercise: p.exercise };
    const ex = byId.get(p.exercise);
    const applies = ex ? new Set(optionsFor(ex)) : null;
    const options = Object.fromEntries(Object.entries(p.options || {})
      .filter(([name]) => !applies || applies.has(name)));
    if (Object.keys(options).length) item.options = options;
    return item;
  });
}
