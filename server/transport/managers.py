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

    def nobody_else(self) -> bool:
        """Whether no other process can hold a connection (no queue, or nobody else on it)."""
        return False

    def settle(self, timeout: float = 1.0) -> bool:
        """Before serving (see QueueManager.settle); returns whether this process runs alone."""
        return self.nobody_else()

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


class IndexedRoomsMixin:
    """A client manager that knows each connection's rooms, so that a disconnect does not scan them all.

    python-socketio finds the rooms of a connection that goes by walking a
    copy of every room in the namespace: three per connection here (its own,
    its room's, its seat's), so at 10,000 sockets each disconnect walked
    25,000 rooms, about 2 ms, and a thousand phones going to sleep at once
    stalled the process for two seconds. Every room change goes through
    `basic_enter_room` and `basic_leave_room` (closing a room too), so an
    index kept there stays exact.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sid_rooms: dict[tuple[str, str], dict] = {}  # (namespace, sid) -> its rooms, in order joined

    def enter_room(self, sid, namespace, room, eio_sid=None):
        # A seat's claim joins its rooms before the write and the bind after it: the second is free.
        if room in self._sid_rooms.get((namespace, sid), ()):
            return
        super().enter_room(sid, namespace, room, eio_sid=eio_sid)

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self._sid_rooms.setdefault((namespace, sid), {})[room] = None

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        joined = self._sid_rooms.get((namespace, sid))
        if joined is not None:
            joined.pop(room, None)
            if not joined:
                del self._sid_rooms[(namespace, sid)]

    def basic_disconnect(self, sid, namespace, **kwargs):
        # What python-socketio's own does, with the rooms taken from the index.
        if namespace not in self.rooms:
            return
        for room in list(self._sid_rooms.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self._sid_rooms.pop((namespace, sid), None)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]

    def get_rooms(self, sid, namespace):
        return [room for room in self._sid_rooms.get((namespace, sid), ()) if room is not None]


class LocalManager(IndexedRoomsMixin, ReleasingMixin, socketio.Manager):
    """The single-process manager (no message queue), able to release a room."""

    def nobody_else(self) -> bool:
        return True
