"""The one entry point for seated intents, and the per-seat view the clients render.

`apply_intent(state, seat, intent, ctx)` is the domain's `(state, seat, intent)
-> new state` function: it checks the version and the seat's right to act,
dispatches on `intent["type"]`, remembers the intent id, and returns the new
state with a log event (or raises a DomainError with a stable code).
"""

import copy

from . import rooms
from .errors import DomainError

PARTNERS_ONLY = "partners"
MODERATOR_ONLY = "moderator"
ANY_SEAT = "any"

# Field schemas (JSON Schema fragments, plain data) for each intent type. The
# transport validates the envelope and these fields before calling the domain.
FIELDS: dict[str, dict] = {
    "set_mode": {"mode": {"type": "string", "enum": list(rooms.MODES)}},
}
REQUIRED: dict[str, list[str]] = {
    "set_mode": ["mode"],
}

_HANDLERS = {
    "set_mode": (rooms.set_mode, ANY_SEAT),
}

# Intent types whose change only some seats can see: the others are not sent
# a new view for them (a partner's phone must not learn when a note is written).
_SEEN_BY: dict[str, tuple[str, ...]] = {}


def register(kind: str, handler, who: str, fields: dict, required: list[str],
             seen_by: tuple[str, ...] | None = None) -> None:
    """Add an intent type: its handler `(state, seat, intent, ctx) -> (state, event)`, who may send it, its fields.

    `seen_by` names the only seats whose view the intent can change (None: every seat).
    """
    _HANDLERS[kind] = (handler, who)
    FIELDS[kind] = fields
    REQUIRED[kind] = required
    if seen_by is not None:
        _SEEN_BY[kind] = tuple(seen_by)


def audience(state: dict, kind: str) -> list[str]:
    """Return the occupied seats whose view an applied intent of `kind` may have changed."""
    seen_by = _SEEN_BY.get(kind)
    return [seat for seat in rooms.occupied(state) if seen_by is None or seat in seen_by]


def _allowed(seat: str, who: str) -> bool:
    if who == ANY_SEAT:
        return True
    if who == MODERATOR_ONLY:
        return seat == rooms.MODERATOR
    return seat in rooms.PARTNERS


def apply_intent(state: dict, seat: str, intent: dict, ctx) -> tuple[dict, dict | None]:
    """Apply one seated intent; a retried intent id returns the state unchanged and no event."""
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if rooms.is_duplicate(state, seat, intent["id"]):
        return state, None
    kind = intent["type"]
    if kind not in _HANDLERS:
        raise DomainError("unknown_intent", "There is no intent of that type.")
    handler, who = _HANDLERS[kind]
    if not _allowed(seat, who):
        raise DomainError("forbidden", "Your seat may not do that.")
    rooms.check_version(state, intent)
    new, event = handler(state, seat, intent, ctx)
    if new is state:  # a handler that changed nothing still must not let us touch its input
        new = copy.deepcopy(state)
    rooms.remember(new, seat, intent["id"])
    # A change only some seats can see moves nobody: the others were not even sent it.
    if kind not in _SEEN_BY:
        where = _PLACE[0](new)
        if where is None or where != _PLACE[0](state):
            rooms.mark_moved(new)
    return new, event


# Where the room is, for staleness: set by the session (see session.place).
_PLACE = [lambda state: None]


def set_place(fn) -> None:
    """Install `fn(state) -> comparable`, which changes exactly when older views go stale (None: always)."""
    _PLACE[0] = fn


_VIEW_EXTENSIONS = []


def extend_view(fn) -> None:
    """Add a function `(state, seat, view, ctx) -> None` that fills in more of a seat's view."""
    _VIEW_EXTENSIONS.append(fn)


def view_for(state: dict, seat: str, ctx=None) -> dict:
    """Return what one seat may see of the room: never tokens, secrets or unrevealed answers."""
    held = state["seats"].get(seat) or {}
    view = {
        "code": state["code"],
        "version": state["version"],
        "you": {"seat": seat, "name": held.get("name"),
                "role": rooms.role_of(seat)},
        "seats": rooms.seat_summary(state),
        "moderated": state["moderated"],
        "mode": state["mode"],
        "full": rooms.free_partner_seat(state) is None,
    }
    if ctx is not None:
        # Lets phones correct their clock when they count down to a deadline.
        view["server_time"] = round(ctx.now, 3)
    for fn in _VIEW_EXTENSIONS:
        fn(state, seat, view, ctx)
    return view
