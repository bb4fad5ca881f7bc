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
    assert v["moderated"] is True and v["seats"]["moderator"] == {"name": "Dr Lee", "presence": "online",
                                                        "role": "moderator"}


def test_a_partner_named_moderator_is_still_shown_as_a_partner(connect):
    mod, a = connect(), connect()
    made = ack(mod, "create_room", {"name": "Dr Lee", "role": "moderator"})
    joined = ack(a, "join_room", {"code": made["code"], "name": "Moderator (therapist)"})
    assert joined["ok"], joined
    for seats in (joined["view"]["seats"], latest(mod)["seats"]):
        assert seats["partner_a"]["role"] == "partner" and seats["moderator"]["role"] == "moderator"
        assert seats["moderator"]["name"] == "Dr Lee"


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
    assert latest(mod)["version"] == seen  # a note does not raise the room's version
    assert views(a) == [] and views(b) == []
    # Made against the view from before the note, Ana's move is not stale.
    reply = ack(a, "intent", {"id": uuid.uuid4().hex, "type": "start_turn", "version": seen})
    assert reply["ok"], reply
    assert latest(b)["version"] == seen + 1


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


def test_notes_between_two_partner_moves_leave_no_gap_in_the_partners_versions(guided, store):
    """A partner cannot count the therapist's notes: their views and acks run on without a gap."""
    mod, a, b = guided["mod"], guided["a"], guided["b"]
    first = intent(a, "start_turn")
    assert first["ok"], first
    seen = {"a": [v["version"] for v in views(a)], "b": [v["version"] for v in views(b)]}
    mod.get_received()
    texts = [f"NOTE-GAP-{i}" for i in range(5)]
    for text in texts:
        reply = intent(mod, "add_note", text=text)
        assert reply["ok"] and reply["duplicate"] is False and reply["version"] == first["version"], reply
    assert views(a) == [] and views(b) == []
    second = intent(a, "end_turn")
    assert second["ok"], second
    assert second["version"] == first["version"] + 1
    for name, client in (("a", a), ("b", b)):
        pushed = views(client)
        after = [v["version"] for v in pushed]
        assert seen[name][-1:] == [first["version"]] and after == [first["version"] + 1], (name, seen, after)
        assert "NOTE-GAP" not in json.dumps(pushed)
    assert store.load(guided["made"]["code"])["version"] == second["version"]
    assert [n["text"] for n in latest(mod)["session"]["notes"]] == texts
    assert [n["n"] for n in latest(mod)["session"]["notes"]] == [1, 2, 3, 4, 5]


def test_each_note_reaches_the_moderator_alone_as_a_view_of_the_same_version(guided, store):
    mod, a = guided["mod"], guided["a"]
    version = store.load(guided["made"]["code"])["version"]
    for i in range(3):
        assert intent(mod, "add_note", text=f"N{i}")["ok"]
        pushed = views(mod)
        assert len(pushed) == 1 and pushed[0]["version"] == version
        assert [n["text"] for n in pushed[0]["session"]["notes"]] == [f"N{j}" for j in range(i + 1)]
    assert views(a) == []


def test_a_retried_note_id_is_applied_once(guided, store):
    mod, a = guided["mod"], guided["a"]
    note = {"id": "note-retry-1", "type": "add_note", "text": "ONCE"}
    assert ack(mod, "intent", note)["duplicate"] is False
    again = ack(mod, "intent", note)
    assert again["ok"] and again["duplicate"] is True
    assert [n["text"] for n in store.notes(guided["made"]["code"])] == ["ONCE"]
    mod.get_received()
    # The retry pushes nothing, and a retry from a new connection is still the same note.
    assert ack(mod, "intent", note)["duplicate"] is True
    assert views(mod) == [] and views(a) == []
    assert len(store.notes(guided["made"]["code"])) == 1


def test_the_notes_cap_refuses_with_too_many_and_changes_nothing(guided, store, monkeypatch):
    from server.domain import moderation

    monkeypatch.setattr(moderation, "MAX_NOTES", 3)
    mod, a = guided["mod"], guided["a"]
    code = guided["made"]["code"]
    for i in range(3):
        assert intent(mod, "add_note", text=f"CAP-{i}")["ok"]
    state, notes = store.load(code), store.notes(code)
    mod.get_received()
    refused = intent(mod, "add_note", text="CAP-OVER")
    assert refused["ok"] is False and refused["error"]["code"] == "too_many", refused
    assert store.load(code) == state and store.notes(code) == notes
    assert views(mod) == [] and views(a) == []


def test_a_note_from_a_partner_or_with_no_text_changes_nothing(guided, store):
    code = guided["made"]["code"]
    before = store.load(code)
    assert intent(guided["a"], "add_note", text="x")["error"]["code"] == "forbidden"
    assert intent(guided["mod"], "add_note", text="   ")["error"]["code"] == "missing_field"
    assert store.notes(code) == [] and store.load(code) == before


def test_the_timeline_holds_the_notes_without_their_text_and_reads_on_from_them(guided):
    mod, a = guided["mod"], guided["a"]
    assert intent(a, "start_turn")["ok"]
    assert intent(mod, "add_note", text="TL-SECRET-1")["ok"]
    events = ack(mod, "get_timeline")["events"]
    assert [e["type"] for e in events[-2:]] == ["start_turn", "note"]
    assert events[-1]["version"] == events[-2]["version"] and events[-1]["seat"] == "moderator"
    assert "TL-SECRET" not in json.dumps(events)
    # What the client asks next: after the newest version held, and after the notes held.
    assert intent(mod, "add_note", text="TL-SECRET-2")["ok"]
    assert intent(a, "end_turn")["ok"]
    newer = ack(mod, "get_timeline", {"since": events[-1]["version"], "notes_since": 1})["events"]
    assert [(e["type"], e.get("note")) for e in newer] == [("note", 2), ("end_turn", None)]
