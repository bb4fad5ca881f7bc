"""The one entry point for seated intents, its dispatch table, and the per-seat view the clients render.

`TABLE` maps every intent type to a `Row`: its handler, who may send it, its
fields, and who sees its effect. It is built here, explicitly, from the
rooms' own intent (set_mode), the session's (`session.declared`), how a
couple apart talks (`voice.declared`), the ways
to stop an exercise (`safety.declared`), the
moderator's controls (`moderation.CONTROLS`) and each step kind's `INTENTS`;
nothing registers itself by being imported.

`apply_intent(state, seat, intent, ctx)` is the domain's `(state, seat,
intent) -> new state` function: it checks the seat's right to act and the
version (see staleness.py), dispatches on `intent["type"]`, remembers the
intent id, and returns the new state with a log event (or raises a
DomainError with a stable code).
"""

import contextlib
from dataclasses import dataclass
from typing import Callable

from . import call, moderation, rooms, safety, session, staleness, steps, voice
from .errors import DomainError

@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, so validation caches one validator per row
class Row:
    """One intent type: how it is applied, who may send it, what it carries and who sees its effect."""

    type: str
    handler: Callable                  # (state, seat, intent, ctx) -> (state, event)
    who: str                           # rooms.ANY | rooms.PARTNERS_ONLY | rooms.MODERATOR_ONLY
    fields: dict                       # JSON Schema fragments; the transport checks envelope + fields
    required: tuple[str, ...]
    audience: tuple[str, ...] | None = None   # the seats whose view it can change; None: every occupied seat
    moves: str = staleness.BY_PLACE    # staleness.BY_PLACE | staleness.NEVER
    kinds: tuple[str, ...] = ()        # the step kinds declaring it (step intents only)


def build_table(kinds: dict) -> dict[str, Row]:
    """Return the table for these step kinds ({KIND: module}); ValueError on a type declared twice,
    or on a row hidden from a partner that could still move the room (a partner would see it as staleness)."""
    table: dict[str, Row] = {}

    def add(row: Row) -> None:
        add_row(table, row)

    add(Row("set_mode", rooms.set_mode, rooms.ANY, {"mode": {"type": "string", "enum": list(rooms.MODES)}},
            ("mode",)))
    for name, (handler, who, fields, required) in {**session.declared(kinds), **voice.declared(), **safety.declared(),
                                                   **moderation.declared()}.items():
        add(Row(name, handler, who, fields, tuple(required),
                moves=staleness.NEVER if name in session.NEVER_MOVES else staleness.BY_PLACE))
    for name, (handler, fields, required) in moderation.CONTROLS.items():
        private = name in moderation.PRIVATE_CONTROLS
        add(Row(name, handler, rooms.MODERATOR_ONLY, fields, tuple(required),
                audience=(rooms.MODERATOR,) if private else None,
                moves=staleness.NEVER if private else staleness.BY_PLACE))
    step_rows: dict[str, Row] = {}
    for module in kinds.values():
        for name, (fields, required) in module.INTENTS.items():
            held = step_rows.get(name)
            # steps.collect made sure a shared type is declared the same way by every kind.
            step_rows[name] = Row(name, session.step_intent, rooms.PARTNERS_ONLY, fields, tuple(required),
                                  kinds=(held.kinds if held else ()) + (module.KIND,))
    for row in step_rows.values():
        add(row)
    return table


def add_row(table: dict[str, Row], row: Row) -> None:
    """Add one row to a table being built, refusing a repeated type or a hidden row that moves the room."""
    if row.type in table:
        raise ValueError(f"intent {row.type!r} is declared twice")
    if row.audience is not None and row.moves != staleness.NEVER and not set(rooms.PARTNERS) <= set(row.audience):
        # The partner left out would see its effect anyway, as their own next move turning stale.
        raise ValueError(f"intent {row.type!r} is hidden from a partner but may move the room")
    table[row.type] = row


TABLE: dict[str, Row] = build_table(steps.KINDS)


@contextlib.contextmanager
def added_kinds(*modules):
    """Tests only: inside the block, steps.KINDS and TABLE hold these kind modules too (checked
    by steps.collect); both are restored in place afterwards. Not thread-safe."""
    kinds_before, table_before = dict(steps.KINDS), dict(TABLE)
    kinds = steps.collect(list(steps.KINDS.values()) + list(modules))
    table = build_table(kinds)
    try:
        steps.KINDS.clear()
        steps.KINDS.update(kinds)
        TABLE.clear()
        TABLE.update(table)
        yield
    finally:
        steps.KINDS.clear()
        steps.KINDS.update(kinds_before)
        TABLE.clear()
        TABLE.update(table_before)


def _allowed(seat: str, who: str) -> bool:
    if who == rooms.ANY:
        return True
    if who == rooms.MODERATOR_ONLY:
        return seat == rooms.MODERATOR
    return seat in rooms.PARTNERS


def audience(state: dict, kind: str) -> list[str]:
    """Return the occupied seats whose view an applied intent of `kind` may have changed."""
    row = TABLE.get(kind)
    seen_by = row.audience if row else None
    return [seat for seat in rooms.occupied(state) if seen_by is None or seat in seen_by]


def apply_intent(state: dict, seat: str, intent: dict, ctx) -> tuple[dict, dict | None]:
    """Apply one seated intent; a retried intent id returns the state unchanged and no event."""
    if not state["seats"].get(seat):
        raise DomainError("not_joined", "You are not seated in this room.")
    if rooms.is_duplicate(state, seat, intent["id"]):
        return state, None
    row = TABLE.get(intent["type"])
    if row is None:
        raise DomainError("unknown_intent", "There is no intent of that type.")
    if not _allowed(seat, row.who):
        raise DomainError("forbidden", "Your seat may not do that.")
    staleness.check(state, intent)
    new, event = row.handler(state, seat, intent, ctx)
    if new is state:  # a handler that changed nothing still must not let us touch its input
        new = dict(state)  # remember and settle set top-level keys only
    rooms.remember(new, seat, intent["id"])
    staleness.settle(state, new, row.moves)
    return new, event


def view_for(state: dict, seat: str, ctx=None) -> dict:
    """Return what one seat may see of the room: never tokens, secrets or unrevealed answers."""
    held = state["seats"].get(seat) or {}
    view = {
        "code": state["code"],
        "version": state["version"],
        "you": {"seat": seat, "name": held.get("name"),
                "role": rooms.role_of(seat),
                # end_room is this seat's to send (a guided room's is its moderator's alone).
                "may_end": rooms.may_erase(state, seat)},
        "seats": rooms.seat_summary(state),
        "moderated": state["moderated"],
        "mode": state["mode"],
        "full": rooms.free_partner_seat(state) is None,
    }
    if ctx is not None:
        # Lets phones correct their clock when they count down to a deadline.
        view["server_time"] = round(ctx.now, 3)
    session.view(state, seat, view, ctx)
    safety.view(state, seat, view)
    moderation.view(state, seat, view, ctx)
    call.view(state, seat, view)
    return view
