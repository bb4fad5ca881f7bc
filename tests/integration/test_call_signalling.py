"""The call's signalling on a real server: relayed only between seats on one room's call, abuse refused."""

import base64
import hashlib
import hmac
import time

import pytest

from tests.support import seat_couple, wait_for

OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
CANDIDATE = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid": "0",
             "sdpMLineIndex": 0}


def remote_couple_on_the_call(phones, url):
    a, b = seat_couple(phones, url, url)
    assert a.intent("set_mode", mode="remote")["ok"]
    for p in (a, b):
        assert p.call("call_join")["ok"]
    a.wait_view(lambda v: v["call"]["on_call"] == ["partner_a", "partner_b"], message="both on the call")
    return a, b


@pytest.fixture
def url(servers):
    return servers().url


def test_an_offer_and_a_candidate_reach_the_addressed_seat_and_no_other_room(phones, url):
    a, b = remote_couple_on_the_call(phones, url)
    c, d = remote_couple_on_the_call(phones, url)
    assert a.call("call_signal", {"to": "partner_b", "kind": "offer", "sdp": OFFER}) == {"ok": True}
    assert a.call("call_signal", {"to": "partner_b", "kind": "candidate", "candidate": CANDIDATE}) == {"ok": True}
    wait_for(lambda: len(b.received("call_signal")) == 2, message="both signals at B")
    assert b.received("call_signal") == [{"from": "partner_a", "kind": "offer", "sdp": OFFER},
                                         {"from": "partner_a", "kind": "candidate", "candidate": CANDIDATE}]
    assert d.call("call_signal", {"to": "partner_a", "kind": "answer", "sdp": OFFER}) == {"ok": True}
    wait_for(lambda: c.received("call_signal"), message="the other room's answer at C")
    # Each seat name means a seat of the sender's own room: nothing crossed between the rooms.
    assert a.received("call_signal") == [] and d.received("call_signal") == []
    assert len(b.received("call_signal")) == 2


def test_signalling_from_outside_the_call_or_malformed_is_refused_and_relays_nothing(phones, url):
    a, b = seat_couple(phones, url, url)
    assert a.intent("set_mode", mode="remote")["ok"]
    stranger = phones(url)
    offer = {"to": "partner_b", "kind": "offer", "sdp": OFFER}
    assert stranger.call("call_signal", offer)["error"]["code"] == "not_joined"
    assert stranger.call("call_join")["error"]["code"] == "not_joined"
    assert stranger.call("call_ice")["error"]["code"] == "not_joined"
    assert a.call("call_signal", offer)["error"]["code"] == "not_in_call"
    assert a.call("call_join")["ok"]
    assert a.call("call_signal", offer)["error"]["code"] == "peer_not_in_call"
    assert b.call("call_join")["ok"]
    a.wait_view(lambda v: v["call"]["on_call"] == ["partner_a", "partner_b"])
    version = a.view["version"]
    bad = [
        ({"to": "moderator", "kind": "offer", "sdp": OFFER}, "peer_not_in_call"),
        ({"to": "partner_a", "kind": "offer", "sdp": OFFER}, "peer_not_in_call"),
        ({"to": "partner_c", "kind": "offer", "sdp": OFFER}, "bad_value"),
        ({"to": "partner_b", "kind": "hangup", "sdp": OFFER}, "bad_value"),
        ({"to": "partner_b", "kind": "offer"}, "missing_field"),
        ({"to": "partner_b", "kind": "offer", "sdp": "<script>"}, "bad_value"),
        ({"to": "partner_b", "kind": "offer", "sdp": OFFER, "candidate": CANDIDATE}, "bad_value"),
        ({"to": "partner_b", "kind": "candidate"}, "missing_field"),
        ({"to": "partner_b", "kind": "candidate", "candidate": {"candidate": 5}}, "wrong_type"),
        ({"to": "partner_b", "kind": "candidate", "candidate": {**CANDIDATE, "x": 1}}, "unknown_field"),
        ({"to": "partner_b", "kind": "candidate", "candidate": {"candidate": "c" * 2000}}, "text_too_long"),
        ({"to": "partner_b", "kind": "offer", "sdp": "v=0" + "a" * 25_000}, "text_too_long"),
        ({"to": "partner_b", "kind": "offer", "sdp": OFFER, "pad": "x" * 40_000}, "payload_too_large"),
        ({"to": "partner_b", "kind": "offer", "sdp": OFFER, "from": "partner_b"}, "unknown_field"),
        ("not json", "malformed_json"),
        ([1, 2], "bad_payload"),
    ]
    for payload, code in bad:
        ack = a.call("call_signal", payload)
        assert ack["ok"] is False and ack["error"]["code"] == code, (payload if len(str(payload)) < 200 else code, ack)
    # A good signal after all of them arrives alone: none of the refused ones was relayed.
    assert a.call("call_signal", offer) == {"ok": True}
    wait_for(lambda: b.received("call_signal"), message="the good offer at B")
    assert b.received("call_signal") == [{"from": "partner_a", "kind": "offer", "sdp": OFFER}]
    assert a.view["version"] == version and b.view["version"] == version


def test_a_couple_on_one_sofa_has_no_call(phones, url):
    a, _ = seat_couple(phones, url, url)
    assert a.call("call_join")["error"]["code"] == "no_call"
    assert a.call("call_ice")["error"]["code"] == "no_call"
    assert a.view["call"] == {"allowed": False, "on_call": [], "floor": {"why": "open", "speakers": None, "cue": None},
                              "may_speak": True}


def test_leaving_the_room_takes_the_seat_off_the_call(phones, url):
    a, b = remote_couple_on_the_call(phones, url)
    assert b.call("call_leave")["ok"]
    a.wait_view(lambda v: v["call"]["on_call"] == ["partner_a"], message="B off the call")
    assert b.call("call_join")["ok"]
    a.wait_view(lambda v: v["call"]["on_call"] == ["partner_a", "partner_b"])
    assert b.call("leave_room")["ok"]
    a.wait_view(lambda v: v["call"]["on_call"] == ["partner_a"], message="B gone from the call with the room")


def test_each_seat_gets_turn_credentials_of_its_own_that_expire(servers, phones):
    server = servers(extra_env={"TURN_URLS": "turn:127.0.0.1:3478?transport=udp", "TURN_SECRET": "north-wind",
                                "TURN_TTL": "120", "ICE_SERVERS": '[{"urls": "stun:127.0.0.1:3478"}]',
                                "ICE_TRANSPORT_POLICY": "relay"})
    a, b = remote_couple_on_the_call(phones, server.url)
    before = time.time()
    ack = b.call("call_ice")
    assert ack["ok"] and ack["ice_transport_policy"] == "relay"
    stun, turn = ack["ice_servers"]
    assert stun == {"urls": "stun:127.0.0.1:3478"}
    expiry, label = turn["username"].split(":")
    assert label == "partner_b" and before + 119 <= int(expiry) <= time.time() + 121
    expected = base64.b64encode(hmac.new(b"north-wind", turn["username"].encode(), hashlib.sha1).digest()).decode()
    assert turn["credential"] == expected and turn["urls"] == ["turn:127.0.0.1:3478?transport=udp"]
    assert "north-wind" not in str(ack)


def test_a_server_with_a_broken_call_configuration_does_not_start(servers):
    with pytest.raises(AssertionError, match="TURN_SECRET"):
        servers(extra_env={"TURN_URLS": "turn:127.0.0.1:3478"})
