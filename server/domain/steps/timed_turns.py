"""Timed turns: each partner speaks for a set time while the other listens.

The order is first, second, first, ... until each partner has had `turns`
turns. Each turn: ready (the speaker sends `start_turn`) -> speaking until the
server's deadline passes (`tick`) or the speaker sends `end_turn` -> the next
turn's ready, or done after the last one.

The server holds the deadline as an absolute time (ctx.now + seconds); clients
only display it. A time-out keeps the seconds left and clears the deadline;
resuming sets a fresh deadline from them.

The turns are spoken (`spoken`). A couple apart who chose to type (ctx.voice
"typing") gets a typed step: during their turn the speaker writes
(`write_turn`, a piece at a time) and the listener reads each piece as it
comes. Those words are the speaker's: shared for the summary like any typed
words, taken out by erase_seat. Otherwise nothing is typed, so nothing is shared.
"""

from . import common
from .common import TEXT
from ..errors import DomainError

KIND = "timed_turns"
# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {
    "seconds": {"type": "integer", "minimum": 30, "maximum": 1800},
    "turns": {"type": "integer", "minimum": 1, "maximum": 4},
}

INTENTS = {
    "start_turn": ({}, []),
    "end_turn": ({}, []),
    "write_turn": ({"text": TEXT}, ["text"]),
}
# Pieces one speaker may write in one typed turn (the room's shared cap holds too).
MAX_PIECES = 20

# The keys of the step's state that say where it is: a change in any of them
# makes a move meant for the old place stale (a moderator's swap changes only the order).
PLACE = ("phase", "turn", "order")

# What each move (and the clock) means in the timeline, in the therapist's words.
WORDS = {
    "start_turn": "started speaking",
    "end_turn": "ended the turn",
    "write_turn": "wrote in their turn",
    "deadline": "the clock ended the turn",
}

check = common.no_check

# phase -> the intents the speaker may send in it (the listener listens)
_PHASES = {
    "ready": ("start_turn",),
    "speaking": ("end_turn", "write_turn"),
    "done": (),
}
_DOING = {"ready": "start the turn", "speaking": "speak or listen"}


def spoken(spec: dict) -> bool:
    """A timed turn is spoken: the speaker talks, the listener listens."""
    return True


def _accepts(st: dict) -> tuple:
    """What the speaker may send now: writing only in a typed step."""
    return tuple(t for t in _PHASES[st["phase"]] if t != "write_turn" or st.get("typed"))


def start(spec: dict, ctx) -> dict:
    """The first partner's first turn is ready to start; the plan's options may change seconds and turns."""
    seconds = max(int(ctx.options.get("seconds", spec["seconds"])), 1)
    turns = max(int(ctx.options.get("turns", spec.get("turns", 1))), 1)
    return {
        "phase": "ready",
        "order": [ctx.first, ctx.second] * turns,
        "turn": 0,
        "seconds": seconds,
        "deadline": None,
        "paused_remaining": None,
        # A couple apart typing this step: the speaker writes during the turn.
        "typed": getattr(ctx, "voice", None) == "typing",
        "written": [],
    }


def speaker(st: dict) -> str:
    """Return the seat holding the current turn (the last turn's once done)."""
    return st["order"][min(st["turn"], len(st["order"]) - 1)]


def _end_turn(st: dict) -> dict:
    new = common.copied(st)
    new["turn"] += 1
    new["phase"] = "done" if new["turn"] >= len(new["order"]) else "ready"
    common.clear_clock(new)
    return new


def apply(st: dict, seat: str, intent: dict, ctx):
    """Start the speaker's turn (the clock starts now) or end it early."""
    kind = intent["type"]
    if kind == "write_turn" and not st.get("typed") and st["phase"] != "done":
        raise common.wrong_step("this step is spoken, not typed")
    common.guard(st, seat, kind, phases={**_PHASES, st["phase"]: _accepts(st)}, doing=_DOING,
                 actors=(speaker(st),), who="speaker")
    if kind == "write_turn":
        return _write(st, seat, intent)
    if kind == "start_turn":
        new = common.copied(st)
        new["phase"] = "speaking"
        common.run_clock(new, new["seconds"], ctx)
        return new, []
    return _end_turn(st), []


def _write(st: dict, seat: str, intent: dict):
    """Add one piece to the speaker's typed turn; the listener reads it at once."""
    text = (intent.get("text") or "").strip()
    if not text:
        raise DomainError("text_required", "Please write something; your turn goes on either way.")
    if len(text) > common.MAX_TEXT:
        raise DomainError("text_too_long", f"A piece is at most {common.MAX_TEXT} characters.", field="text")
    turn = st["turn"]
    if sum(1 for piece in st.get("written", ()) if piece["turn"] == turn) >= MAX_PIECES:
        raise common.too_many("pieces", f"A turn holds at most {MAX_PIECES} pieces; your time goes on.")
    new = common.copied(st)
    new.setdefault("written", []).append({"turn": turn, "seat": seat, "text": text})
    # Counted per speaker, as the phones count turns ("turn 1 of 2 each").
    mine, of = st["order"][:turn + 1].count(seat), st["order"].count(seat)
    return new, common.entry(seat, "wrote in their turn" if of == 1 else f"wrote in their turn {mine} of {of}", text)


def view(st: dict, seat: str, ctx) -> dict:
    """Both partners (and a moderator) see whose turn it is, which turn of how many, and when it ends."""
    talker = speaker(st)
    listener = common.other(talker)
    if seat == talker:
        role = "speaker"
    elif seat == listener:
        role = "listener"
    else:
        role = "observer"
    acting = st["phase"] != "done"
    paused = st["paused_remaining"] is not None
    return {
        "phase": st["phase"],
        "role": role,
        "speaker": talker,
        "listener": listener,
        "waiting_for": [talker] if acting else [],
        "can": list(_accepts(st)) if acting and seat == talker else [],
        "turn": {"number": min(st["turn"] + 1, len(st["order"])), "of": len(st["order"])},
        "seconds": st["seconds"],
        "deadline": st["deadline"],
        "paused": paused,
        "remaining": st["paused_remaining"],
        "typed": bool(st.get("typed")),
        # Nothing here is private: what a speaker typed is for the listener to read.
        "written": [{"turn": p["turn"] + 1, "seat": p["seat"], "text": p["text"]} for p in st.get("written", ())],
    }


def floor(st: dict) -> dict | None:
    """On a call: the partner whose turn it is speaks; the other listens."""
    if st["phase"] == "done":
        return None
    return {"speakers": [speaker(st)], "cue": "speak"}


def done(st: dict) -> bool:
    """Every turn has been spoken (or ended)."""
    return st["phase"] == "done"


# The turn's clock: it runs while the speaker speaks; when it runs out the turn ends.
deadline, tick, pause, resume, adjustable, adjust_clock = common.clock("speaking", _end_turn)


def swap_roles(st: dict, ctx) -> dict:
    """Give the current turn to the other partner, from "ready"; each partner keeps their number of turns.

    The turns still to come are dealt again, alternating from the new speaker.
    When the other partner has no turn left to trade, nothing changes.
    """
    if st["phase"] == "done":
        return st
    now_speaking = speaker(st)
    new_speaker = common.other(now_speaking)
    rest = st["order"][st["turn"]:]
    left = {now_speaking: rest.count(now_speaking), new_speaker: rest.count(new_speaker)}
    if not left[new_speaker]:
        return st
    dealt, seat = [], new_speaker
    while len(dealt) < len(rest):
        if not left[seat]:
            seat = common.other(seat)
        dealt.append(seat)
        left[seat] -= 1
        seat = common.other(seat)
    new = common.copied(st)
    new["order"] = st["order"][:st["turn"]] + dealt
    new["phase"] = "ready"
    common.clear_clock(new)
    return new


def erase_seat(st: dict, seat: str) -> dict:
    """Take out what this seat wrote in its typed turns; the turns and the clock stay."""
    if not any(piece["seat"] == seat for piece in st.get("written", ())):
        return st
    new = common.copied(st)
    new["written"] = [piece for piece in st["written"] if piece["seat"] != seat]
    return new
