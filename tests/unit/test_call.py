"""The call in the room: who may be on it, who may signal whom, and who holds the floor."""

import pytest

from server.domain import call, intents
from server.domain.errors import DomainError
from server.turn import credentials, ice_servers, parse_servers, check

from .helpers import NOW, act, room, started, view


def on(state, *seats):
    for seat in seats:
        state, _ = call.join(state, seat, NOW)
    return state


def code_of(fn, *args):
    with pytest.raises(DomainError) as err:
        fn(*args)
    return err.value.code


def test_a_couple_apart_and_a_guided_room_have_a_call_but_a_couple_on_one_sofa_does_not():
    assert call.allowed(room(mode="remote"))
    assert call.allowed(room(moderated=True))
    together = room()
    assert not call.allowed(together)
    assert code_of(call.join, together, "partner_a", NOW) == "no_call"
    assert view(together, "partner_a")["call"]["allowed"] is False


def test_joining_puts_the_seat_on_every_view_and_twice_changes_nothing():
    state = on(room(mode="remote"), "partner_b")
    again, event = call.join(state, "partner_b", NOW)
    assert event is None and again is state
    state = on(state, "partner_a")
    assert view(state, "partner_b")["call"]["on_call"] == ["partner_a", "partner_b"]
    assert view(state, "partner_a")["call"]["on_call"] == ["partner_a", "partner_b"]


def test_an_empty_seat_cannot_join():
    state = room(mode="remote", partners=("Ana",))
    assert code_of(call.join, state, "partner_b", NOW) == "not_joined"


def test_leaving_the_call_or_the_room_takes_the_seat_off():
    state = on(room(mode="remote"), "partner_a", "partner_b")
    off, event = call.leave(state, "partner_a", NOW)
    assert event["type"] == "call_leave" and call.on_call(off) == ["partner_b"]
    assert call.leave(off, "partner_a", NOW) == (off, None)
    assert call.on_call(call.without(state, "partner_b")) == ["partner_a"]


def test_a_signal_needs_both_seats_on_the_call_and_two_different_seats():
    state = on(room(mode="remote"), "partner_a")
    assert code_of(call.check_signal, state, "partner_b", "partner_a") == "not_in_call"
    assert code_of(call.check_signal, state, "partner_a", "partner_b") == "peer_not_in_call"
    assert code_of(call.check_signal, state, "partner_a", "partner_a") == "peer_not_in_call"
    assert code_of(call.check_signal, state, "partner_a", "moderator") == "peer_not_in_call"
    state = on(state, "partner_b")
    call.check_signal(state, "partner_a", "partner_b")
    call.check_signal(state, "partner_b", "partner_a")


def test_outside_a_step_anyone_may_speak():
    state = on(room(mode="remote"), "partner_a", "partner_b")
    for seat in ("partner_a", "partner_b"):
        v = view(state, seat)["call"]
        assert v["floor"] == {"why": "open", "speakers": None, "cue": None} and v["may_speak"]


def test_the_speaker_holds_the_floor_and_the_listener_gets_it_to_say_it_back():
    state = started("take-the-floor", mode="remote")
    a, b = view(state, "partner_a")["call"], view(state, "partner_b")["call"]
    assert a["floor"] == {"why": "turn", "speakers": ["partner_a"], "cue": "speak"}
    assert a["may_speak"] and not b["may_speak"]
    state = act(state, "partner_a", "share", text="I felt alone on Sunday.")
    a, b = view(state, "partner_a")["call"], view(state, "partner_b")["call"]
    assert b["floor"]["cue"] == "say_back" and b["may_speak"] and not a["may_speak"]
    state = act(state, "partner_b", "paraphrase", text="You felt alone.")
    assert view(state, "partner_a")["call"]["may_speak"] and not view(state, "partner_b")["call"]["may_speak"]


def test_a_time_out_quiets_both_until_both_are_ready():
    state = started("take-the-floor", mode="remote")
    state = act(state, "partner_b", "timeout")
    for seat in ("partner_a", "partner_b", "moderator"):
        assert view(state, seat)["call"]["may_speak"] is False
    assert view(state, "partner_a")["call"]["floor"]["why"] == "timeout"
    state = act(state, "partner_a", "ready")
    assert not view(state, "partner_a")["call"]["may_speak"]
    state = act(state, "partner_b", "ready")
    assert view(state, "partner_a")["call"]["may_speak"]


def test_the_moderators_pause_quiets_everyone_and_a_turn_never_quiets_the_moderator():
    state = started("take-the-floor", moderated=True, mode="remote")
    assert view(state, "moderator")["call"]["may_speak"]
    state = act(state, "moderator", "pause")
    assert view(state, "moderator")["call"]["floor"]["why"] == "pause"
    assert not any(view(state, s)["call"]["may_speak"] for s in ("partner_a", "partner_b", "moderator"))


def test_imagos_receiver_mirrors_with_the_floor_and_the_appointment_is_open():
    state = started("imago-dialogue", mode="remote")
    assert view(state, "partner_a")["call"]["floor"]["why"] == "turn"  # the Sender asks
    state = act(state, "partner_a", "ask_appointment")
    state = act(state, "partner_b", "appointment", when="now")
    state = act(state, "partner_a", "send", text="I miss our walks.")
    b = view(state, "partner_b")["call"]
    assert b["floor"] == {"why": "turn", "speakers": ["partner_b"], "cue": "say_back"} and b["may_speak"]
    assert not view(state, "partner_a")["call"]["may_speak"]


def test_timed_turns_give_the_floor_to_whoever_is_speaking():
    state = started("undivided-attention", mode="remote", voice="call")
    speaker = state["session"]["step"]["order"][0]
    other = "partner_b" if speaker == "partner_a" else "partner_a"
    assert view(state, speaker)["call"]["may_speak"] and not view(state, other)["call"]["may_speak"]


def test_turn_credentials_follow_the_turn_rest_scheme():
    # coturn's use-auth-secret: username "<expiry>:<label>", password base64(HMAC-SHA1(secret, username)).
    got = credentials("s3cret", "partner_a", 1_700_000_000.7, 600)
    assert got == {"username": "1700000600:partner_a", "credential": "B5T/EpYeuKoSAv9ZLff2RdwDix0="}


def test_ice_servers_are_the_configured_list_then_turn_with_fresh_credentials():
    cfg = {"ICE_SERVERS": '[{"urls": "stun:stun.example.org:3478"}]', "TURN_URLS": "turn:t.example.org:3478",
           "TURN_SECRET": "s3cret", "TURN_TTL": 60, "ICE_TRANSPORT_POLICY": "all"}
    servers = ice_servers(cfg, "partner_b", 1000.0)
    assert servers[0] == {"urls": "stun:stun.example.org:3478"}
    assert servers[1]["urls"] == ["turn:t.example.org:3478"] and servers[1]["username"] == "1060:partner_b"
    assert ice_servers({"ICE_SERVERS": "", "TURN_URLS": "", "TURN_SECRET": None}, "partner_a", 0) == []


@pytest.mark.parametrize("cfg", [
    {"ICE_SERVERS": "not json"}, {"ICE_SERVERS": '{"urls": "stun:x"}'}, {"ICE_SERVERS": '[{"url": "stun:x"}]'},
    {"TURN_URLS": "turn:x:3478"}, {"TURN_URLS": "http://x", "TURN_SECRET": "s"},
    {"ICE_TRANSPORT_POLICY": "none"}, {"TURN_TTL": 0},
])
def test_a_call_configuration_that_cannot_work_stops_start_up(cfg):
    with pytest.raises(ValueError):
        check({"ICE_SERVERS": "", "TURN_URLS": "", "TURN_SECRET": None, "TURN_TTL": 60,
               "ICE_TRANSPORT_POLICY": "all", **cfg})


def test_the_view_never_shows_signalling_or_credentials():
    state = on(room(mode="remote"), "partner_a", "partner_b")
    assert set(view(state, "partner_a")["call"]) == {"allowed", "on_call", "floor", "may_speak"}
    assert intents.TABLE.get("call_join") is None  # presence-like, not an exercise move
    assert parse_servers("") == []
