"""The proof of the step-kind contract, on the pure domain: a kind added by tests alone runs a whole exercise.

tests/kinds/echo.py is added with `intents.added_kinds(echo)` and a library
folder whose schema has `$defs/echo`; nothing under server/, client/,
exercises/ or docs/ knows it. Its twin over Socket.IO is
tests/integration/test_a_new_step_kind.py.
"""

import pytest

from server import validation
from server.domain import intents, session, staleness, steps, summary
from server.domain.context import Ctx
from server.domain.errors import DomainError
from server.library import LibraryError, load_library
from tests.kinds import echo
from tests.unit.helpers import NOW, room

MAX = 16 * 1024


class Play:
    """A room played on apply_intent and session.tick, keeping its log as the store would."""

    def __init__(self, library, state):
        self.library, self.state, self.events, self.now, self.n = library, state, [], NOW, 0

    def ctx(self, now=None) -> Ctx:
        return Ctx(now=self.now if now is None else now, exercises=self.library.exercises,
                   feelings=self.library.feelings_by_id)

    def _write(self, new, event):
        new["version"] = self.state["version"] + 1
        self.state = new
        if event is not None:
            self.events.append({**event, "version": new["version"]})

    def act(self, seat, kind, /, version=None, **fields):
        self.now += 1
        self.n += 1
        intent = {"id": f"i{self.n}", "type": kind, **fields}
        if version is not None:
            intent["version"] = version
        new, event = intents.apply_intent(self.state, seat, intent, self.ctx())
        self._write(new, event)
        return self.state

    def refused(self, seat, kind, /, version=None, **fields) -> str:
        before = self.state
        with pytest.raises(DomainError) as caught:
            self.act(seat, kind, version=version, **fields)
        assert self.state is before
        return caught.value.code

    def tick(self, now):
        new, event = session.tick(self.state, self.ctx(now))
        assert event is not None, "the clock had nothing to do"
        self._write(new, event)

    def step(self, seat="moderator"):
        return intents.view_for(self.state, seat, self.ctx())["session"]["exercise"]["step"]


@pytest.fixture
def echo_library(tmp_path):
    with intents.added_kinds(echo):
        yield load_library(echo.library_folder(tmp_path))
    assert "echo" not in steps.KINDS and "echo_say" not in intents.TABLE


def test_a_kind_added_by_tests_alone_runs_a_whole_guided_exercise(echo_library):
    # 1. The plan options the exercise's steps read, with their ranges.
    options = steps.options_for(echo_library.get("echo-game"))
    assert options["echoes"] == {"type": "integer", "minimum": 1, "maximum": 3}
    assert set(options) == {"echoes", "depth", "draw", "clock_minutes"}  # its cards step reads these

    # 2. The plan: the kind's option is taken; another kind's is bad_option; out of range is bad_value.
    def plan(**opts):
        return {"id": "p", "type": "propose_plan", "plan": [{"exercise": "echo-game", "options": opts}]}
    assert validation.intent_payload(plan(echoes=2), MAX)
    with pytest.raises(DomainError) as caught:
        validation.intent_payload(plan(echoes=9), MAX)
    assert caught.value.code == "bad_value"
    game = Play(echo_library, room(moderated=True, mode="remote"))
    assert game.refused("moderator", "propose_plan", plan=plan(rounds=1)["plan"]) == "bad_option"
    game.act("moderator", "propose_plan", plan=plan(echoes=2)["plan"])

    # 3. The step runs: can follows the roles, the other seat gets not_your_turn.
    game.act("moderator", "start_session")
    assert game.step()["kind"] == "echo" and game.step()["turn"] == {"number": 1, "of": 2}
    assert game.step("partner_a")["can"] == ["echo_say"] and game.step("partner_b")["can"] == []
    assert game.refused("partner_b", "echo_say", text="hi") == "not_your_turn"
    assert game.refused("partner_a", "echo_say") == "text_required"
    game.act("partner_a", "echo_say", text="HELLO-MARK")
    deadline = game.step()["deadline"]
    assert deadline == game.now + 300 and session.deadline(game.state) == deadline

    # 4. A time-out stops every echo move and the clock; both ready restore it with the time left.
    game.act("partner_b", "timeout")
    assert game.refused("partner_b", "echo_back", text="x") == "paused"
    assert session.deadline(game.state) is None and game.step()["paused"]
    game.act("partner_a", "ready")
    game.act("partner_b", "ready")
    assert session.deadline(game.state) == pytest.approx(deadline + 3)

    # 5. The moderator may change this kind's timer, and swap its roles; a move from before is stale.
    assert "adjust_timer" in intents.view_for(game.state, "moderator", game.ctx())["can"]
    game.act("moderator", "adjust_timer", seconds=-60)
    assert session.deadline(game.state) == pytest.approx(deadline + 3 - 60)
    game.act("partner_b", "echo_back", text="HELLO-ECHO")
    assert game.step()["turn"]["number"] == 2 and game.step()["caller"] == "partner_a"
    before_swap = game.state["version"]
    game.act("moderator", "swap_roles")
    assert game.step()["caller"] == "partner_b" and game.step("partner_b")["can"] == ["echo_say"]
    assert game.refused("partner_b", "echo_say", version=before_swap, text="late") == "stale"
    game.act("partner_b", "echo_say", version=game.state["version"], text="AGAIN")
    assert "adjust_timer" in intents.view_for(game.state, "moderator", game.ctx())["can"]

    # 6. The server's clock lets the echo fade; the moderator moves on and back across kinds.
    due = session.deadline(game.state)
    assert session.tick(game.state, game.ctx(due - 1))[1] is None
    game.tick(due + 1)
    assert game.events[-1]["type"] == "deadline"
    assert game.state["session"]["step_index"] == 1 and game.step()["kind"] == "cards"
    game.act("moderator", "back_step")
    assert game.step()["kind"] == "echo" and game.step()["turn"]["number"] == 1
    game.act("moderator", "advance_step")
    assert game.step()["kind"] == "cards"
    assert "adjust_timer" not in intents.view_for(game.state, "moderator", game.ctx())["can"]

    # 7. The timeline speaks the kind's own words.
    words = [e["what"] for e in summary.timeline(game.state, game.events)]
    assert {"called out", "echoed", "let the echo fade", "swapped roles", "changed the timer by \u221260 s",
            "went back a step", "moved on a step"} <= set(words)
    assert summary.timeline(game.state, game.events)[-1]["where"] == "Echo game · step 2"

    # 8. The end, both keep it: the partners' export lists the echoes, the moderator's has the words.
    game.act("moderator", "end_session")
    game.act("partner_a", "keep_summary", keep=True)
    game.act("partner_b", "keep_summary", keep=True)
    entries = summary.export(game.state, "partner_a")["json"]["entries"]
    assert [(e["label"], e["text"]) for e in entries] == [
        ("called", "HELLO-MARK"), ("echoed", "HELLO-ECHO"), ("called", "AGAIN")]
    markdown = summary.for_moderator(game.state, game.events)["markdown"]
    assert "Ana: called out (Echo game · step 1)" in markdown and "server: let the echo fade" in markdown


def test_the_kinds_own_check_and_schema_guard_its_exercise_files(tmp_path):
    with intents.added_kinds(echo):
        with pytest.raises(LibraryError) as caught:
            load_library(echo.library_folder(tmp_path, seconds=900))
        assert "echo-game.yaml: steps[0].seconds: 900 is longer than an echo lasts" in str(caught.value)
        (tmp_path / "echo-game.yaml").write_text(echo.EXERCISE.replace("kind: echo", "kind: ekko"))
        with pytest.raises(LibraryError) as caught:
            load_library(tmp_path)
        assert f"'ekko' is not one of: {', '.join(steps.KINDS)}" in str(caught.value)
        assert str(caught.value).endswith(", echo")


def test_a_schema_without_the_kinds_definition_names_what_is_missing(tmp_path):
    with intents.added_kinds(echo):
        folder = echo.library_folder(tmp_path)
    # The same folder, read by a server that knows the kind but a schema that does not.
    (folder / "schema.json").write_text((folder / "schema.json").read_text().replace('"echo": {', '"ohce": {', 1))
    with intents.added_kinds(echo):
        with pytest.raises(LibraryError) as caught:
            load_library(folder)
    assert "$defs.echo: is missing" in str(caught.value)


def test_outside_the_block_the_kind_is_unknown(tmp_path):
    folder = echo.library_folder(tmp_path)
    with pytest.raises(LibraryError) as caught:
        load_library(folder)
    assert "'echo' is not one of" in str(caught.value)
    with pytest.raises(DomainError) as caught:
        validation.intent_payload({"id": "x", "type": "echo_say"}, MAX)
    assert caught.value.code == "unknown_intent"


def test_the_rows_of_a_kind_are_the_contracts_and_a_bad_kind_is_refused():
    with intents.added_kinds(echo):
        row = intents.TABLE["echo_say"]
        assert row.kinds == ("echo",) and row.handler is session.step_intent and row.moves == staleness.BY_PLACE
        assert intents.TABLE["advance"].kinds == ("cards", "checkin", "look_back")
    broken = type(echo)("broken")
    broken.__dict__.update({k: v for k, v in vars(echo).items() if k != "PLACE"})
    with pytest.raises(ValueError, match="'echo' does not declare PLACE"):
        with intents.added_kinds(broken):
            pass
    with pytest.raises(ValueError, match="declared twice"):
        with intents.added_kinds(echo, echo):
            pass
    assert "echo" not in steps.KINDS and "echo_say" not in intents.TABLE
