"""A way out that erases nothing: stopping an exercise by agreement, the shared cool-down, distress noticed."""

import json
import shutil
from pathlib import Path

import pytest
import yaml

from server.domain import intents, session, staleness, summary
from server.domain.errors import DomainError
from server.library import LibraryError, load_library
from tests.unit.helpers import LIBRARY, NOW, act, ctx, room, view

A, B, MOD = "partner_a", "partner_b", "moderator"
CARDS = {"exercise": "know-yourself", "options": {"draw": 2}}  # private answers, then a reveal
CHECKIN = {"exercise": "name-it"}                               # a check-in first
FLOOR = {"exercise": "take-the-floor"}


def refused(code, state, seat, kind, **fields):
    with pytest.raises(DomainError) as err:
        act(state, seat, kind, **fields)
    assert err.value.code == code, err.value
    return err.value


def planned(*items, moderated=False, mode="remote"):
    state = room(moderated=moderated, mode=mode)
    if mode == "remote":
        state = act(state, A, "set_voice", voice="call")  # the way the couple talks in spoken steps
    if moderated:
        state = act(state, MOD, "propose_plan", plan=list(items))
        return act(state, MOD, "start_session")
    state = act(state, A, "propose_plan", plan=list(items))
    return act(state, B, "agree_plan")


def sess(state):
    return state["session"]


class TestStoppingAnExercise:
    def test_the_other_partner_sees_the_request_at_once_and_may_agree_the_asker_may_withdraw(self):
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        for seat in (A, B):
            assert view(state, seat)["session"]["stop"] == {"by": A, "agreed": [A]}
        assert "agree_stop" in view(state, B)["can"] and "withdraw_stop" not in view(state, B)["can"]
        assert "withdraw_stop" in view(state, A)["can"] and "agree_stop" not in view(state, A)["can"]
        assert "ask_stop" not in view(state, A)["can"] + view(state, B)["can"]

    def test_when_both_agree_the_next_exercise_starts_and_the_stopped_one_is_marked(self):
        state = planned(CARDS, FLOOR)
        state = act(state, A, "answer", text="my answer")
        state = act(state, B, "answer", text="their answer")  # revealed: on the table
        shared = list(sess(state)["shared"])
        assert shared
        state = act(act(state, B, "ask_stop"), A, "agree_stop")
        assert sess(state)["index"] == 1 and sess(state)["step_index"] == 0
        assert sess(state)["stopped"] == [0] and sess(state)["stop"] is None
        assert sess(state)["shared"] == shared  # nothing erased
        plan = view(state, A)["session"]["plan"]
        assert [item["stopped"] for item in plan] == [True, False]

    def test_stopping_the_last_exercise_opens_the_summary_and_the_exports_mark_it_stopped(self):
        state = act(planned(FLOOR, CARDS), A, "share", text="Something to keep")
        state = act(act(state, A, "ask_stop"), B, "agree_stop")
        state = act(act(state, A, "ask_stop"), B, "agree_stop")
        assert sess(state)["phase"] == "summary"
        assert view(state, A)["session"]["stopped"] == [0, 1]
        state = act(act(state, A, "keep_summary", keep=True), B, "keep_summary", keep=True)
        data = summary.export(state, A)
        assert [item["stopped"] for item in data["json"]["plan"]] == [True, True]
        assert "1. Take the floor (stopped)" in data["markdown"]

    def test_a_finished_exercise_is_not_marked_stopped(self):
        state = act(act(planned(FLOOR, CARDS), A, "ask_stop"), B, "agree_stop")
        assert summary.as_data(state)["plan"][1]["stopped"] is False

    def test_both_asking_at_once_is_both_agreeing(self):
        state = act(act(planned(CARDS, FLOOR), A, "ask_stop"), B, "ask_stop")
        assert sess(state)["index"] == 1 and sess(state)["stopped"] == [0]

    def test_a_withdrawn_request_is_gone_and_cannot_be_agreed_to(self):
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        state = act(state, A, "withdraw_stop")
        assert view(state, B)["session"]["stop"] is None
        refused("wrong_step", state, B, "agree_stop")
        assert sess(state)["index"] == 0

    def test_in_a_guided_room_the_therapist_agreeing_stops_it_at_once(self):
        state = act(planned(CARDS, FLOOR, moderated=True), B, "ask_stop")
        assert "agree_stop" in view(state, MOD)["can"]
        state = act(state, MOD, "agree_stop")
        assert sess(state)["index"] == 1 and sess(state)["stopped"] == [0]

    def test_in_a_guided_room_both_partners_agreeing_stops_it_too(self):
        state = act(act(planned(CARDS, FLOOR, moderated=True), B, "ask_stop"), A, "agree_stop")
        assert sess(state)["stopped"] == [0]

    def test_asking_moves_no_place_so_the_other_partners_next_move_still_lands(self):
        state = planned(CARDS, FLOOR)
        state["version"] = state["place_version"]  # what the store would have written by now
        asked = act(state, A, "ask_stop")
        assert staleness.place_of(asked) == staleness.place_of(state)
        asked["version"] = state["version"] + 1
        act(asked, B, "answer", text="still here", version=state["version"])  # not stale

    def test_the_stop_itself_moves_the_room(self):
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        stopped = act(state, B, "agree_stop")
        assert staleness.place_of(stopped) != staleness.place_of(state)

    def test_a_request_lapses_when_the_exercise_ends_another_way(self):
        state = act(planned(CARDS, FLOOR, CHECKIN, moderated=True), A, "ask_stop")
        state = act(state, MOD, "skip_exercise")
        assert view(state, B)["session"]["stop"] is None
        assert sess(state)["stopped"] == []  # skipped by the moderator, not stopped by agreement
        assert "ask_stop" in view(state, A)["can"]

    def test_an_exercise_the_therapist_takes_them_back_into_is_no_longer_marked_stopped(self):
        state = act(planned(CARDS, FLOOR, moderated=True), A, "ask_stop")
        state = act(state, MOD, "agree_stop")
        assert sess(state)["stopped"] == [0]
        state = act(state, MOD, "back_step")
        assert sess(state)["index"] == 0 and sess(state)["stopped"] == []

    def test_a_stop_during_a_time_out_keeps_the_time_out_on_for_the_next_exercise(self):
        state = act(planned(CARDS, FLOOR), A, "timeout", cooldown=20)
        state = act(act(state, A, "ask_stop"), B, "agree_stop")
        assert sess(state)["index"] == 1
        assert sess(state)["timeout"]["cooldown"]["minutes"] == 20
        refused("paused", state, B, "share", text="not yet")  # B holds the floor first in exercise 2
        state = act(act(state, A, "ready"), B, "ready")
        assert sess(state)["timeout"] is None
        act(state, B, "share", text="now")

    def test_an_unrevealed_answer_is_never_revealed_by_a_stop(self):
        state = act(planned(CARDS, FLOOR), A, "answer", text="PRIVATE-ZQ")
        state = act(act(state, A, "ask_stop"), B, "agree_stop")
        assert "PRIVATE-ZQ" not in json.dumps(view(state, B))
        assert "PRIVATE-ZQ" not in json.dumps(sess(state)["shared"])

    def test_the_log_names_the_moves_in_words_and_holds_no_text(self):
        _, asked = intents.apply_intent(planned(CARDS, FLOOR), A, {"id": "s1", "type": "ask_stop"}, ctx())
        assert summary.what(asked) == "asked to stop the exercise"
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        _, agreed = intents.apply_intent(state, B, {"id": "s2", "type": "agree_stop"}, ctx())
        assert summary.what(agreed) == "agreed to stop; the exercise stopped"


class TestStopRefusals:
    def test_not_in_the_lobby(self):
        refused("wrong_step", room(), A, "ask_stop")
        refused("wrong_step", room(), A, "agree_stop")

    def test_not_once_the_session_is_over(self):
        state = act(act(planned(FLOOR), A, "ask_stop"), B, "agree_stop")
        refused("finished", state, A, "ask_stop")

    def test_the_moderator_does_not_ask_or_withdraw_only_agrees(self):
        state = planned(CARDS, moderated=True)
        refused("forbidden", state, MOD, "ask_stop")
        refused("forbidden", act(state, A, "ask_stop"), MOD, "withdraw_stop")

    def test_asking_twice_agreeing_to_your_own_and_withdrawing_anothers_are_refused(self):
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        refused("wrong_step", state, A, "ask_stop")
        refused("wrong_step", state, A, "agree_stop")
        refused("wrong_step", state, B, "withdraw_stop")
        refused("wrong_step", planned(CARDS), A, "withdraw_stop")

    def test_a_retried_intent_id_is_applied_once(self):
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        once, _ = intents.apply_intent(state, B, {"id": "same", "type": "agree_stop"}, ctx())
        again, event = intents.apply_intent(once, B, {"id": "same", "type": "agree_stop"}, ctx())
        assert event is None and again is once and sess(once)["stopped"] == [0]

    def test_a_refusal_changes_nothing(self):
        state = act(planned(CARDS, FLOOR), A, "ask_stop")
        before = json.dumps(state, sort_keys=True)
        refused("wrong_step", state, A, "ask_stop")
        assert json.dumps(state, sort_keys=True) == before


class TestCoolDown:
    def test_a_cool_down_has_a_return_time_and_a_breathing_pace_from_the_servers_clock(self):
        state = act(planned(FLOOR), B, "timeout", cooldown=20, at=NOW + 5)
        cool = view(state, A)["session"]["timeout"]["cooldown"]
        assert cool == {"minutes": 20, "started_at": NOW + 5, "until": NOW + 5 + 1200,
                        "breath_in": session.BREATH_IN, "breath_out": session.BREATH_OUT}
        assert view(state, B)["session"]["timeout"]["cooldown"] == cool

    def test_the_return_time_passing_ends_nothing(self):
        state = act(planned(FLOOR), A, "timeout", cooldown=5)
        assert session.deadline(state) is None
        later, event = session.tick(state, ctx(NOW + 3600))
        assert event is None and later["session"]["timeout"]["cooldown"]["until"] < NOW + 3600
        assert "ready" in view(later, A)["can"]

    def test_it_ends_when_both_say_they_are_ready(self):
        state = act(planned(FLOOR), A, "timeout", cooldown=10)
        state = act(state, B, "ready")
        assert view(state, A)["session"]["timeout"]["cooldown"]["minutes"] == 10
        state = act(state, A, "ready")
        assert sess(state)["timeout"] is None

    @pytest.mark.parametrize("minutes", [0, 1, 31, 600])
    def test_minutes_outside_two_to_thirty_are_refused(self, minutes):
        err = refused("bad_value", planned(FLOOR), A, "timeout", cooldown=minutes)
        assert err.details == {"field": "cooldown"}

    def test_the_schema_holds_the_same_range(self):
        field = intents.TABLE["timeout"].fields["cooldown"]
        assert (field["minimum"], field["maximum"]) == session.COOLDOWN_MINUTES == (2, 30)
        assert intents.TABLE["pause"].fields["cooldown"] == field

    def test_not_during_a_time_out_and_not_outside_an_exercise(self):
        on = act(planned(FLOOR), A, "timeout", cooldown=10)
        refused("paused", on, B, "timeout", cooldown=20)
        assert view(on, B)["session"]["timeout"]["cooldown"]["minutes"] == 10  # the first one stands
        refused("wrong_step", room(), A, "timeout", cooldown=20)

    def test_the_therapist_can_start_one_that_ends_when_both_partners_are_ready(self):
        state = act(planned(FLOOR, moderated=True), MOD, "pause", cooldown=20)
        assert view(state, A)["session"]["timeout"]["cooldown"]["minutes"] == 20
        assert view(state, MOD)["session"]["timeout"]["cooldown"]["minutes"] == 20
        assert "ready" in view(state, A)["can"]
        state = act(act(state, A, "ready"), B, "ready")
        assert sess(state)["timeout"] is None

    def test_the_therapists_plain_pause_still_ends_only_with_the_therapist(self):
        state = act(planned(FLOOR, moderated=True), MOD, "pause")
        assert view(state, A)["session"]["timeout"]["cooldown"] is None
        assert "ready" not in view(state, A)["can"]
        refused("paused", state, A, "ready")

    def test_the_timeline_says_it_was_a_cool_down(self):
        _, event = intents.apply_intent(planned(FLOOR), A, {"id": "c", "type": "timeout", "cooldown": 20}, ctx())
        assert summary.what(event) == "started a cool-down (20 min)"


SCARED = [{"id": "scared", "intensity": 5}]
CALM = [{"id": "peaceful", "intensity": 5}]


class TestDistressNoticed:
    def test_feelings_yaml_says_which_feelings_are_hard_and_how_strong_is_high(self):
        assert LIBRARY.distress["high"] == 4
        assert LIBRARY.feeling("scared")["high"] == 4      # a hard family
        assert LIBRARY.feeling("grieving")["high"] == 4    # a hard word in an easier family
        assert "high" not in LIBRARY.feeling("sad")
        assert "high" not in LIBRARY.feeling("peaceful")

    def test_a_high_hard_check_in_offers_that_partner_a_pause_a_cool_down_or_stopping(self):
        state = act(planned(CHECKIN), A, "checkin", feelings=SCARED)
        mine = view(state, A)
        step = mine["session"]["exercise"]["step"]
        assert step["care_offer"] is True and step["entries"][A]["held"] is True
        assert {"carry_on", "timeout", "ask_stop"} <= set(mine["can"])

    def test_the_offer_never_reaches_the_other_partner_who_sees_them_still_thinking(self):
        state = act(planned(CHECKIN), A, "checkin", feelings=SCARED, note="NOTE-ZQ")
        theirs = view(state, B)
        step = theirs["session"]["exercise"]["step"]
        assert step["care_offer"] is False and "carry_on" not in theirs["can"]
        assert step["entries"][A] == {"status": "thinking"}
        dump = json.dumps(theirs)
        for secret in ("scared", "NOTE-ZQ", "held", "distress"):
            assert secret not in dump

    def test_the_reveal_waits_for_the_held_check_in_then_comes_with_carry_on(self):
        state = act(act(planned(CHECKIN), A, "checkin", feelings=SCARED), B, "checkin", feelings=CALM)
        assert sess(state)["step"]["phase"] == "checking_in"
        assert "scared" not in json.dumps(view(state, B))
        state = act(state, A, "carry_on")
        assert sess(state)["step"]["phase"] == "revealed"
        assert "scared" in json.dumps(view(state, B))

    def test_replacing_it_with_a_gentler_check_in_counts_at_once(self):
        state = act(act(planned(CHECKIN), A, "checkin", feelings=SCARED), B, "checkin", feelings=CALM)
        state = act(state, A, "checkin", feelings=[{"id": "scared", "intensity": 3}])
        assert sess(state)["step"]["phase"] == "revealed"

    @pytest.mark.parametrize("feelings", [[{"id": "scared", "intensity": 3}], CALM,
                                          [{"id": "sad", "intensity": 5}]])
    def test_a_gentler_or_easier_feeling_is_not_held(self, feelings):
        state = act(planned(CHECKIN), A, "checkin", feelings=feelings)
        step = view(state, A)["session"]["exercise"]["step"]
        assert step["care_offer"] is False and "carry_on" not in view(state, A)["can"]
        assert view(state, B)["session"]["exercise"]["step"]["entries"][A] == {"status": "checked_in"}

    def test_a_guided_rooms_therapist_sees_a_flag_and_no_words(self):
        state = act(planned(CHECKIN, moderated=True), A, "checkin", feelings=SCARED, note="NOTE-ZQ")
        mod = view(state, MOD)
        assert mod["session"]["exercise"]["step"]["entries"][A] == {"status": "checked_in", "distress": True}
        assert "scared" not in json.dumps(mod) and "NOTE-ZQ" not in json.dumps(mod)
        assert "distress" not in json.dumps(view(state, B))

    def test_carry_on_is_refused_when_nothing_is_held_and_during_a_time_out(self):
        state = act(planned(CHECKIN), A, "checkin", feelings=CALM)
        refused("wrong_step", state, A, "carry_on")
        held = act(act(planned(CHECKIN), A, "checkin", feelings=SCARED), A, "timeout", cooldown=20)
        refused("paused", held, A, "carry_on")
        refused("wrong_step", act(planned(CHECKIN), A, "checkin", feelings=SCARED), B, "carry_on")

    def test_stopping_with_a_held_check_in_reveals_nothing(self):
        state = act(act(planned(CHECKIN, FLOOR), A, "checkin", feelings=SCARED, note="NOTE-ZQ"),
                    B, "checkin", feelings=CALM)
        state = act(act(state, A, "ask_stop"), B, "agree_stop")
        assert "NOTE-ZQ" not in json.dumps(view(state, B)) and "scared" not in json.dumps(sess(state)["shared"])


def _library_with(tmp_path: Path, distress) -> Path:
    src = Path("exercises")
    doc = yaml.safe_load((src / "feelings.yaml").read_text())
    doc["distress"] = distress
    (tmp_path / "feelings.yaml").write_text(yaml.safe_dump(doc))
    shutil.copy(src / "take-the-floor.yaml", tmp_path)
    return tmp_path


class TestDistressData:
    def test_an_unknown_id_in_distress_is_refused_naming_it(self, tmp_path):
        with pytest.raises(LibraryError) as err:
            load_library(_library_with(tmp_path, {"high": 4, "families": ["fear", "dread"]}))
        assert [(p.field, p.reason) for p in err.value.problems] == [
            ("distress.families[1]", "'dread' is not a family of this file")]

    def test_a_family_named_as_a_feeling_is_refused(self, tmp_path):
        with pytest.raises(LibraryError) as err:
            load_library(_library_with(tmp_path, {"high": 4, "feelings": ["fear"]}))
        assert err.value.problems[0].field == "distress.feelings[0]"

    @pytest.mark.parametrize("distress", [{"high": 6, "families": ["fear"]}, {"families": ["fear"]},
                                          {"high": 4}, {"high": 4, "families": ["fear"], "colour": "red"}])
    def test_the_schema_checks_its_shape(self, tmp_path, distress):
        (tmp_path / "good").mkdir()
        good = load_library(_library_with(tmp_path / "good", {"high": 3, "families": ["fear"], "feelings": ["sad"]}))
        assert good.feeling("sad")["high"] == 3 and good.feeling("worried")["high"] == 3
        (tmp_path / "bad").mkdir()
        with pytest.raises(LibraryError) as err:
            load_library(_library_with(tmp_path / "bad", distress))
        assert all(p.field.startswith("distress") for p in err.value.problems), err.value.problems
