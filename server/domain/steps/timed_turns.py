"""Timed turns: each partner speaks for a set time while the other listens.

The order is first, second, first, ... until each partner has had `turns`
turns. Each turn: ready (the speaker sends `start_turn`) -> speaking until the
server's deadline passes (`tick`) or the speaker sends `end_turn` -> the next
turn's ready, or done after the last one.

The server holds the deadline as an absolute time (ctx.now + seconds); clients
only display it. A time-out keeps the seconds left and clears the deadline;
resuming sets a fresh deadline from them. Nothing is typed, so nothing is shared.
"""

from . import common

KIND = "timed_turns"
# The plan options this kind reads (ctx.options), with their ranges; others are refused for it.
OPTIONS = {
    "seconds": {"type": "integer", "minimum": 30, "maximum": 1800},
    "turns": {"type": "integer", "minimum": 1, "maximum": 4},
}

INTENTS = {
    "start_turn": ({}, []),
    "end_turn": ({}, []),
}

# The keys of the step's state that say where it is: a change in any of them
# makes a move meant for the old place stale (a moderator's swap changes only the order).
PLACE = ("phase", "turn", "order")

# What each move (and the clock) means in the timeline, in the therapist's words.
WORDS = {
    "start_turn": "started speaking",
    "end_turn": "ended the turn",
    "deadline": "the clock ended the turn",
}

check = common.no_check
erase_seat = common.no_words  # nothing is typed

# phase -> the intents the speaker may send in it (the listener listens)
_PHASES = {
    "ready": ("start_turn",),
    "speaking": ("end_turn",),
    "done": (),
}
_DOING = {"ready": "start the turn", "speaking": "speak or listen"}


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
    common.guard(st, seat, kind, phases=_PHASES, doing=_DOING, actors=(speaker(st),), who="speaker")
    if kind == "start_turn":
        new = common.copied(st)
        new["phase"] = "speaking"
        common.run_clock(new, new["seconds"], ctx)
        return new, []
    return _end_turn(st), []


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
        "can": list(_PHASES[st["phase"]]) if acting and seat == talker else [],
        "turn": {"number": min(st["turn"] + 1, len(st["order"])), "of": len(st["order"])},
        "seconds": st["seconds"],
        "deadline": st["deadline"],
        "paused": paused,
        "remaining": st["paused_remaining"],
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

