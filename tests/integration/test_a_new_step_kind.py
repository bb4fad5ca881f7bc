"""The proof of the step-kind contract over Socket.IO with real Redis: a kind added by tests alone.

tests/kinds/echo.py is added with `intents.added_kinds(echo)` and the app is
built inside that block on a library folder whose schema has `$defs/echo`;
no file under server/, client/, exercises/ or docs/ knows the kind. A
couple and their moderator play it through the plan, time-out, the
moderator's controls, the server's clock, the timeline and the summary.
"""

import uuid

import pytest

from server import services
from server.domain import intents, steps
from tests.integration.test_rooms_over_socketio import ack, views
from tests.kinds import echo


@pytest.fixture
def app(app_config, redis_client, tmp_path):
    """The app of conftest, built while the test-only kind is part of the contract (and only then)."""
    from server import create_app

    with intents.added_kinds(echo):
        app = create_app({**app_config, "EXERCISES_DIR": str(echo.library_folder(tmp_path))})
        yield app
        app.extensions["attune.stopping"] = True
    assert "echo" not in steps.KINDS and "echo_say" not in intents.TABLE


def intent(client, kind, /, version=None, **fields):
    payload = {"id": uuid.uuid4().hex, "type": kind, **fields}
    if version is not None:
        payload["version"] = version
    return ack(client, "intent", payload)


def latest(client):
    pushed = views(client)
    if pushed:
        client.last_view = pushed[-1]
    return client.last_view


def step_of(client):
    return latest(client)["session"]["exercise"]["step"]


def test_a_kind_added_by_tests_alone_runs_a_whole_guided_exercise_over_socketio(app, connect, store):
    # 1. The library lists it, and its options are the ones its steps' kinds read.
    listed = {ex["id"]: ex for ex in app.test_client().get("/api/exercises").get_json()["exercises"]}
    assert [s["kind"] for s in listed["echo-game"]["steps"]] == ["echo", "cards"]
    assert listed["echo-game"]["options"]["echoes"] == {"type": "integer", "minimum": 1, "maximum": 3}
    library = app.extensions["attune.library"]
    assert steps.options_for(library.get("echo-game"))["echoes"] == {"type": "integer", "minimum": 1, "maximum": 3}

    mod, a, b = connect(), connect(), connect()
    made = ack(mod, "create_room", {"name": "Dr Lee", "role": "moderator"})
    assert ack(a, "join_room", {"code": made["code"], "name": "Ana"})["ok"]
    assert ack(b, "join_room", {"code": made["code"], "name": "Ben"})["ok"]
    code = made["code"]
    assert intent(mod, "set_mode", mode="remote")["ok"]

    # 2. The plan: its own option is taken, another kind's is bad_option, out of range is bad_value.
    def plan(**options):
        return [{"exercise": "echo-game", "options": options}]
    assert intent(mod, "propose_plan", plan=plan(rounds=1))["error"]["code"] == "bad_option"
    assert intent(mod, "propose_plan", plan=plan(echoes=9))["error"]["code"] == "bad_value"
    assert intent(mod, "propose_plan", plan=plan(echoes=2))["ok"]

    # 3. It runs: the view's `can` follows its roles; the other seat gets not_your_turn.
    assert intent(mod, "start_session")["ok"]
    assert step_of(a)["kind"] == "echo" and step_of(a)["role"] == "caller" and step_of(b)["role"] == "echoer"
    assert step_of(a)["can"] == ["echo_say"] and step_of(b)["can"] == []
    assert intent(b, "echo_say", text="x")["error"]["code"] == "not_your_turn"
    assert intent(a, "echo_say", text="HELLO-MARK")["ok"]
    deadline = step_of(b)["deadline"]
    assert deadline and step_of(b)["can"] == ["echo_back"]

    # 4. A time-out stops every echo move and the clock; two readies bring the clock back.
    assert intent(b, "timeout")["ok"]
    assert intent(b, "echo_back", text="x")["error"]["code"] == "paused"
    assert step_of(a)["deadline"] is None and step_of(a)["paused"] is True
    assert intent(a, "ready")["ok"] and intent(b, "ready")["ok"]
    assert step_of(a)["deadline"] is not None and step_of(a)["paused"] is False

    # 5. The moderator may change its timer and swap its roles; a move on the view from before is stale.
    assert "adjust_timer" in latest(mod)["can"]
    assert intent(mod, "adjust_timer", seconds=-30)["ok"]
    assert intent(b, "echo_back", text="HELLO-ECHO")["ok"]
    before = latest(a)["version"]
    assert intent(mod, "swap_roles")["ok"]
    assert step_of(b)["role"] == "caller" and step_of(b)["can"] == ["echo_say"]
    stale = intent(b, "echo_say", version=before, text="late")
    assert stale["error"]["code"] == "stale" and stale["view"]["version"] == before + 1
    assert intent(b, "echo_say", version=before + 1, text="AGAIN")["ok"]

    # 6. The server's clock lets the echo fade; then the moderator moves on and back across kinds.
    due = store.load(code)["session"]["step"]["deadline"]
    ticked = services.tick(store, code=code, library=library, now=due + 1)
    assert ticked.changed and ticked.state["session"]["step_index"] == 1
    assert intent(mod, "back_step")["ok"]
    assert step_of(a)["kind"] == "echo" and step_of(a)["turn"]["number"] == 1
    assert intent(mod, "advance_step")["ok"]
    assert step_of(a)["kind"] == "cards"

    # 7. The timeline speaks the kind's words.
    events = ack(mod, "get_timeline", {})["events"]
    said = {e["type"]: e["what"] for e in events}
    assert said["echo_say"] == "called out" and said["echo_back"] == "echoed"
    assert said["deadline"] == "let the echo fade" and said["adjust_timer"] == "changed the timer by \u221230 s"
    assert [e["where"] for e in events if e["type"] == "echo_say"][0] == "Echo game · step 1"

    # 8. The end, and both keep it: the partner's export lists the echoes; the moderator's has the words.
    assert intent(mod, "end_session")["ok"]
    assert intent(a, "keep_summary", keep=True)["ok"] and intent(b, "keep_summary", keep=True)["ok"]
    kept = ack(a, "export_summary", {})
    assert [(e["label"], e["text"]) for e in kept["json"]["entries"]] == [
        ("called", "HELLO-MARK"), ("echoed", "HELLO-ECHO"), ("called", "AGAIN")]
    record = ack(mod, "export_summary", {})["markdown"]
    assert "Ana: called out (Echo game · step 1)" in record and "server: let the echo fade" in record
