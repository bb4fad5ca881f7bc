"""The one helper that pushes room state to the seats, each its own view."""

from flask import current_app

from .. import services
from ..domain import intents, moderation, rooms
from ..extensions import socketio


def room_channel(code: str) -> str:
    """Return the Socket.IO room every connection of a room is in."""
    return code


def seat_channel(code: str, seat: str) -> str:
    """Return the Socket.IO room of one seat's connections."""
    return f"{code}:{seat}"


def view(state: dict, seat: str) -> dict:
    """Return one seat's view of `state`, with the library at hand; the moderator's also has the notes.

    The notes are read after `state` was, so a view never holds fewer notes
    than one of an older version (clients rely on that to order views).
    """
    out = intents.view_for(state, seat, services.context(current_app.extensions["attune.library"]))
    if seat == rooms.MODERATOR:
        moderation.show_notes(out, current_app.extensions["attune.store"].notes(state["code"]))
    return out


def push_state(state: dict, seats: list[str] | None = None) -> None:
    """Send every occupied seat (or only `seats`) its own view of `state`; clients drop views older than they hold.

    A seat whose current connection is in this process is sent its view here
    only; any other goes over the message queue (managers.ReleasingMixin.holds),
    unless no other process is there to hold it (nobody_else): then it is not built at all.
    """
    manager = socketio.server.manager
    alone = manager.nobody_else()
    for seat in rooms.occupied(state) if seats is None else seats:
        channel = seat_channel(state["code"], seat)
        here = manager.holds(channel, state["seats"][seat].get("conn"))
        if not here and alone:
            continue  # no process holds that connection: its phone is away, or its process died
        socketio.server.emit("view", view(state, seat), to=channel, namespace="/", ignore_queue=here)
