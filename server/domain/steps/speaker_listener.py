"""Speaker-Listener Technique (PREP), one floor holder at a time.

share (Speaker) -> paraphrase (Listener) -> check (Speaker):
  "that's it" -> next: continue (back to share) or pass the floor (roles swap)
  "not quite" -> the Speaker clarifies, back to paraphrase, as often as needed.
The step ends when each partner has held the floor `rounds` times.
"""

from . import common
from .common import BOOL, TEXT

KIND = "speaker_listener"
# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {"rounds": {"type": "integer", "minimum": 1, "maximum": 6}}

# A chunk rarely needs more than a few tries; these keep one couple's loop
# (or a runaway client) from growing the room's state without end.
MAX_CLARIFICATIONS = 10  # "not quite" answers for one chunk
MAX_CHUNKS = 20  # chunks one speaker shares while holding the floor once

INTENTS = {
    "share": ({"text": TEXT}, []),
    "paraphrase": ({"text": TEXT}, []),
    "check": ({"accurate": BOOL, "text": TEXT}, ["accurate"]),
    "continue": ({}, []),
    "pass_floor": ({}, []),
}

# The keys of the step's state that say where it is: a change in any of them
# makes a move meant for the old place stale.
PLACE = ("phase", "floors", "chunks", "clarifications", "speaker")

# What each move means in the timeline, in the therapist's words.
WORDS = {
    "share": "shared a piece",
    "paraphrase": "paraphrased",
    "check": "checked the paraphrase",
    "continue": "went on speaking",
    "pass_floor": "passed the floor",
}

# phase -> (who acts: "speaker" | "listener", the intents that phase accepts)
_PHASES = {
    "share": ("speaker", ("share",)),
    "paraphrase": ("listener", ("paraphrase",)),
    "check": ("speaker", ("check",)),
    "next": ("speaker", ("continue", "pass_floor")),
    "done": (None, ()),
}


def start(spec: dict, ctx) -> dict:
    """The first partner holds the floor; nothing has been said yet."""
    rounds = int(ctx.options.get("rounds", spec.get("rounds", 1)))
    return {"speaker": ctx.first, "listener": ctx.second, "phase": "share", "rounds": rounds,
            "floors": 0, "chunks": 0, "clarifications": 0,
            "current": {"share": None, "paraphrase": None, "clarify": None}}


def _actor(st: dict) -> str | None:
    role = _PHASES[st["phase"]][0]
    return st[role] if role else None


def apply(st: dict, seat: str, intent: dict, ctx):
    """Apply one move of the speaker or the listener."""
    kind = intent["type"]
    if st["phase"] == "done":
        raise common.finished()
    role, accepted = _PHASES[st["phase"]]
    if kind not in accepted:
        raise common.wrong_step(f"now it is time to {' or '.join(accepted).replace('_', ' ')}")
    if seat != st[role]:
        raise common.not_your_turn(role)
    new = common.copied(st)
    shared = []
    if kind == "share":
        text = common.text_of(intent, ctx, label="message")
        new["current"] = {"share": text, "paraphrase": None, "clarify": None}
        new["phase"] = "paraphrase"
        shared = common.entry(seat, "shared", text)
    elif kind == "paraphrase":
        text = common.text_of(intent, ctx, label="paraphrase")
        new["current"]["paraphrase"] = text
        new["phase"] = "check"
        shared = common.entry(seat, "paraphrased", text)
    elif kind == "check":
        if intent["accurate"]:
            new["phase"] = "next"
        else:
            if st["clarifications"] >= MAX_CLARIFICATIONS:
                raise common.too_many("clarifications", f"This part has been clarified {MAX_CLARIFICATIONS} times; "
                                      "say that's it to go on, or take a time-out.")
            text = common.text_of(intent, ctx, label="clarification")
            new["current"]["clarify"] = text
            new["current"]["paraphrase"] = None
            new["clarifications"] += 1
            new["phase"] = "paraphrase"
            shared = common.entry(seat, "clarified", text)
    elif kind == "continue":
        if st["chunks"] + 1 >= MAX_CHUNKS:
            raise common.too_many("chunks", f"You have shared {MAX_CHUNKS} parts this time; "
                                  "pass the floor to your partner now.")
        new["chunks"] += 1
        new["clarifications"] = 0
        new["current"] = {"share": None, "paraphrase": None, "clarify": None}
        new["phase"] = "share"
    elif kind == "pass_floor":
        new["floors"] += 1
        new["chunks"] = 0
        new["clarifications"] = 0
        new["current"] = {"share": None, "paraphrase": None, "clarify": None}
        if new["floors"] >= 2 * new["rounds"]:
            new["phase"] = "done"
        else:
            new["speaker"], new["listener"] = new["listener"], new["speaker"]
            new["phase"] = "share"
    return new, shared


def _can(st: dict) -> list[str]:
    can = list(_PHASES[st["phase"]][1])
    if st["phase"] == "next" and st["chunks"] + 1 >= MAX_CHUNKS:
        can.remove("continue")
    return can


def view(st: dict, seat: str, ctx) -> dict:
    """Both partners (and a moderator) see the floor, the phase and what was said in this chunk."""
    actor = _actor(st)
    if seat == st["speaker"]:
        role = "speaker"
    elif seat == st["listener"]:
        role = "listener"
    else:
        role = "observer"
    return {
        "phase": st["phase"],
        "role": role,
        "speaker": st["speaker"],
        "listener": st["listener"],
        "waiting_for": [actor] if actor else [],
        "can": _can(st) if seat == actor else [],
        "floor": {"number": min(st["floors"] + 1, 2 * st["rounds"]), "of": 2 * st["rounds"]},
        "chunk": st["chunks"] + 1,
        "clarifications": st["clarifications"],
        "current": dict(st["current"]),
    }


def floor(st: dict) -> dict | None:
    """On a call: the Speaker holds the floor, except while the Listener says it back."""
    actor = _actor(st)
    if actor is None:
        return None
    return {"speakers": [actor], "cue": "say_back" if st["phase"] == "paraphrase" else "speak"}


def done(st: dict) -> bool:
    """The floor has gone round `rounds` times for each partner."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """The listener takes the floor from the start of a fresh chunk."""
    if st["phase"] == "done":
        return st
    new = common.copied(st)
    new["speaker"], new["listener"] = st["listener"], st["speaker"]
    new["phase"] = "share"
    new["clarifications"] = 0
    new["current"] = {"share": None, "paraphrase": None, "clarify": None}
    return new


def erase_seat(st: dict, seat: str) -> dict:
    """Blank this seat's words in the chunk on the table: the speaker's share and clarification, or the
    listener's paraphrase. The floor, the phase and the other's words stay."""
    mine = {st["speaker"]: ("share", "clarify"), st["listener"]: ("paraphrase",)}.get(seat, ())
    if not any(st["current"].get(slot) is not None for slot in mine):
        return st
    new = common.copied(st)
    for slot in mine:
        new["current"][slot] = None
    return new


deadline = common.no_deadline
pause = common.unchanged
resume = common.unchanged
tick = common.no_tick
adjustable = common.never_adjustable
adjust_clock = common.no_adjust
check = common.no_check
