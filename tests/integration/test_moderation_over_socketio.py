"""A therapist guiding a couple from the moderator seat, over Socket.IO against real Redis."""

import json
import uuid

import pytest

from tests.integration.test_rooms_over_socketio import ack, views


def intent(client, intent_type, /, **fields):
    return ack(client, "intent", {"id": uuid.uuid4().hex, "type": intent_type, **fields})


def latest(client):
    """The newest view pushed to this client (get_received drains, so the last one is kept)."""
    pushed = views(client)
    if pushed:
        client.last_view = pushed[-1]
    return client.last_view


@pytest.fixture
def guided(connect):
    """A moderated room: the therapist set a two-exercise plan and started; both partners are in."""
    mod, a, b = connect(), connect(), connect()
    made = ack(mod, "create_room", {"name": "Dr Lee", "role": "moderator"})
    assert ack(a, "join_room", {"code": made["code"], "name": "Ana"})["ok"]
    assert ack(b, "join_room", {"code": made["code"], "name": "Ben"})["ok"]
    plan = [{"exercise": "undivided-attention", "options": {"seconds": 60}}, {"exercise": "take-the-floor"}]
    assert intent(mod, "propose_plan", plan=plan)["ok"]
    assert intent(mod, "start_session")["ok"]
    for client in (mod, a, b):
        client.get_received()
    return {"mod": mod, "a": a, "b": b, "made": made}


def step_of(client):
    return latest(client)["session"]["exercise"]["step"]


def test_partners_see_the_moderator_by_name(guided):
    intent(guided["mod"], "send_prompt", text="Welcome")
    v = latest(guided["a"])
    assert v["moderated"] is True and v["seats"]["moderator"] == {"name": "Dr Lee", "presence": "online"}


def test_every_control_changes_both_partners_views(guided):
    mod, a, b = guided["mod"], guided["a"], guided["b"]
    assert intent(mod, "pause")["ok"]
    assert latest(a)["session"]["timeout"]["by"] == "moderator" == latest(b)["session"]["timeout"]["by"]
    assert intent(a, "start_turn")["error"]["code"] == "paused"
    assert intent(mod, "resume")["ok"]
    assert latest(b)["session"]["timeout"] is None

    assert intent(a, "start_turn")["ok"]
    deadline = step_of(b)["deadline"]
    assert intent(mod, "adjust_timer", seconds=120)["ok"]
    assert step_of(a)["deadline"] == step_of(b)["deadline"] == pytest.approx(deadline + 120)
    assert intent(mod, "adjust_timer", seconds=-60)["ok"]
    assert step_of(b)["deadline"] == pytest.approx(deadline + 60)

    assert intent(mod, "swap_roles")["ok"]
    assert step_of(b)["role"] == "speaker" and step_of(a)["role"] == "listener"

    assert intent(mod, "send_prompt", text="Notice your breath", kind="card")["ok"]
    assert latest(a)["session"]["prompts"][-1] == latest(b)["session"]["prompts"][-1]
    assert latest(b)["session"]["prompts"][-1]["text"] == "Notice your breath"

    assert intent(mod, "advance_step")["ok"]
    assert step_of(a)["kind"] == step_of(b)["kind"] == "cards"
    assert intent(mod, "back_step")["ok"]
    assert step_of(a)["kind"] == "timed_turns"
    assert intent(mod, "skip_exercise")["ok"]
    assert latest(b)["session"]["exercise"]["id"] == "take-the-floor"
    assert intent(mod, "end_session")["ok"]
    assert latest(a)["session"]["phase"] == latest(b)["session"]["phase"] == "summary"


def test_private_notes_never_reach_the_partners(guided):
    mod, a, b = guided["mod"], guided["a"], guided["b"]
    assert intent(mod, "add_note", text="NOTE-MARK about Ben")["ok"]
    assert latest(mod)["session"]["notes"][0]["text"] == "NOTE-MARK about Ben"
    intent(mod, "send_prompt", text="pushes a view to everyone")
    for client in (a, b):
        pushed = views(client)
        assert pushed and all("NOTE-MARK" not in json.dumps(v) for v in pushed)


def test_a_note_sends_the_partners_no_view_and_leaves_their_next_move_fresh(guided):
    """A partner's phone must not learn when the therapist writes about them."""
    mod, a, b = guided["mod"], guided["a"], guided["b"]
    intent(mod, "send_prompt", text="a view for everyone")
    seen = latest(a)["version"]
    views(b)
    assert intent(mod, "add_note", text="NOTE-QUIET")["ok"]
    assert latest(mod)["session"]["notes"][-1]["text"] == "NOTE-QUIET"
    assert latest(mod)["version"] == seen + 1
    assert views(a) == [] and views(b) == []
    # Made against the view from before the note, Ana's move is not stale.
    reply = ack(a, "intent", {"id": uuid.uuid4().hex, "type": "start_turn", "version": seen})
    assert reply["ok"], reply
    assert latest(b)["version"] == seen + 2


CONTROLS = [("pause", {}), ("resume", {}), ("advance_step", {}), ("back_step", {}), ("skip_exercise", {}),
            ("swap_roles", {}), ("adjust_timer", {"seconds": 30}), ("send_prompt", {"text": "x"}),
            ("end_session", {}), ("add_note", {"text": "x"}), ("start_session", {}),
            ("propose_plan", {"plan": [{"exercise": "tune-in"}]})]


@pytest.mark.parametrize("kind,fields", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_a_partner_sending_a_moderator_control_gets_forbidden_and_nothing_changes(guided, store, kind, fields):
    before = store.load(guided["made"]["code"])
    reply = intent(guided["a"], kind, **fields)
    assert reply["error"]["code"] in ("forbidden", "wrong_step") if kind == "propose_plan" else \
        reply["error"]["code"] == "forbidden"
    assert store.load(guided["made"]["code"]) == before


def test_the_moderator_cannot_act_as_a_partner(guided):
    assert intent(guided["mod"], "start_turn")["error"]["code"] == "forbidden"


def test_only_the_moderator_sees_the_timeline(guided):
    intent(guided["a"], "start_turn")
    events = ack(guided["mod"], "get_timeline")["events"]
    assert [e["type"] for e in events][:3] == ["room_created", "seat_claimed", "seat_claimed"]
    assert events[-1]["type"] == "start_turn" and events[-1]["seat"] == "partner_a"
    assert ack(guided["a"], "get_timeline")["error"]["code"] == "forbidden"
    newer = ack(guided["mod"], "get_timeline", {"since": events[-2]["version"]})["events"]
    assert newer == events[-1:]


def test_the_moderator_reconnects_with_its_token_and_keeps_control(guided, connect):
    mod = guided["mod"]
    mod.disconnect()
    assert latest(guided["a"])["seats"]["moderator"]["presence"] == "away"
    again = connect()
    back = ack(again, "resume", {"code": guided["made"]["code"], "token": guided["made"]["token"]})
    assert back["ok"] and back["seat"] == "moderator"
    assert intent(again, "pause")["ok"]


def test_the_moderators_export_holds_plan_timeline_and_notes_but_not_unkept_text(guided):
    mod, a, b = guided["mod"], guided["a"], guided["b"]
    intent(mod, "skip_exercise")
    assert intent(b, "share", text="UNKEPT-MARK")["ok"]  # exercises alternate who starts
    intent(mod, "add_note", text="They listened well")
    intent(mod, "end_session")
    intent(a, "keep_summary", keep=True)
    intent(b, "keep_summary", keep=False)
    out = ack(mod, "export_summary")
    assert out["ok"], out
    assert "They listened well" in out["markdown"] and "## Timeline" in out["markdown"]
    assert "Ben: shared a piece (Take the floor · step 1)" in out["markdown"]
    assert "UNKEPT-MARK" not in json.dumps(out)
    assert [p["title"] for p in out["json"]["plan"]] == ["Undivided attention", "Take the floor"]
