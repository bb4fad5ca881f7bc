// What a plan is made of, for the two screens that build one: the partners'
// lobby and the therapist's dashboard. The options and their words come from
// the step kinds (steps/index.js#PLAN_OPTIONS); which options an exercise
// takes, and their ranges, from the server's /api/exercises when it says so.

import { PLAN_OPTIONS } from "./steps/index.js";

export const CATEGORY = {
  communication: "Communication", vulnerability: "Vulnerability", trust: "Trust", empathy: "Empathy",
  barriers: "Barriers", self_exploration: "Self-exploration", emotional_awareness: "Emotional awareness",
  attunement: "Attunement", quality_time: "Quality time",
};

// What an exercise is for (its `group` in exercises/*.yaml): the lobby's headings, in this order.
// An exercise of a library of one's own without a group, or with one named here, goes under "More".
export const GROUPS = [
  { id: "everyday", label: "Everyday closeness", hint: "Small rituals, an evening for you two, promises kept." },
  { id: "closer", label: "Get closer", hint: "Learn each other's world, open up a little more." },
  { id: "listen", label: "Listen and be heard", hint: "Take turns to speak and say back what you heard." },
  { id: "feelings", label: "Know your feelings", hint: "Notice and name what you feel, and share it." },
  { id: "holding_back", label: "What holds you back", hint: "Fears of asking, and the scripts you grew up with." },
  { id: "hard", label: "Work through something hard", hint: "A disagreement, an old hurt, repair after a hard moment." },
];
const MORE = { id: "more", label: "More", hint: "" };

/** The library as [{group, exercises}] under the lobby's headings, in their order; empty groups left out. */
export function grouped(exercises) {
  const known = new Set(GROUPS.map((g) => g.id));
  return [...GROUPS, MORE]
    .map((group) => ({ group, exercises: exercises.filter((ex) => (known.has(ex.group) ? ex.group : "more") === group.id) }))
    .filter((g) => g.exercises.length);
}

const KNOWN = Object.keys(PLAN_OPTIONS);
const MAX_PLAIN = 12; // an option no kind here has words for: offer at most this many integers

/**
 * The option names that apply to an exercise of the library: the server's `options` when it lists
 * them, else those of its steps' kinds. With `lobby`, only those a couple most often changes.
 */
export function optionsFor(exercise, { lobby = false } = {}) {
  let names;
  if (exercise.options && typeof exercise.options === "object") {
    const given = Object.keys(exercise.options);
    names = [...KNOWN.filter((n) => given.includes(n)), ...given.filter((n) => !KNOWN.includes(n))];
  } else {
    const kinds = new Set((exercise.steps || []).map((s) => s.kind));
    names = KNOWN.filter((name) => PLAN_OPTIONS[name].kinds.some((k) => kinds.has(k)));
  }
  return lobby ? names.filter((name) => PLAN_OPTIONS[name]?.lobby) : names;
}

/** An option's label for its <select>. */
export function optionLabel(name) {
  return PLAN_OPTIONS[name]?.label || name.replace(/_/g, " ");
}

/**
 * The values offered for an option of `exercise`: [[value, label]], within the server's range if it gives one.
 * A kind's words may use the exercise too (its steps from /api/exercises), to say what a value leaves out.
 */
export function choices(exercise, name) {
  const range = exercise.options?.[name] || null;
  if (PLAN_OPTIONS[name]) return PLAN_OPTIONS[name].values(range, exercise);
  const lo = Number.isInteger(range?.minimum) ? range.minimum : 1;
  const hi = Math.min(Number.isInteger(range?.maximum) ? range.maximum : lo, lo + MAX_PLAIN - 1);
  return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => [lo + i, String(lo + i)]);
}

/** A plan item's options in a few words: "1 turn each, 2 cards". */
export function optionsText(options) {
  const o = options || {};
  const names = [...KNOWN, ...Object.keys(o).filter((n) => !KNOWN.includes(n))];
  return names.filter((name) => o[name] !== undefined && o[name] !== null)
    .map((name) => (PLAN_OPTIONS[name] ? PLAN_OPTIONS[name].text(o[name]) : `${name.replace(/_/g, " ")} ${o[name]}`))
    .filter(Boolean).join(", ");
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
