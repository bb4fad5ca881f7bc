"""The therapist's private notes on `python -m server` as a real process: a partner cannot count them."""

import json

import pytest

from tests.support import Phone, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def guided(server):
    """A moderated room on the real server, started, with both partners seated."""
    mod, a, b = (Phone(server.url).connect() for _ in range(3))
    made = mod.call("create_room", {"name": "Dr Lee", "role": "moderator"})
    assert made["ok"], made
    for phone, name in ((a, "Ana"), (b, "Ben")):
        assert phone.call("join_room", {"code": made["code"], "name": name})["ok"]
    plan = [{"exercise": "undivided-attention", "options": {"seconds": 60}}]
    assert mod.intent("propose_plan", plan=plan)["ok"]
    assert mod.intent("start_session")["ok"]
    for phone in (a, b):
        phone.wait_view(lambda v: v["session"]["phase"] == "running", message="the session to start")
    yield mod, a, b
    for phone in (mod, a, b):
        phone.disconnect()


def test_notes_between_two_partner_moves_leave_the_partners_versions_without_a_gap(guided):
    mod, a, b = guided
    first = a.intent("start_turn")
    assert first["ok"], first
    for phone in (a, b, mod):
        phone.wait_view(lambda v: v["version"] == first["version"], message="the turn to start")
    texts = [f"REAL-NOTE-{i}" for i in range(4)]
    acks = [mod.intent("add_note", text=text) for text in texts]
    assert all(r["ok"] and r["version"] == first["version"] for r in acks), acks
    # The moderator is shown every note, in a view of the same version.
    mod.wait_view(lambda v: [n["text"] for n in v["session"]["notes"]] == texts, message="all notes")
    second = a.intent("end_turn")
    assert second["ok"] and second["version"] == first["version"] + 1, (first, second)
    for phone in (a, b):
        phone.wait_view(lambda v: v["version"] == second["version"], message="the turn to end")
        with phone.lock:
            versions = sorted({v["version"] for v in phone.views})
            held = json.dumps(phone.views)
        assert versions == list(range(versions[0], versions[-1] + 1)), versions
        assert "REAL-NOTE" not in held
    # The note after the partner's move still reaches the moderator, at the new version.
    assert mod.intent("add_note", text="REAL-NOTE-LAST")["ok"]
    wait_for(lambda: mod.view["version"] == second["version"]
             and mod.view["session"]["notes"][-1]["text"] == "REAL-NOTE-LAST", message="the last note")
