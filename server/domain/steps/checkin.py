"""Emotion check-in: each partner privately names what they feel, then both are revealed together.

checking_in: each partner sends `checkin` (feelings with an intensity 1-5, an
  optional note) and may replace it as often as they like until the reveal.
  When both have checked in, both check-ins are revealed at the same moment.
  A check-in naming a hard feeling at high intensity (feelings.yaml's
  `distress`) is *held*: before anything is revealed its partner, and only
  that partner, is offered a pause, a cool-down or stopping (the view's
  `care_offer`), and it counts only once they `carry_on` (or replace it with
  one that is not held). Until then the other partner sees them as still
  thinking; a guided room's moderator sees a `distress` flag, never the words.
revealed: each partner sends `advance` when ready to go on; when both have: done.

Before the reveal a partner's check-in exists only in their own view: the
other partner's and the moderator's views show "thinking" or "checked_in".
No clock, no roles to swap.
"""

from . import common
from ..errors import DomainError
from .common import PARTNERS, TEXT

KIND = "checkin"
MIN_INTENSITY, MAX_INTENSITY = 1, 5
MAX_FEELINGS = 5  # the most words a check-in may ever hold (a plan's max_feelings, a check-in's feelings)

# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {"max_feelings": {"type": "integer", "minimum": 1, "maximum": MAX_FEELINGS}}

FEELING = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "intensity"],
    "properties": {
        "id": {"type": "string", "maxLength": 64},
        "intensity": {"type": "integer", "minimum": MIN_INTENSITY, "maximum": MAX_INTENSITY},
    },
}

INTENTS = {
    "checkin": ({"feelings": {"type": "array", "minItems": 1, "maxItems": MAX_FEELINGS, "items": FEELING},
                 "note": TEXT}, ["feelings"]),
    "advance": ({}, []),
    "carry_on": ({}, []),
}

# The keys of the step's state that say where it is: both partners act at once, so only the phase.
PLACE = ("phase",)

# What each move means in the timeline, in the therapist's words.
WORDS = {
    "checkin": "checked in",
    "advance": "was ready to go on",
    "carry_on": "chose to go on with their check-in",
}

# phase -> the intents that phase accepts
_PHASES = {
    "checking_in": ("checkin", "carry_on"),
    "revealed": ("advance",),
    "done": (),
}
_DOING = {"checking_in": "check in", "revealed": "go on"}


def start(spec: dict, ctx) -> dict:
    """Nobody has checked in yet; the plan's options may lower or raise the number of words (1 to 5)."""
    limit = int(ctx.options.get("max_feelings", spec.get("max_feelings", 3)))
    return {
        "phase": "checking_in",
        "max_feelings": min(max(limit, 1), MAX_FEELINGS),
        "entries": {seat: None for seat in PARTNERS},
        "advance": {seat: False for seat in PARTNERS},
    }


def _bad(message: str, **details) -> DomainError:
    return DomainError("bad_value", message, **details)


def _intensity(value) -> int:
    # JSON has one number type: 3.0 is a fine 3, True is not a number here.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise _bad("Intensity is a whole number from 1 to 5.", field="intensity")
    value = int(value)
    if not MIN_INTENSITY <= value <= MAX_INTENSITY:
        raise _bad("Intensity is a whole number from 1 to 5.", field="intensity")
    return value


def _feelings(raw, limit: int, known: dict) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise _bad("Pick at least one feeling.", field="feelings")
    if len(raw) > limit:
        raise _bad(f"Pick at most {limit} feeling{'s' * (limit != 1)}.", field="feelings")
    picked, seen = [], set()
    for item in raw:
        if not isinstance(item, dict):
            raise _bad("Each feeling needs an id and an intensity.", field="feelings")
        fid = item.get("id")
        if not isinstance(fid, str) or fid not in known:
            raise _bad("That feeling is not in the list.", field="feelings")
        if fid in seen:
            raise _bad("Each feeling can be picked once.", field="feelings")
        seen.add(fid)
        # Word and family are kept as they were at check-in, so a reworded list never changes what was said.
        word = known[fid]
        picked.append({"id": fid, "word": word["word"], "family": word["family"],
                       "intensity": _intensity(item.get("intensity"))})
    return picked


def _note(raw) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > common.MAX_TEXT:
        raise _bad(f"A note is text of at most {common.MAX_TEXT} characters.", field="note")
    return raw.strip() or None


def distressed(feelings: list[dict], known: dict) -> bool:
    """Tell whether a check-in names a hard feeling at or above its high intensity (feelings.yaml `distress`)."""
    return any(known.get(f["id"], {}).get("high") is not None and f["intensity"] >= known[f["id"]]["high"]
               for f in feelings)


def _final(entry: dict | None) -> bool:
    """A check-in that counts: given, and not held for its partner's choice."""
    return entry is not None and not entry.get("held")


def felt_text(entry: dict) -> str:
    """Return one check-in as a line for the summary: "calm 3/5, hopeful 4/5 — note"."""
    words = ", ".join(f"{f['word']} {f['intensity']}/{MAX_INTENSITY}" for f in entry["feelings"])
    return f"{words} — {entry['note']}" if entry["note"] else words


def _actors(st: dict) -> list[str]:
    """The seats that may send something now."""
    if st["phase"] == "checking_in":
        # Both may still move: the one who has checked in may change their words until the reveal.
        return list(PARTNERS)
    if st["phase"] == "revealed":
        return [seat for seat in PARTNERS if not st["advance"][seat]]
    return []


def _waiting(st: dict) -> list[str]:
    """The seats the step waits on: a partner who has checked in is not, though they may still change it."""
    if st["phase"] == "checking_in":
        return [seat for seat in PARTNERS if not _final(st["entries"][seat])]
    return _actors(st)


def apply(st: dict, seat: str, intent: dict, ctx):
    """Record or replace a partner's check-in (revealing both once both are in), or a partner's wish to go on."""
    kind = intent["type"]
    common.guard(st, seat, kind, phases=_PHASES, doing=_DOING, actors=_actors(st),
                 who="partner" if seat in PARTNERS else "partners")
    if kind == "carry_on" and not (st["entries"][seat] or {}).get("held"):
        raise common.wrong_step("your check-in is not waiting for you")
    new = common.copied(st)
    shared = []
    if kind == "checkin":
        feelings = _feelings(intent.get("feelings"), st["max_feelings"], ctx.feelings)
        hard = distressed(feelings, ctx.feelings)
        new["entries"][seat] = {"feelings": feelings, "note": _note(intent.get("note")),
                                "distressed": hard, "held": hard}
    elif kind == "carry_on":
        new["entries"][seat]["held"] = False
    if kind in ("checkin", "carry_on"):
        if all(_final(new["entries"][s]) for s in PARTNERS):
            new["phase"] = "revealed"
            for s in PARTNERS:
                shared += common.entry(s, "felt", felt_text(new["entries"][s]))
    elif kind == "advance":
        new["advance"][seat] = True
        if all(new["advance"].values()):
            new["phase"] = "done"
    return new, shared


def _visible(st: dict, owner: str, seat: str) -> bool:
    return seat == owner or st["phase"] != "checking_in"


def _status(entry: dict | None, owner: str, seat: str) -> str:
    if entry is None:
        return "thinking"
    # A held check-in is the owner's alone: to the other partner they are still thinking.
    return "checked_in" if _final(entry) or seat in (owner, common.MODERATOR) else "thinking"


def view(st: dict, seat: str, ctx) -> dict:
    """Everyone sees who has checked in; the words and notes only their owner, until the reveal shows both.

    A held check-in's owner gets `care_offer` (and `carry_on` in `can`); the moderator gets `distress`
    on that partner's entry; the other partner gets nothing of either.
    """
    actors = _actors(st)
    entries = {}
    for owner in PARTNERS:
        entry = st["entries"][owner]
        shown = {"status": _status(entry, owner, seat)}
        if entry is not None and _visible(st, owner, seat):
            shown["feelings"] = [dict(f) for f in entry["feelings"]]
            shown["note"] = entry["note"]
        if seat == owner and entry is not None and entry.get("held"):
            shown["held"] = True
        if seat == common.MODERATOR and entry is not None and entry.get("distressed"):
            shown["distress"] = True
        entries[owner] = shown
    mine = st["entries"].get(seat) or {}
    can = list(_PHASES[st["phase"]]) if seat in actors else []
    if "carry_on" in can and not mine.get("held"):
        can.remove("carry_on")
    out = {
        "phase": st["phase"],
        "role": "partner" if seat in PARTNERS else "observer",
        "waiting_for": _waiting(st),
        "can": can,
        "max_feelings": st["max_feelings"],
        "entries": entries,
        "advance": dict(st["advance"]),
    }
    if seat in PARTNERS:
        out["care_offer"] = bool(mine.get("held")) and st["phase"] == "checking_in"
    return out


def done(st: dict) -> bool:
    """Both check-ins were revealed and both partners asked to go on."""
    return st["phase"] == "done"


def swap_roles(st: dict, ctx) -> dict:
    """Both partners do the same thing here: there are no roles to swap."""
    return st


def erase_seat(st: dict, seat: str) -> dict:
    """Drop this seat's check-in note. Before the reveal the whole check-in goes (it was private; they
    check in again); after it, the feelings picked from the list stay on the table and the note goes."""
    entry = st["entries"].get(seat)
    if entry is None or (st["phase"] != "checking_in" and entry["note"] is None):
        return st
    new = common.copied(st)
    if st["phase"] == "checking_in":
        new["entries"][seat] = None
    else:
        new["entries"][seat]["note"] = None
    return new


check = common.no_check
deadline, tick, pause, resume, adjustable, adjust_clock = common.NO_CLOCK
