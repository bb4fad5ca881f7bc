"""Socket.IO handlers of the call: relay signalling between the seats of one room, hand out ICE servers.

The server never touches media: an offer, an answer or an ICE candidate is
checked (the sender and the addressee are seated on this room's call; the
payload has the shape and size of one) and passed on to the addressee's
seat, never stored or logged. Joining and leaving the call (`call_join`,
`call_leave`) are written like presence: every seat's view shows who is on
it, and no move in the exercise goes stale for it (server/domain/call.py).
"""

import time

from flask import current_app

from .. import services, turn, validation
from ..domain import call
from ..domain.errors import DomainError
from ..extensions import socketio
from .events import _acked, _seated, _store
from .push import push_state, seat_channel

# A Chromium offer with audio, video and every codec is about 6-10 KB of SDP.
MAX_SDP = 24_000
MAX_SIGNAL_BYTES = 32 * 1024
_KINDS = ("offer", "answer", "candidate")

SIGNAL = {
    "to": {"type": "string", "enum": list(call.rooms.SEATS)},
    "kind": {"type": "string", "enum": list(_KINDS)},
    "sdp": {"type": "string", "minLength": 1, "maxLength": MAX_SDP},
    "candidate": {"type": "object", "additionalProperties": False, "required": ["candidate"],
                  "properties": {"candidate": {"type": "string", "maxLength": 1024},
                                 "sdpMid": {"type": ["string", "null"], "maxLength": 64},
                                 "sdpMLineIndex": {"type": ["integer", "null"], "minimum": 0, "maximum": 64},
                                 "usernameFragment": {"type": ["string", "null"], "maxLength": 256}}},
}


def _signal(raw) -> dict:
    payload = validation.checked(SIGNAL, ["to", "kind"], validation.parse(raw, MAX_SIGNAL_BYTES))
    if payload["kind"] == "candidate":
        if "candidate" not in payload:
            raise DomainError("missing_field", "Missing field: candidate.", field="candidate")
        if "sdp" in payload:
            raise DomainError("bad_value", "A candidate carries no sdp.", field="sdp")
    else:
        if "sdp" not in payload:
            raise DomainError("missing_field", "Missing field: sdp.", field="sdp")
        if "candidate" in payload:
            raise DomainError("bad_value", "An offer or answer carries no candidate.", field="candidate")
        if not payload["sdp"].startswith("v=0"):
            raise DomainError("bad_value", "sdp is not a session description.", field="sdp")
    return payload


def _room(code: str) -> dict:
    state = _store().load(code)
    if state is None:
        raise DomainError("not_found", "This room has ended or never existed.")
    return state


def _empty(raw) -> dict:
    return validation.checked({}, [], validation.parse(raw, 1024))


@_acked("call_join", _empty)
def on_call_join(p):
    code, seat = _seated()
    applied = services.call_join(_store(), code=code, seat=seat)
    if applied.changed:
        push_state(applied.state)
    return {}


@_acked("call_leave", _empty)
def on_call_leave(p):
    code, seat = _seated()
    applied = services.call_leave(_store(), code=code, seat=seat)
    if applied.changed:
        push_state(applied.state)
    return {}


@_acked("call_signal", _signal)
def on_call_signal(p):
    code, seat = _seated()
    call.check_signal(_room(code), seat, p["to"])
    out = {"from": seat, "kind": p["kind"]}
    out.update({k: p[k] for k in ("sdp", "candidate") if k in p})
    socketio.emit("call_signal", out, to=seat_channel(code, p["to"]))
    return {}


@_acked("call_ice", _empty)
def on_call_ice(p):
    code, seat = _seated()
    if not call.allowed(_room(code)):
        raise DomainError("no_call", "A call is for partners apart, or a session with a therapist.")
    cfg = current_app.config
    return {"ice_servers": turn.ice_servers(cfg, seat, time.time()),
            "ice_transport_policy": cfg["ICE_TRANSPORT_POLICY"]}
