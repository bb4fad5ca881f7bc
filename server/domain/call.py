"""The call in the room: who is on it, who may signal whom, and who holds the floor.

A room's call is peer-to-peer between its seats (at most three: two partners
and a moderator); the server only relays their signalling and never sees
media. The state keeps the seats on the call (`state["call"]`, in seat
order; like presence, joining or leaving it never moves the room, see
staleness.py); the floor is worked out from the session on every view, so it
follows each step without being stored twice:

- a time-out, or the moderator's pause, quiets everyone until it ends
  (`why` "timeout" / "pause");
- otherwise the step's kind says who holds the floor (`steps.floor_at`):
  the others' microphones go quiet for them (`why` "turn");
- anywhere else (lobby, a step without a floor, the summary) anyone may
  speak (`why` "open").

The moderator guides: a turn never quiets them, a time-out does. A person
can always unmute deliberately; that is the client's to show, not a rule
here. Signalling is not stored: `check_signal` only says whether one seat
may send to another now.
"""

import copy

from . import rooms, steps
from .errors import DomainError

def on_call(state: dict) -> list[str]:
    """Return the seats on the call, in seat order."""
    held = state.get("call") or []
    return [seat for seat in rooms.SEATS if seat in held]


def allowed(state: dict) -> bool:
    """Tell whether this room has a call: partners apart, or a guided room (a therapist elsewhere)."""
    return state["mode"] == "remote" or state["moderated"]


def join(state: dict, seat: str, now: float) -> tuple[dict, dict | None]:
    """Put this seat on the call; joining twice changes nothing (no event)."""
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if not allowed(state):
        raise DomainError("no_call", "A call is for partners apart, or a session with a therapist.")
    if seat in on_call(state):
        return state, None
    new = copy.deepcopy(state)
    new["call"] = [s for s in rooms.SEATS if s in on_call(state) or s == seat]
    return new, {"type": "call_join", "seat": seat, "at": round(now, 3)}


def leave(state: dict, seat: str, now: float) -> tuple[dict, dict | None]:
    """Take this seat off the call; leaving when not on it changes nothing (no event)."""
    if seat not in on_call(state):
        return state, None
    return without(state, seat), {"type": "call_leave", "seat": seat, "at": round(now, 3)}


def without(state: dict, seat: str) -> dict:
    """Return the state with this seat off the call (the same state when it was not on it)."""
    if seat not in on_call(state):
        return state
    new = copy.deepcopy(state)
    new["call"] = [s for s in on_call(state) if s != seat]
    return new


def check_signal(state: dict, sender: str, to: str) -> None:
    """Refuse a signal unless both seats are held, on this room's call, and not the same seat."""
    if not state["seats"].get(sender):
        raise DomainError("not_joined", "You are not seated in this room.")
    present = on_call(state)
    if sender not in present:
        raise DomainError("not_in_call", "Join the call first.")
    if to == sender or to not in rooms.SEATS or not state["seats"].get(to) or to not in present:
        raise DomainError("peer_not_in_call", "That person is not on the call.")


def floor(state: dict) -> dict:
    """Return who may speak now: {"why", "speakers" (None: anyone), "cue"} (see the module docstring)."""
    sess = state.get("session")
    if sess and sess["phase"] == "running":
        if sess["timeout"]:
            why = "pause" if sess["timeout"]["by"] == rooms.MODERATOR else "timeout"
            return {"why": why, "speakers": [], "cue": None}
        held = steps.floor_at(sess) if sess["step"] is not None else None
        if held:
            return {"why": "turn", "speakers": list(held["speakers"]), "cue": held["cue"]}
    return {"why": "open", "speakers": None, "cue": None}


def may_speak(held: dict, seat: str) -> bool:
    """Tell whether the floor `held` (from `floor`) lets this seat speak."""
    if held["speakers"] is None:
        return True
    if seat == rooms.MODERATOR:
        return held["why"] == "turn"
    return seat in held["speakers"]


def view(state: dict, seat: str, view_out: dict) -> None:
    """Fill in the call part of one seat's view: whether there is a call, who is on it, the floor."""
    held = floor(state)
    view_out["call"] = {
        "allowed": allowed(state),
        "on_call": on_call(state),
        "floor": held,
        "may_speak": may_speak(held, seat),
    }
