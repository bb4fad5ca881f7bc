"""Socket.IO handlers: parse, call a service, ack, push views. Nothing else lives here.

Every handler returns an ack: `{"ok": true, ...}` or
`{"ok": false, "error": {"code", "message"}}`. Domain errors become error acks
in one place (`_acked`); logs name the event and the error code, never the
payload, because payloads carry what partners wrote.
"""

import collections
import functools
import logging
import math
import threading
import time

import redis
from flask import current_app, request
from flask_socketio import close_room, join_room, leave_room
from socketio import packet

from .. import services, validation
from ..redis_conn import BUSY_RETRY_AFTER
from ..domain import rooms
from ..domain.errors import DomainError
from ..extensions import socketio
from . import clock, conn, links, presence
from .admission import Admission
from .throttle import Buckets
from .push import push_state, room_channel, seat_channel, view

log = logging.getLogger(__name__)

# Socket.IO's lifecycle names. python-socketio hands a client *event* called
# `connect` or `disconnect` to the lifecycle handler of that name, so a client
# could run on_disconnect on itself while staying in its rooms; the others
# are reserved by the JS client. None of them is ever a client's event here.
RESERVED_EVENTS = frozenset({"connect", "connect_error", "disconnect", "disconnecting",
                             "newListener", "removeListener"})
UNKNOWN_EVENT = {"ok": False, "error": {"code": "unknown_event", "message": "The server has no such event."}}


def _store():
    return current_app.extensions["attune.store"]


def _limits() -> dict:
    cfg = current_app.config
    return {"join": (cfg["JOIN_RATE_LIMIT"], cfg["JOIN_RATE_WINDOW"]),
            "resume": (cfg["RESUME_RATE_LIMIT"], cfg["RESUME_RATE_WINDOW"]),
            "create": (cfg["CREATE_RATE_LIMIT"], cfg["CREATE_RATE_WINDOW"])}


def _addr() -> str:
    return request.remote_addr or "unknown"


def error_ack(err: DomainError) -> dict:
    """Turn a domain error into the error ack every client understands."""
    error = {"code": err.code, "message": err.message}
    error.update({k: v for k, v in err.details.items() if k != "view"})
    ack = {"ok": False, "error": error}
    if "view" in err.details:
        ack["view"] = err.details["view"]
    return ack


def _throttle() -> None:
    wait = current_app.extensions["attune.buckets"].take(request.sid)
    if wait:
        raise DomainError("rate_limited", "Too many messages from this device; please slow down.",
                          retry_after=math.ceil(wait * 10) / 10)


# A seat's events wait longer in line than taps (admission.py): a phone coming back must come back.
SEAT_EVENTS = frozenset({"create_room", "join_room", "resume", "check_seat"})


def _patience(event: str) -> float:
    cfg = current_app.config
    return cfg["SEAT_EVENT_WAIT"] if event in SEAT_EVENTS else cfg["REDIS_POOL_WAIT"]


class ShedTally:
    """Events shed for load (`busy`, `rate_limited`), logged as one line of counts at most every `every` s.

    An overloaded process refuses hundreds of events a second; a log line
    for each was a quarter of what refusing cost (py-spy, scenario C of
    issue 10), CPU the process needed to catch up. The first refusal after
    a quiet spell is logged at once; the ones after it are counted, and
    `later(delay, fn)` (a background task) logs their counts `every` seconds
    after the line before, so the end of a burst is logged too. Only event
    names and error codes are logged, never a payload.
    """

    def __init__(self, every: float = 10.0, clock=time.monotonic, later=None):
        self.every = every
        self.clock = clock
        self.later = later
        self.counts = collections.Counter()
        self.since = None  # when the last line was logged
        self.pending = False  # a flush is scheduled
        self._lock = threading.Lock()

    def add(self, event: str, code: str) -> None:
        with self._lock:
            self.counts[(event, code)] += 1
            now = self.clock()
            if self.since is None or now - self.since >= self.every:
                line = self._take(now)
            else:
                line = None
                if not self.pending and self.later is not None:
                    self.pending = True
                    self.later(self.since + self.every - now, self.flush)
        if line:
            log.info(*line)

    def flush(self) -> None:
        """Log what was counted since the last line (nothing if nothing was)."""
        with self._lock:
            self.pending = False
            line = self._take(self.clock()) if self.counts else None
        if line:
            log.info(*line)

    def _take(self, now: float) -> tuple:
        counts, self.counts = self.counts, collections.Counter()
        window, self.since = (None if self.since is None else now - self.since), now
        shed = ", ".join(f"{name} {why} x{n}" for (name, why), n in sorted(counts.items()))
        if window is None:
            return ("events refused for load: %s", shed)
        return ("events refused for load over the last %.0f s: %s", window, shed)


def _after(delay: float, fn) -> None:
    socketio.sleep(max(0.0, delay))
    fn()


SHED_CODES = frozenset({"busy", "rate_limited"})
_shed = ShedTally(later=lambda delay, fn: socketio.start_background_task(_after, delay, fn))


def _answer(event: str, args: tuple, parse, fn) -> dict:
    """Run `fn(parse(payload))` for one event's arguments and return its ack; never raises.

    Shared by every acked event and by the handshake's resume, whose answer
    is the `resumed` event instead of an ack.
    """
    try:
        _throttle()
        if len(args) > 1:
            raise DomainError("bad_payload", "Send one JSON object per event.")
        payload = parse(args[0] if args else None)
        with current_app.extensions["attune.admission"].place(_patience(event)):
            return {"ok": True, **fn(payload)}
    except DomainError as err:
        if err.code in SHED_CODES:
            _shed.add(event, err.code)
        else:
            log.info("event %s refused: %s", event, err.code)
        return error_ack(err)
    except (redis.exceptions.TimeoutError, redis.exceptions.ConnectionError) as err:
        # Redis did not answer in time, or the connection to it broke: nothing to fix on the
        # phone's side, and an intent sent again under its id is applied once either way.
        log.warning("event %s: Redis did not answer (%s)", event, type(err).__name__)
        return error_ack(DomainError("busy", "The server could not reach its storage just now; please try again.",
                                     retry_after=BUSY_RETRY_AFTER))
    except Exception:  # noqa: BLE001 - a bug must not kill the connection
        log.exception("event %s failed", event)
        return {"ok": False, "error": {"code": "internal",
                                       "message": "Something went wrong on our side."}}


def _acked(event: str, parse):
    """Register `fn(payload) -> dict` as the handler of `event`, wrapped in parsing and error acks."""
    def decorate(fn):
        @functools.wraps(fn)
        def handler(*args):
            return _answer(event, args, parse, fn)
        socketio.on_event(event, handler)
        return handler
    return decorate


def _room_event(event):
    return lambda raw: validation.event_payload(event, raw, current_app.config["MAX_MESSAGE_BYTES"])


def _seated() -> tuple[str, str]:
    bound = conn.held(request.sid)
    if bound is None:
        raise DomainError("not_joined", "Join or resume a room first.")
    return bound


class _Claim:
    """Joins this connection to a seat's rooms as soon as a service knows the seat, before it is written.

    So a partner's change written after this seat's claim is always pushed to
    this connection too; nothing falls between the write and the join.
    """

    def __init__(self):
        self.sid = request.sid
        self.held = conn.held(self.sid)
        self.joined = None

    def __call__(self, code: str, seat: str) -> None:
        if self.joined == (code, seat):
            return
        self._leave_joined()  # a retry picked another seat
        conn.start_claim(self.sid)
        join_room(room_channel(code))
        join_room(seat_channel(code, seat))
        self.joined = (code, seat)

    def _leave_joined(self) -> None:
        if self.joined is None or self.joined == self.held:
            return
        code, seat = self.joined
        leave_room(seat_channel(code, seat))
        if not self.held or self.held[0] != code:
            leave_room(room_channel(code))
        self.joined = None

    def abandon(self) -> None:
        """Undo the early join after a refused claim; the seat held before (if any) stays."""
        self._leave_joined()
        conn.end_claim(self.sid)


def _claiming_seat(run):
    """Run `run(on_seat)` (a service call), undoing the early join if it is refused."""
    claim = _Claim()
    try:
        return run(claim)
    except BaseException:
        claim.abandon()
        raise


def _forget(app, sid: str) -> None:
    """Drop what this process knows of a connection's seat, and its presence lease."""
    bound = conn.forget(sid)
    if bound:
        presence.release(app, *bound, sid)


def _let_go(app, sid: str, data: dict) -> None:
    """Tell a connection of this process that its seat opened elsewhere, and disconnect it."""
    socketio.server.emit("seat_replaced", data, to=sid, namespace="/", ignore_queue=True)
    _forget(app, sid)
    socketio.server.disconnect(sid, namespace="/", ignore_queue=True)


def _on_release(app, room: str, keep: str, version: int, data: dict) -> None:
    """Let go of this process's connections in a seat's room that hold an older claim than `version`."""
    # Runs in a handler, or in the message queue's listener (no app context).
    for sid in conn.in_room(room):
        if sid == keep or conn.claimed(sid) > version:
            continue
        if conn.note_release(sid, version):
            # Its claim is being written: it lets itself go if it turns out older.
            continue
        with app.app_context():
            _let_go(app, sid, data)


def _bind(seated: services.Seated) -> None:
    """Put this connection in its room's Socket.IO rooms, let go of the seat's other connections, push."""
    code, seat, version = seated.state["code"], seated.seat, seated.state["version"]
    sid = request.sid
    previous = conn.held(sid)
    if previous and previous != (code, seat):
        # This connection moves to another seat: the one it held is away now.
        leave_room(seat_channel(*previous))
        if previous[0] != code:
            leave_room(room_channel(previous[0]))
        left = services.disconnect(_store(), code=previous[0], seat=previous[1], conn=sid)
        presence.release(current_app, *previous, sid)
        if left and left.changed:
            push_state(left.state)
    superseded = conn.hold(sid, code, seat, version) > version
    presence.hold(current_app, code, seat, sid)
    join_room(room_channel(code))
    join_room(seat_channel(code, seat))
    data = {"code": code, "seat": seat}
    if seated.takes_over:
        # The same seat opened elsewhere (another tab, a new phone, a copied
        # token): the newer connection wins, every older one in the seat's
        # room, in any process, is told why and let go, whether or not the
        # state still remembers it.
        socketio.server.manager.release(seat_channel(code, seat), keep=sid, version=version, data=data)
    if superseded:
        _let_go(current_app._get_current_object(), sid, data)
        return
    # This connection's own view rides on its seat ack (or `resumed`): built and sent once.
    push_state(seated.state, [s for s in rooms.occupied(seated.state) if s != seat])


def _seat_ack(seated: services.Seated, moderator_secret: str | None = None) -> dict:
    """The seat ack: the seat, its links and its view; the secrets only when just made.

    `moderator_secret` is one the caller just proved (a moderator link's):
    the ack then carries the moderator's link too, but not the secret again.
    """
    code = seated.state["code"]
    ack = {"code": code, "seat": seated.seat, "join_url": links.join_url(code), "qr_url": links.qr_path(code),
           "view": view(seated.state, seated.seat)}
    if seated.token:
        ack["token"] = seated.token
    if seated.moderator_secret:
        ack["moderator_secret"] = seated.moderator_secret
    secret = seated.moderator_secret or moderator_secret
    if secret and seated.seat == rooms.MODERATOR:
        ack["moderator_url"] = links.moderator_url(code, secret)
    return ack


@_acked("create_room", _room_event("create_room"))
def on_create_room(p):
    if conn.held(request.sid):
        raise DomainError("already_joined", "This connection already holds a seat; leave it first.")
    seated = services.create_room(
        _store(), name=p["name"], role=p.get("role", "partner"), conn=request.sid, addr=_addr(),
        limits=_limits())
    _bind(seated)
    return _seat_ack(seated)


@_acked("join_room", _room_event("join_room"))
def on_join_room(p):
    if conn.held(request.sid):
        raise DomainError("already_joined", "This connection already holds a seat; leave it first.")
    seated = _claiming_seat(lambda on_seat: services.join_room(
        _store(), code_raw=p["code"], name=p["name"], conn=request.sid, addr=_addr(), limits=_limits(),
        moderator_secret=p.get("moderator_secret"), on_seat=on_seat))
    _bind(seated)
    return _seat_ack(seated, p.get("moderator_secret"))


def _resume(p) -> dict:
    seated = _claiming_seat(lambda on_seat: services.resume(
        _store(), code_raw=p["code"], token=p["token"], conn=request.sid, addr=_addr(), limits=_limits(),
        on_seat=on_seat))
    _bind(seated)
    return _seat_ack(seated)


# A phone resumes its seat in the Socket.IO handshake (`auth`, see on_connect);
# this event stays for clients that do not, and for a check after waking up.
on_resume = _acked("resume", _room_event("resume"))(_resume)


@_acked("check_seat", _room_event("check_seat"))
def on_check_seat(p):
    services.check_seat(_store(), code_raw=p["code"], token=p["token"], addr=_addr(), limits=_limits())
    return {}


@_acked("intent", lambda raw: validation.intent_payload(raw, current_app.config["MAX_MESSAGE_BYTES"]))
def on_intent(p):
    code, seat = _seated()
    wants_view = p.pop("ack_view", False)
    try:
        applied = services.apply_intent(_store(), code=code, seat=seat, intent=p,
                                        library=current_app.extensions["attune.library"])
    except DomainError as err:
        held = getattr(err, "state", None)
        if err.code == "stale" and held is not None:
            # The state the refusal was made on is the room's newest: answer with it.
            err.details["view"] = view(held, seat)
        raise
    ack = {"version": applied.state["version"], "duplicate": not applied.changed}
    if not applied.changed:
        return ack
    seats = applied.audience if applied.audience is not None else rooms.occupied(applied.state)
    if wants_view and seat in seats and applied.state["seats"][seat].get("conn") == request.sid:
        # This connection is its seat's: its view rides on the ack instead of a push of its own,
        # after the others' pushes, so the partner's view is not kept waiting.
        push_state(applied.state, [s for s in seats if s != seat])
        ack["view"] = view(applied.state, seat)
    else:
        push_state(applied.state, seats)
    return ack


@_acked("export_summary", _room_event("export_summary"))
def on_export_summary(p):
    code, seat = _seated()
    return services.export_summary(_store(), code=code, seat=seat, tz=p.get("tz"))


@_acked("get_timeline", _room_event("get_timeline"))
def on_get_timeline(p):
    code, seat = _seated()
    return {"events": services.timeline(_store(), code=code, seat=seat, since=p.get("since", 0),
                                         notes_since=p.get("notes_since"))}


@_acked("leave_room", _room_event("leave_room"))
def on_leave_room(p):
    code, seat = _seated()
    applied = services.leave(_store(), code=code, seat=seat)
    _forget(current_app, request.sid)
    leave_room(room_channel(code))
    leave_room(seat_channel(code, seat))
    if applied.changed:
        push_state(applied.state)
    return {}


@_acked("end_room", _room_event("end_room"))
def on_end_room(p):
    code, seat = _seated()
    state = services.end_and_erase(_store(), code=code, seat=seat)
    socketio.emit("room_ended", {"code": code, "by": seat}, to=room_channel(code))
    # This process's connections let go of the room (other processes' keep their binding
    # until they go; every seated event then finds the room gone).
    for sid in conn.in_room(room_channel(code)):
        _forget(current_app, sid)
    for held in rooms.occupied(state):
        close_room(seat_channel(code, held))
    close_room(room_channel(code))
    return {}


@socketio.on("connect")
def on_connect(auth=None):
    """Start this process's clock and presence lease; resume the seat the handshake's `auth` offers.

    python-socketio passes `auth` only when the client sent a non-empty one.
    The answer is the `resumed` event, sent to this connection alone: written
    from here it reaches the phone before the handshake's CONNECT packet, and
    socket.io-client delivers it before its own "connect", so the phone never
    sends `resume` as well. It skips the message queue (`ignore_queue`): the
    connection is in this process, and python-socketio 5.18 sends a queued
    emit here first anyway, but no other process need hear of it, and the
    order then does not rest on how a manager relays. A failed resume is
    answered, never a refused connection, so the phone can still create or
    join; an exception here would end the handshake, and `_answer` raises none.
    Only the handshake runs this: a client *event* named `connect` is refused
    before any handler (`refuse_reserved_events`), so `auth` is always the
    handshake's.
    """
    app = current_app._get_current_object()
    clock.ensure_running(app)
    presence.ensure_running(app, conn.holding)
    if not auth:
        return
    ack = _answer("resume", (auth,), _room_event("resume"), _resume)
    socketio.emit("resumed", ack, to=request.sid, ignore_queue=True)


@socketio.on("*")
def on_any_event(event, *args):
    """Answer events nobody handles with an error ack instead of silence."""
    log.info("unknown event refused")
    return UNKNOWN_EVENT


@socketio.on("disconnect")
def on_disconnect(reason=None):
    current_app.extensions["attune.buckets"].forget(request.sid)
    bound = conn.forget(request.sid)
    if bound is None:
        return
    presence.release(current_app, *bound, request.sid)
    try:
        applied = services.disconnect(_store(), code=bound[0], seat=bound[1], conn=request.sid)
    except DomainError as err:
        log.info("disconnect bookkeeping refused: %s", err.code)
        return
    if applied and applied.changed:
        push_state(applied.state)


def refuse_reserved_events(server) -> None:
    """Make `server` answer a client event named like a lifecycle event with `unknown_event`, running nothing."""
    # `_handle_event` is where python-socketio receives every client event
    # (plain and binary) before it looks up a handler; the real lifecycle
    # calls come from `_handle_connect` / `_handle_disconnect` and never pass
    # here. tests/integration/test_sessions_hardening.py pins this down.
    dispatch = server._handle_event

    def handle_event(eio_sid, namespace, id, data):
        if isinstance(data, list) and data and isinstance(data[0], str) and data[0] in RESERVED_EVENTS:
            log.info("reserved event name refused")
            if id is not None:
                server._send_packet(eio_sid, server.packet_class(
                    packet.ACK, namespace=namespace or "/", id=id, data=[UNKNOWN_EVENT]))
            return
        dispatch(eio_sid, namespace, id, data)

    server._handle_event = handle_event


def init_app(app) -> None:
    """Give the app its per-connection event budget, guard its Socket.IO server against reserved
    event names and wire seat releases to it."""
    app.extensions["attune.buckets"] = Buckets(app.config["EVENT_BURST"], app.config["EVENT_RATE"])
    # A few of the pool's connections stay for what runs outside an event: the
    # clock, presence, a disconnect's bookkeeping.
    size = app.config["REDIS_POOL_SIZE"]
    app.extensions["attune.admission"] = Admission(max(1, size - min(8, size // 8)), app.config["ASYNC_MODE"])
    # Importing this module registered the handlers on `socketio`; init_app
    # has just built the server they run on.
    refuse_reserved_events(socketio.server)
    socketio.server.manager.on_release = functools.partial(_on_release, app)


# The call's handlers reuse this module's wrapping; importing them registers them.
from . import call  # noqa: E402,F401
