"""Look back: the promises and intentions brought back from last time, looked at together.

The phones may offer, in the lobby, promises their owners chose to remember
(`offer_promises`, a session intent); the step starts with every promise
offered by then (`ctx.promises`), or with none. looking: either partner may
say how one went (`mark_promise`: kept, partly, not yet, let go; the last
mark counts); each says when they are ready to go on (`advance`); when both
have: done, and each promise, with its mark, goes into the summary.
An empty list is a step too: the phones say nothing was brought back and the
couple talk about last time's intentions from memory.
"""

from . import common
from ..errors import DomainError
from .common import PARTNERS

KIND = "look_back"
OPTIONS: dict = {}
MARKS = ("kept", "partly", "not_yet", "let_go")
MARK_WORDS = {"kept": "kept", "partly": "partly kept", "not_yet": "not yet", "let_go": "let go"}

INTENTS = {
    "mark_promise": ({"promise": {"type": "integer", "minimum": 1}, "mark": {"enum": list(MARKS)}},
                     ["promise", "mark"]),
    "advance": ({}, []),
}

# Both mark and go on at once: only the phase is the place.
PLACE = ("phase",)

WORDS = {"mark_promise": "said how a promise went", "advance": "was ready to go on"}

check = common.no_check
deadline = common.no_deadline
pause = common.unchanged
resume = common.unchanged
tick = common.no_tick
adjustable = common.never_adjustable
adjust_clock = common.no_adjust


def start(spec: dict, ctx) -> dict:
    """The promises the phones offered (none by default), numbered from 1, none marked yet."""
    promises = [{"n": n, "by": p["by"], "text": p["text"], "made_on": p.get("made_on"), "mark": None}
                for n, p in enumerate(getattr(ctx, "promises", ()) or (), start=1)]
    return {"phase": "looking", "promises": promises, "advance": {seat: False for seat in PARTNERS}}


def apply(st: dict, seat: str, intent: dict, ctx):
    """Mark how a promise went, or say you are ready to go on (both: done, the promises go to the summary)."""
    kind = intent["type"]
    if st["phase"] == "done":
        raise common.finished()
    if seat not in PARTNERS:
        raise common.not_your_turn("partners")
    new = common.copied(st)
    if kind == "mark_promise":
        found = [p for p in new["promises"] if p["n"] == intent.get("promise")]
        if not found or isinstance(intent.get("promise"), bool):
            raise DomainError("bad_value", "That promise is not in the list.", field="promise")
        if intent.get("mark") not in MARKS:
            raise DomainError("bad_value", "Say kept, partly, not yet or let go.", field="mark")
        found[0]["mark"] = intent["mark"]
        return new, []
    if st["advance"][seat]:
        raise common.wrong_step("you are ready; waiting for your partner")
    new["advance"][seat] = True
    shared = []
    if all(new["advance"].values()):
        new["phase"] = "done"
        for p in new["promises"]:
            how = MARK_WORDS.get(p["mark"], "talked about")
            shared += common.entry(p["by"], "looked back at", f"{p['text']} — {how}")
    return new, shared


def view(st: dict, seat: str, ctx) -> dict:
    """Both partners (and a moderator) see every promise brought back, who brought it and how it went."""
    looking = st["phase"] == "looking" and seat in PARTNERS
    can = (["mark_promise"] if looking and st["promises"] else []) + (
        ["advance"] if looking and not st["advance"][seat] else [])
    return {
        "phase": st["phase"],
        "role": "partner" if seat in PARTNERS else "observer",
        "waiting_for": [s for s in PARTNERS if not st["advance"][s]] if st["phase"] == "looking" else [],
        "can": can,
        "promises": [dict(p) for p in st["promises"]],
        "advance": dict(st["advance"]),
    }


def done(st: dict) -> bool:
    """Both partners were ready to go on."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """Both do the same here: no roles to swap."""
    return st


def erase_seat(st: dict, seat: str) -> dict:
    """The promises this seat brought back leave the list; the other's stay."""
    if not any(p["by"] == seat for p in st["promises"]):
        return st
    new = common.copied(st)
    new["promises"] = [p for p in new["promises"] if p["by"] != seat]
    return new
