// The step kinds: one module per kind, collected here. A screen asks
// kindOf(step.kind) for what it needs and never names a kind itself.
//
// A kind's module exports KIND, describe(ctx) and render(ctx); everything else
// is optional and filled in from DEFAULTS (see docs/client.md, "Step kinds").
// A new kind is one module and one line in MODULES.

import * as brainstorm from "./brainstorm.js";
import * as cards from "./cards.js";
import * as checkin from "./checkin.js";
import * as imago from "./imago.js";
import * as lookBack from "./look_back.js";
import * as speakerListener from "./speaker_listener.js";
import * as timedTogether from "./timed_together.js";
import * as timedTurns from "./timed_turns.js";
import { h } from "../../dom.js";

// The order is the order plan options are offered in. tests/e2e/test_a_new_step_kind.py adds its
// test-only kind to this one line, as a new kind would.
const MODULES = [speakerListener, imago, timedTurns, cards, checkin, brainstorm, timedTogether, lookBack];

const DEFAULTS = {
  ROLES: {},
  describe: (ctx) => ({ mine: ctx.step.can.length > 0, turn: "" }),
  roleLine: () => null,
  roles: () => ({}),
  now: (view, step) => String(step.phase).replace(/_/g, " "),
  facts: () => null,
  live: () => [],
};

const UNSUPPORTED = {
  render: () => h("p", null, "This kind of step isn't supported by this version of the app yet. Please reload the page."),
};

/** Merge one export of every module; a name two kinds give different values is a mistake. */
function merged(modules, name, base = {}) {
  const out = { ...base };
  for (const module of modules) {
    for (const [key, value] of Object.entries(module[name] || {})) {
      if (key in out && out[key] !== value) throw new Error(`step kinds: ${module.KIND} declares ${name}.${key} again`);
      out[key] = value;
    }
  }
  return out;
}

/** kind -> module, as the modules declare it. */
export const STEPS = Object.fromEntries(MODULES.map((m) => [m.KIND, m]));

/** What the screens need of a step kind, with the defaults filled in (an unknown kind still draws). */
export function kindOf(kind) {
  return { ...DEFAULTS, ...(STEPS[kind] || UNSUPPORTED) };
}

/** Every role's word ("Speaker"), for the role line and the instructions. */
export const ROLE_WORDS = merged(MODULES, "ROLES", { partner: "Partner", observer: "Observer" });

/** Taps a kind's body handles (data-action names), each (el, api). */
export const STEP_ACTIONS = merged(MODULES, "ACTIONS");

/**
 * Plan options: {name: {label, lobby?, values(range) -> [[v, text]], text(v), kinds}}; an option two
 * kinds read (the same name) is offered once, with the first kind's words.
 */
export const PLAN_OPTIONS = {};
for (const module of MODULES) {
  for (const [name, option] of Object.entries(module.PLAN_OPTIONS || {})) {
    if (PLAN_OPTIONS[name]) PLAN_OPTIONS[name].kinds.push(module.KIND);
    else PLAN_OPTIONS[name] = { ...option, kinds: [module.KIND] };
  }
}

/** Timeline words of the kinds' intents, for a server that does not send its own. */
export const STEP_WORDS = merged(MODULES, "WORDS");

/** Whether a step of `kind` shows the promises the phones bring back (its module has broughtBack). */
export function bringsBack(kind) {
  return typeof STEPS[kind]?.broughtBack === "function";
}

/** The promises a step on the table shows ([] for a kind that brings none back). */
export function broughtBackIn(step) {
  return step && bringsBack(step.kind) ? STEPS[step.kind].broughtBack(step) : [];
}
