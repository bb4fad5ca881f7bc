"""Timed together: both partners share a quiet, timed moment in the same room (a mutual gaze, mirroring).

ready: each partner says they are ready (`together_ready`); when both are, the
  server starts the clock (deadline = now + seconds).
running: the server ends the moment when the deadline passes (`tick`).
With `lead` (mirroring), the partners take turns leading while the other
mirrors: ready -> running -> the next leader's ready, until each has led
`turns` times; without it there is one shared moment.

The way out: either partner may stop at any moment, before or during the
clock (`together_stop`); the step is then over and nothing is asked about it.
It needs one room: in a remote session the step starts in `apart`, says so,
and both go on (`together_skip`) without doing it. Nothing is typed, so
nothing is shared.
"""

from . import common
from .common import PARTNERS

KIND = "timed_together"
MIN_SECONDS, MAX_SECONDS = 30, 600
OPTIONS = {"together_seconds": {"type": "integer", "minimum": MIN_SECONDS, "maximum": MAX_SECONDS}}

INTENTS = {
    "together_ready": ({}, []),
    "together_stop": ({}, []),
    "together_skip": ({}, []),
}

# Both say ready at once, so readiness is not part of the place; a new round or leader is.
PLACE = ("phase", "turn", "order")

WORDS = {
    "together_ready": "was ready",
    "together_stop": "stopped the moment",
    "together_skip": "went on (not in one room)",
    "deadline": "the moment ended",
}

check = common.no_check
erase_seat = common.no_words  # nothing is typed

_PHASES = {
    "apart": ("together_skip",),
    "ready": ("together_ready", "together_stop"),
    "running": ("together_stop",),
    "done": (),
}
_DOING = {"apart": "go on", "ready": "get ready", "running": "stay with the moment, or stop it"}


def start(spec: dict, ctx) -> dict:
    """Nobody is ready yet (remote: the step only says it needs one room); the plan may set the seconds."""
    seconds = int(ctx.options.get("together_seconds", spec["seconds"]))
    seconds = min(max(seconds, MIN_SECONDS), MAX_SECONDS)
    lead = bool(spec.get("lead", False))
    turns = int(spec.get("turns", 1)) if lead else 1
    return {
        "phase": "apart" if ctx.mode == "remote" else "ready",
        "lead": lead,
        "order": [ctx.first, ctx.second] * turns if lead else [None],
        "turn": 0,
        "seconds": seconds,
        "ready": {seat: False for seat in PARTNERS},
        "deadline": None,
        "paused_remaining": None,
        "stopped_by": None,
    }


def leader(st: dict) -> str | None:
    """The seat leading the current round (mirroring), or None for one shared moment."""
    return st["order"][min(st["turn"], len(st["order"]) - 1)]


def _next_round(st: dict) -> dict:
    new = common.copied(st)
    new["turn"] += 1
    new["phase"] = "done" if new["turn"] >= len(new["order"]) else "ready"
    new["ready"] = {seat: False for seat in PARTNERS}
    common.clear_clock(new)
    return new


def _can(st: dict, seat: str) -> list[str]:
    if seat not in PARTNERS:
        return []
    phase = st["phase"]
    if phase in ("apart", "ready"):
        first = _PHASES[phase][0]
        return ([first] if not st["ready"][seat] else []) + list(_PHASES[phase][1:])
    return list(_PHASES[phase])


def _waiting(st: dict) -> list[str]:
    if st["phase"] in ("apart", "ready"):
        return [seat for seat in PARTNERS if not st["ready"][seat]]
    return []


def apply(st: dict, seat: str, intent: dict, ctx):
    """Say you are ready (both: the clock starts), stop the moment (it is over), or go on when apart."""
    kind = intent["type"]
    common.guard(st, seat, kind, phases=_PHASES, doing=_DOING, actors=PARTNERS, who="partners")
    new = common.copied(st)
    if kind == "together_stop":
        new["phase"] = "done"
        new["stopped_by"] = seat
        common.clear_clock(new)
        return new, []
    if st["ready"][seat]:
        raise common.wrong_step("you are ready; waiting for your partner")
    new["ready"][seat] = True
    if all(new["ready"].values()):
        if kind == "together_skip":
            new["phase"] = "done"
        else:
            new["phase"] = "running"
            common.run_clock(new, st["seconds"], ctx)
    return new, []


def view(st: dict, seat: str, ctx) -> dict:
    """Both see whether the other is ready, who leads (mirroring), and when the moment ends."""
    lead = leader(st)
    if seat not in PARTNERS:
        role = "observer"
    elif lead is None:
        role = "partner"
    else:
        role = "leader" if seat == lead else "mirror"
    return {
        "phase": st["phase"],
        "role": role,
        "waiting_for": _waiting(st),
        "can": _can(st, seat),
        "lead": st["lead"],
        "leader": lead,
        "same_room": st["phase"] != "apart",
        "ready": dict(st["ready"]),
        "turn": {"number": min(st["turn"] + 1, len(st["order"])), "of": len(st["order"])},
        "seconds": st["seconds"],
        "deadline": st["deadline"],
        "paused": st["paused_remaining"] is not None,
        "remaining": st["paused_remaining"],
        "stopped_by": st["stopped_by"],
    }


def done(st: dict) -> bool:
    """Every round ran out, or a partner stopped, or the couple went on from apart."""
    return st["phase"] == "done"


# The moment's clock: it runs while the moment does; when it runs out, the next round (or the end).
deadline, tick, pause, resume, adjustable, adjust_clock = common.clock("running", _next_round)


def swap_roles(st: dict, ctx) -> dict:
    """Mirroring: the other partner leads from this round on (both say ready again); otherwise no roles."""
    if not st["lead"] or st["phase"] == "done":
        return st
    new = common.copied(st)
    new["order"] = st["order"][:st["turn"]] + [common.other(s) for s in st["order"][st["turn"]:]]
    new["phase"] = "ready"
    new["ready"] = {seat: False for seat in PARTNERS}
    common.clear_clock(new)
    return new

