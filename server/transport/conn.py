"""The seat a live connection of this process holds, kept in the connection's own Socket.IO environ.

python-socketio keeps one WSGI environ per connection (the handshake
request's; Flask-SocketIO's `request.environ` in a handler is that same
dict) from the connect until the connection closes, and hands it out for
any connection of this process by its sid (`get_environ`). So what a
connection holds lives and dies with it: nothing to clean up in a
module-level table, and it is reachable for other connections of the
process too, which letting go of a seat's older connections and ending a
room need. (python-socketio's own per-connection `session` would do the
same on a real server, but raises `KeyError` under Flask-SocketIO's test
client, which opens no engine.io socket; the environ is there in both.)

Room membership is per process too; both are rebuilt from Redis on every
(re)connect by a resume. A sid this process does not hold (another
process's, or one already gone) holds nothing here, and forgetting it is a
no-op.
"""

from ..extensions import socketio

SEAT = "attune.seat"          # (code, seat): the seat the connection holds
CLAIMED = "attune.claimed"    # the room version at which it claimed that seat
# While the connection's claim of a seat is being written: the newest release
# of that seat that reached it meanwhile (-1: none). A release lets go only of
# claims older than its own, so two phones racing for a seat leave one.
CLAIMING = "attune.claiming"
NAMESPACE = "/"


def _environ(sid: str) -> dict | None:
    return socketio.server.get_environ(sid, NAMESPACE)


def held(sid: str) -> tuple[str, str] | None:
    """The (code, seat) the connection holds, or None."""
    environ = _environ(sid)
    return environ.get(SEAT) if environ is not None else None


def claimed(sid: str) -> int:
    """The room version at which the connection claimed the seat it holds; -1 when it holds none."""
    environ = _environ(sid)
    return environ.get(CLAIMED, -1) if environ is not None else -1


def hold(sid: str, code: str, seat: str, version: int) -> int:
    """Record that the connection holds the seat since `version`; return the newest release that
    reached its claim meanwhile (-1: none), ending the claim."""
    environ = _environ(sid)
    if environ is None:
        return -1
    environ[SEAT] = (code, seat)
    environ[CLAIMED] = version
    return environ.pop(CLAIMING, -1)


def forget(sid: str) -> tuple[str, str] | None:
    """Drop what the connection holds (a no-op for a sid this process does not hold); return the seat it held."""
    environ = _environ(sid)
    if environ is None:
        return None
    environ.pop(CLAIMED, None)
    environ.pop(CLAIMING, None)
    return environ.pop(SEAT, None)


def start_claim(sid: str) -> None:
    """The connection's claim of a seat is about to be written."""
    environ = _environ(sid)
    if environ is not None:
        environ.setdefault(CLAIMING, -1)


def end_claim(sid: str) -> None:
    """The claim was refused: no release waits for it any more."""
    environ = _environ(sid)
    if environ is not None:
        environ.pop(CLAIMING, None)


def note_release(sid: str, version: int) -> bool:
    """Tell a connection whose claim is being written that the seat was released at `version`;
    False when it is not claiming (the release then concerns what it holds)."""
    environ = _environ(sid)
    if environ is None or CLAIMING not in environ:
        return False
    environ[CLAIMING] = max(environ[CLAIMING], version)
    return True


def in_room(room: str) -> list[str]:
    """Every connection of this process in a Socket.IO room."""
    return [sid for sid, _eio_sid in socketio.server.manager.get_participants(NAMESPACE, room)]


def holding() -> list[tuple[str, tuple[str, str]]]:
    """(sid, (code, seat)) for every connection of this process that holds a seat."""
    out = []
    for sid in in_room(None):  # python-socketio puts every connection of a namespace in room None
        seat = held(sid)
        if seat is not None:
            out.append((sid, seat))
    return out
