"""What python-socketio's client managers lack: letting go of a room's connections in every process.

When a seat is claimed again or resumed on a new connection, every other
connection still in that seat's Socket.IO room must be let go, including ones
the room's state no longer remembers and ones held by another server process.
Room membership lives in each process's memory, so the request travels on the
message queue like python-socketio's own `close_room`, as a `close_room`
message with a `release` part: the stock listener dispatches only the methods
it knows, and this keeps one listener loop (theirs) rather than a copy of it.
"""

import socketio


class ReleasingMixin:
    """A client manager that can ask every process to let go of a room's other connections."""

    # Set by the transport: `fn(room, keep, version, data)`, run in every
    # process for the connections of `room` that process holds.
    on_release = None

    def release(self, room: str, *, keep: str, version: int, data: dict, namespace: str = "/") -> None:
        """Let go of every connection in `room` but `keep`, here and in every other process."""
        message = {"method": "close_room", "room": room, "namespace": namespace,
                   "release": {"keep": keep, "version": version, "data": data},
                   "host_id": getattr(self, "host_id", None)}
        self._release_here(message)
        publish = getattr(self, "_publish", None)
        if publish is not None:
            publish(message)

    def holds(self, room: str, sid: str | None, namespace: str = "/") -> bool:
        """Tell whether `sid` is a connection of this process in `room`.

        A seat has one current connection (the room's state names it): when
        this process holds it, the seat's view need not cross the message
        queue. Any other connection still in that seat's room is an older one
        being let go, or a newer one whose claim is being written, which is
        sent its own view once that claim is written (events._bind).
        """
        if sid is None:
            return False
        members = self.rooms.get(namespace, {}).get(room)
        return members is not None and sid in members

    def _release_here(self, message: dict) -> None:
        part = message["release"]
        if self.on_release is not None:
            self.on_release(message["room"], part["keep"], part["version"], part["data"])

    def _handle_close_room(self, message):
        if "release" in message:
            self._release_here(message)
        else:
            super()._handle_close_room(message)


class LocalManager(ReleasingMixin, socketio.Manager):
    """The single-process manager (no message queue), able to release a room."""
