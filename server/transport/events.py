"""Socket.IO handlers: parse, call a service, ack, push views. Nothing else lives here.

Every handler returns an ack: `{"ok": true, ...}` or
`{"ok": false, "error": {"code", "message"}}`. Domain errors become error acks
in one place (`_acked`); logs name the event and the error code, never the
payload, because payloads carry what partners wrote.
"""

import functools
import logging
import math

from flask import current_app, request
from flask_socketio import close_room, join_room, leave_room

from .. import services, validation
from ..domain import rooms
from ..domain.errors import DomainError
from ..extensions import socketio
from . import clock, presence
from .throttle import Buckets
from .push import push_state, room_channel, seat_channel, view

log = logging.getLogger(__name__)

# Which room and seat each live connection of this process holds. Socket.IO
# room membership is per process too, so both are rebuilt from Redis on every
# (re)connect by `resume`.
_bound: dict[str, tuple[str, str]] = {}


def _store():
    return current_app.extensions["attune.store"]


def _limits() -> dict:
    cfg = current_app.config
    return {"join": (cfg["JOIN_RATE_LIMIT"], cfg["JOIN_RATE_WINDOW"]),
            "create": (cfg["CREATE_RATE_LIMIT"], cfg["CREATE_RATE_WINDOW"])}


def _addr() -> str:
    return request.remote_addr or "unknown"


def _base_url() -> str:
    return (current_app.config["PUBLIC_URL"] or request.host_url).rstrip("/")


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


def _acked(event: str, parse):
    """Register `fn(payload) -> dict` as the handler of `event`, wrapped in parsing and error acks."""
    def decorate(fn):
        @functools.wraps(fn)
        def handler(*args):
            try:
                _throttle()
                if len(args) > 1:
                    raise DomainError("bad_payload", "Send one JSON object per event.")
                payload = parse(args[0] if args else None)
                return {"ok": True, **fn(payload)}
            except DomainError as err:
                log.info("event %s refused: %s", event, err.code)
                return error_ack(err)
            except Exception:  # noqa: BLE001 - a bug must not kill the connection
                log.exception("event %s failed", event)
                return {"ok": False, "error": {"code": "internal",
                                               "message": "Something went wrong on our side."}}
        socketio.on_event(event, handler)
        return handler
    return decorate


def _room_event(event):
    return lambda raw: validation.event_payload(event, raw, current_app.config["MAX_MESSAGE_BYTES"])


def _seated() -> tuple[str, str]:
    bound = _bound.get(request.sid)
    if bound is None:
        raise DomainError("not_joined", "Join or resume a room first.")
    return bound


def _bind(seated: services.Seated) -> None:
    """Put this connection in its room's Socket.IO rooms and push the new state."""
    code = seated.state["code"]
    previous = _bound.get(request.sid)
    if previous and previous != (code, seated.seat):
        # This connection moves to another seat: the one it held is away now.
        leave_room(room_channel(previous[0]))
        leave_room(seat_channel(*previous))
        left = services.disconnect(_store(), code=previous[0], seat=previous[1], conn=request.sid)
        presence.release(current_app, *previous, request.sid)
        if left and left.changed:
            push_state(left.state)
    _bound[request.sid] = (code, seated.seat)
    presence.hold(current_app, code, seated.seat, request.sid)
    join_room(room_channel(code))
    join_room(seat_channel(code, seated.seat))
    if seated.replaced_conn:
        # The same seat opened elsewhere (another tab, a new phone): the newer
        # connection wins, the older one is told why and let go.
        socketio.emit("seat_replaced", {"code": code, "seat": seated.seat}, to=seated.replaced_conn)
        if _bound.pop(seated.replaced_conn, None):
            presence.release(current_app, code, seated.seat, seated.replaced_conn)
        socketio.server.disconnect(seated.replaced_conn, namespace="/")
    push_state(seated.state)


def _seat_ack(seated: services.Seated) -> dict:
    code = seated.state["code"]
    ack = {"code": code, "seat": seated.seat, "join_url": f"{_base_url()}/r/{code}",
           "view": view(seated.state, seated.seat)}
    if seated.token:
        ack["token"] = seated.token
    if seated.moderator_secret:
        ack["moderator_secret"] = seated.moderator_secret
        ack["moderator_url"] = f"{_base_url()}/m/{code}#{seated.moderator_secret}"
    return ack


@_acked("create_room", _room_event("create_room"))
def on_create_room(p):
    if request.sid in _bound:
        raise DomainError("already_joined", "This connection already holds a seat; leave it first.")
    seated = services.create_room(
        _store(), name=p["name"], role=p.get("role", "partner"), conn=request.sid, addr=_addr(),
        limits=_limits())
    _bind(seated)
    return _seat_ack(seated)


@_acked("join_room", _room_event("join_room"))
def on_join_room(p):
    if request.sid in _bound:
        raise DomainError("already_joined", "This connection already holds a seat; leave it first.")
    seated = services.join_room(_store(), code_raw=p["code"], name=p["name"], conn=request.sid,
                                addr=_addr(), limits=_limits(),
                                moderator_secret=p.get("moderator_secret"))
    _bind(seated)
    return _seat_ack(seated)


@_acked("resume", _room_event("resume"))
def on_resume(p):
    seated = services.resume(_store(), code_raw=p["code"], token=p["token"], conn=request.sid)
    _bind(seated)
    return _seat_ack(seated)


@_acked("check_seat", _room_event("check_seat"))
def on_check_seat(p):
    services.check_seat(_store(), code_raw=p["code"], token=p["token"])
    return {}


@_acked("intent", lambda raw: validation.intent_payload(raw, current_app.config["MAX_MESSAGE_BYTES"]))
def on_intent(p):
    code, seat = _seated()
    try:
        applied = services.apply_intent(_store(), code=code, seat=seat, intent=p,
                                        library=current_app.extensions["attune.library"])
    except DomainError as err:
        if err.code == "stale":
            fresh = _store().load(code)
            if fresh is not None:
                err.details["view"] = view(fresh, seat)
        raise
    if applied.changed:
        push_state(applied.state, applied.audience)
    return {"version": applied.state["version"], "duplicate": not applied.changed}


@_acked("export_summary", _room_event("export_summary"))
def on_export_summary(p):
    code, seat = _seated()
    return services.export_summary(_store(), code=code, seat=seat)


@_acked("get_timeline", _room_event("get_timeline"))
def on_get_timeline(p):
    code, seat = _seated()
    return {"events": services.timeline(_store(), code=code, seat=seat, since=p.get("since", 0),
                                         notes_since=p.get("notes_since"))}


@_acked("leave_room", _room_event("leave_room"))
def on_leave_room(p):
    code, seat = _seated()
    applied = services.leave(_store(), code=code, seat=seat)
    _bound.pop(request.sid, None)
    presence.release(current_app, code, seat, request.sid)
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
    for held in rooms.occupied(state):
        close_room(seat_channel(code, held))
    close_room(room_channel(code))
    for sid, bound in list(_bound.items()):
        if bound[0] == code:
            _bound.pop(sid, None)
            presence.release(current_app, *bound, sid)
    return {}


@socketio.on("connect")
def on_connect(auth=None):
    app = current_app._get_current_object()
    clock.ensure_running(app)
    presence.ensure_running(app, lambda: list(_bound.items()))


@socketio.on("*")
def on_any_event(event, *args):
    """Answer events nobody handles with an error ack instead of silence."""
    log.info("unknown event refused")
    return {"ok": False, "error": {"code": "unknown_event", "message": "The server has no such event."}}


@socketio.on("disconnect")
def on_disconnect(reason=None):
    current_app.extensions["attune.buckets"].forget(request.sid)
    bound = _bound.pop(request.sid, None)
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


def init_app(app) -> None:
    """Give the app its per-connection event budget; importing this module registers the handlers."""
    app.extensions["attune.buckets"] = Buckets(app.config["EVENT_BURST"], app.config["EVENT_RATE"])
