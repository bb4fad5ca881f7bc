"""When an intent comes too late: the whole staleness rule, in one place.

Every write raises the room's version by exactly one (the store writes
version + 1). `place_version` is the first version at the room's current
*place*. An intent naming version v is stale iff v < place_version or
v > version: it was made against a view from before the room moved to where
it is now (or against a view that never existed). An intent without a
version is never stale.

A write moves the room (sets place_version to the version it writes) when:
  - a seat is claimed (who is in the room is part of every lobby decision);
  - a clock tick acted (a tap meant for the turn that just ended is stale);
  - an applied intent whose table row moves BY_PLACE changed `place_of`, or
    the room is in the lobby (`place_of` is None: every change matters there,
    nobody agrees to a plan they have not seen).
A write never moves the room when it is presence (attach, detach, leave), an
intent whose row moves NEVER (a change only some seats can see: the others
were not even sent it; or, like presence, word of what a partner is doing
that nobody decides on: `choosing`), or a move that leaves `place_of` as it was (a
partner's answer while both act at once, so the other's tap never bounces).

`place_of` is the session's phase, exercise and step, whether a time-out is
on, and the values of the current kind's `PLACE` keys of its step state.
"""

from . import steps
from .errors import DomainError

BY_PLACE = "by_place"
NEVER = "never"


def place_of(state: dict) -> tuple | None:
    """Return where the room is; None in the lobby (there every change is a new place)."""
    sess = state.get("session")
    if not sess or sess["phase"] == "lobby":
        return None
    if sess["phase"] == "summary":
        return ("summary",)
    st = sess["step"] or {}
    return ("running", sess["index"], sess["step_index"], bool(sess["timeout"]),
            tuple(st.get(key) for key in steps.kind_at(sess).PLACE))


def check(state: dict, intent: dict) -> None:
    """Refuse an intent made against a view from before the room moved to where it is now."""
    if "version" not in intent:
        return
    if intent["version"] < state.get("place_version", 0) or intent["version"] > state["version"]:
        raise DomainError("stale", "Something changed just before that; here is the latest.",
                          version=state["version"])


def moved(state: dict) -> None:
    """Record, on a state copy the caller owns, that the write of it moves the room to a new place."""
    state["place_version"] = state["version"] + 1


def settle(before: dict, after: dict, moves: str) -> None:
    """After an applied intent: mark `after` moved if its row moves BY_PLACE and the place changed (or is the lobby)."""
    if moves == NEVER:
        return
    where = place_of(after)
    if where is None or where != place_of(before):
        moved(after)
