"""An intent sent with `ack_view`: the sender's new view comes in the ack, the partner's is pushed.

Flask-SocketIO's test client against a real Redis: every push an emit makes
is in the client's received list by the time its ack returns.
"""

import uuid

from tests.integration.test_transport_over_socketio import ack, couple, received


def _intent(client, kind="set_mode", **fields):
    return ack(client, "intent", {"id": uuid.uuid4().hex, "type": kind, **fields})


def _settled(connect):
    a, b, made, joined = couple(connect)
    a.get_received(), b.get_received()  # the seat pushes so far
    return a, b, made


def test_the_ack_carries_the_senders_new_view_and_only_the_partner_gets_a_push(connect):
    a, b, made = _settled(connect)
    version = made["view"]["version"] + 1  # Ben's seat moved the room once
    got = _intent(a, mode="remote", version=version, ack_view=True)
    assert got["ok"] and got["view"]["version"] == got["version"] and got["view"]["mode"] == "remote"
    assert got["view"]["you"]["seat"] == "partner_a"
    assert received(a, "view") == []
    pushed = received(b, "view")
    assert [v["version"] for v in pushed] == [got["version"]] and pushed[0]["you"]["seat"] == "partner_b"


def test_without_ack_view_the_sender_is_pushed_its_view_as_before(connect):
    a, b, made = _settled(connect)
    got = _intent(a, mode="remote", version=made["view"]["version"] + 1)
    assert got["ok"] and "view" not in got
    assert [v["version"] for v in received(a, "view")] == [got["version"]]
    assert [v["version"] for v in received(b, "view")] == [got["version"]]


def test_a_retried_intent_with_ack_view_is_a_duplicate_without_a_view(connect):
    a, b, made = _settled(connect)
    payload = {"id": uuid.uuid4().hex, "type": "set_mode", "mode": "remote", "ack_view": True}
    first = ack(a, "intent", payload)
    again = ack(a, "intent", payload)
    assert first["ok"] and "view" in first
    assert again == {"ok": True, "version": first["version"], "duplicate": True}


def test_an_ack_view_that_is_not_a_boolean_is_refused_and_changes_nothing(connect):
    a, b, made = _settled(connect)
    got = _intent(a, mode="remote", ack_view="yes")
    assert got["ok"] is False and got["error"]["code"] == "wrong_type" and got["error"]["field"] == "ack_view"
    assert received(a, "view") == [] and received(b, "view") == []
    assert _intent(a, mode="remote", ack_view=True)["version"] == made["view"]["version"] + 2
