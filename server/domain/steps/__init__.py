"""Step kinds: one module per kind, each declaring everything about its kind.

This file is the index: `MODULES` lists the kinds, one line each, in the
order the exercise schema's error messages name them. Nothing outside this
folder names a step kind; session, moderation, summary, library and intents
ask the kind of the step at hand (`kind_at(sess)`, `KINDS[name]`).

A kind module holds plain functions over a JSON-able dict `st` (the step's
own state); none of them mutates its argument. It declares all of these
(`common` has the no-ops for kinds without a clock or checks, `NO_CLOCK`, and
`clock(...)` for a kind with one clock in one phase):

    KIND: str                      # the `kind` in exercise files; `$defs/<KIND>` in exercises/schema.json is its file schema
    OPTIONS: dict[str, dict]       # plan option -> JSON Schema fragment with its range ({"type": "integer", "minimum": 1, ...});
                                   # the options this kind reads from ctx.options; others are refused for it
    INTENTS: dict[str, tuple[dict, list[str]]]
        # intent type -> (field schemas as JSON Schema fragments, required fields).
        # A type two kinds share (advance) is declared identically by both.
    PLACE: tuple[str, ...]         # keys of `st`; a change in any makes older intents stale (see staleness.py)
    WORDS: dict[str, str]          # event type -> timeline words: every INTENTS type, and "deadline" if it has a clock
    check(spec, where, seen) -> Iterable[(field, reason)]
        # loader checks JSON Schema cannot make; `where` is "steps[i]", `seen` one dict per file per kind
    start(spec, ctx) -> st         # spec: the step from the exercise file (defaults filled)
    apply(st, seat, intent, ctx) -> (st, shared)
        # shared: list of {"seat", "label", "text"} that this intent put on the
        # table (for the end-of-session summary); [] when nothing was written.
        # Refusals raise DomainError: not_your_turn (a right intent from the
        # wrong seat), wrong_step (not possible in this phase), text_required
        # (remote mode without text), bad_value, finished (the step is over).
    view(st, seat, ctx) -> dict    # what this seat may see; seat may be "moderator".
        # Always has: "phase", "role" (this seat's role or "observer"),
        # "waiting_for" (the seats whose move the step still needs: never one
        # that has already made it), "can" (intent types this seat may send
        # right now; a seat may still replace a move it made, so it can hold
        # something while not waited for). Never a private answer before its reveal.
    done(st) -> bool               # a done step accepts nothing more
    swap_roles(st, ctx) -> st      # a moderator swapped who speaks and who listens
    deadline(st) -> float | None   # an absolute time the server must act at
    tick(st, ctx) -> (st, shared) | None   # called once now >= deadline
    pause(st, ctx) -> st           # a time-out began: stop clocks
    resume(st, ctx) -> st          # the time-out ended: restart clocks
    adjustable(st) -> bool         # a timer runs that the moderator may change now
    adjust_clock(st, seconds, ctx) -> st | None   # lengthen/shorten it; None: no timer runs
    erase_seat(st, seat) -> st     # "erase what I wrote": the step state without a word this seat
                                   # wrote (its answers, pieces, notes); the other's words and the
                                   # step's place stay. `common.no_words` for a kind that keeps none.

and may declare (optional; `common.open_floor` when absent):

    floor(st) -> {"speakers": [seat], "cue": "speak" | "say_back"} | None
        # who holds the floor on a call now (the others' microphones go quiet
        # for them); None: anyone may speak. "say_back": the speakers give
        # back what they heard (a paraphrase, a mirror).
    spoken(spec) -> bool
        # this step of a file is spoken rather than typed (aloud cards, timed
        # turns; absent: False). A couple apart chooses in the lobby how they
        # talk in such steps (domain/voice.py) and the machine gets it as
        # ctx.voice: "typing" (run it typed) or "call" (said on the call).

`ctx` is a `server.domain.context.StepCtx`. Seats are "partner_a" and
"partner_b"; a step's roles are always held by those two seats.
"""

from types import ModuleType

from . import brainstorm, cards, checkin, common, imago, look_back, speaker_listener, timed_together, timed_turns

MODULES = (speaker_listener, imago, cards, checkin, timed_turns, brainstorm, timed_together, look_back)

MEMBERS = ("KIND", "OPTIONS", "INTENTS", "PLACE", "WORDS", "check", "start", "apply", "view", "done",
           "swap_roles", "deadline", "tick", "pause", "resume", "adjustable", "adjust_clock", "erase_seat")


def collect(modules) -> dict[str, ModuleType]:
    """Return {KIND: module}, in order; ValueError for a missing member, a repeated KIND,
    or an intent type or option that two kinds declare differently."""
    kinds: dict[str, ModuleType] = {}
    intents: dict[str, tuple] = {}
    options: dict[str, dict] = {}
    for module in modules:
        missing = [name for name in MEMBERS if not hasattr(module, name)]
        name = getattr(module, "KIND", module.__name__)
        if missing:
            raise ValueError(f"step kind {name!r} does not declare {', '.join(missing)}")
        if name in kinds:
            raise ValueError(f"step kind {name!r} is declared twice")
        for kind_of, table, what in ((intents, module.INTENTS, "intent"), (options, module.OPTIONS, "option")):
            for key, declared in table.items():
                if key in kind_of and kind_of[key] != declared:
                    raise ValueError(f"{what} {key!r} is declared differently by two step kinds ({name!r})")
                kind_of[key] = declared
        kinds[name] = module
    return kinds


# Changed in place only by intents.added_kinds (tests).
KINDS: dict[str, ModuleType] = collect(MODULES)


def _live(kinds):
    return KINDS if kinds is None else kinds


def spec_at(sess: dict) -> dict:
    """Return the exercise file's spec of the step the session is in."""
    exercise = sess["specs"][sess["plan"][sess["index"]]["exercise"]]
    return exercise["steps"][sess["step_index"]]


def kind_at(sess: dict) -> ModuleType:
    """Return the module of the step the session is in."""
    return KINDS[spec_at(sess)["kind"]]


def floor_at(sess: dict) -> dict | None:
    """Return who holds the call's floor in the step the session is in (None: anyone may speak)."""
    module = kind_at(sess)
    return getattr(module, "floor", common.open_floor)(sess["step"])


def option_fields(kinds=None) -> dict[str, dict]:
    """Every plan option any kind reads, with its range (the plan's schema)."""
    return {name: dict(schema) for module in _live(kinds).values() for name, schema in module.OPTIONS.items()}


def options_for(exercise: dict, kinds=None) -> dict[str, dict]:
    """The options the exercise's steps read, with their ranges (others are refused for it)."""
    live = _live(kinds)
    return {name: dict(schema) for step in exercise["steps"]
            for name, schema in live[step["kind"]].OPTIONS.items()}


def step_facts(step: dict, kinds=None) -> dict:
    """What the step's kind tells a plan builder about this step of a file besides its kind and title:
    the optional `step_facts(spec)` of a kind module ({} for a kind without one)."""
    facts = getattr(_live(kinds)[step["kind"]], "step_facts", None)
    return dict(facts(step)) if facts else {}


def step_schema(kinds=None) -> dict:
    """The exercise schema's `$defs/step`: the kind enum, then one `if kind == K then $defs/K` per kind."""
    names = list(_live(kinds))
    return {
        "description": "Dispatches on kind; each kind's own definition closes its fields.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": names}},
        "allOf": [{"if": {"type": "object", "required": ["kind"], "properties": {"kind": {"const": name}}},
                   "then": {"$ref": f"#/$defs/{name}"}} for name in names],
    }
