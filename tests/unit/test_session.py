"""The session: plan agreement, moving through steps and exercises, time-outs, the summary."""

import json

import pytest

from server.domain import summary
from server.domain.errors import DomainError
from tests.unit.helpers import act, room, started, view


def refused(code, state, seat, kind, **fields):
    with pytest.raises(DomainError) as err:
        act(state, seat, kind, **fields)
    assert err.value.code == code, err.value
    return err.value


def speak_one_floor(state, speaker, listener, text=None):
    extra = {"text": text} if text else {}
    state = act(state, speaker, "share", **extra)
    state = act(state, listener, "paraphrase", **extra)
    state = act(state, speaker, "check", accurate=True)
    return act(state, speaker, "pass_floor")


class TestLobby:
    def test_a_proposal_counts_as_the_proposers_agreement_and_waits_for_the_partner(self):
        state = act(room(), "partner_a", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        assert state["session"]["phase"] == "lobby"
        assert view(state, "partner_b")["can"] == ["propose_plan", "choosing", "agree_plan", "set_mode",
                                                   "offer_promises", "offer_seen"]
        assert "agree_plan" not in view(state, "partner_a")["can"]

    def test_when_both_agree_the_first_step_of_the_first_exercise_starts(self):
        state = started("take-the-floor")
        sess = state["session"]
        assert sess["phase"] == "running" and sess["index"] == 0 and sess["step_index"] == 0
        v = view(state, "partner_a")
        assert v["session"]["exercise"]["id"] == "take-the-floor"
        assert v["session"]["exercise"]["step"]["role"] == "speaker"
        assert "share" in v["can"] and "timeout" in v["can"]

    def test_an_unknown_exercise_is_refused(self):
        refused("unknown_exercise", room(), "partner_a", "propose_plan", plan=[{"exercise": "nope"}])

    def test_an_empty_plan_is_refused(self):
        refused("bad_value", room(), "partner_a", "propose_plan", plan=[])

    def test_agreeing_before_any_plan_or_twice_is_refused(self):
        refused("wrong_step", room(), "partner_b", "agree_plan")
        state = act(room(), "partner_a", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        refused("wrong_step", state, "partner_a", "agree_plan")

    def test_a_new_proposal_resets_the_other_partners_agreement(self):
        state = act(room(), "partner_a", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        state = act(state, "partner_b", "propose_plan", plan=[{"exercise": "tune-in"}])
        assert state["session"]["agreed"] == ["partner_b"] and state["session"]["phase"] == "lobby"

    def test_a_partner_choosing_a_plan_is_seen_by_the_other_and_moves_nothing(self):
        state = room()
        assert "choosing" in view(state, "partner_a")["can"]
        assert view(state, "partner_b")["session"]["choosing"] == []
        seen_by_ben = state["version"]
        state = act(state, "partner_a", "choosing", on=True)
        state["version"] += 1  # what the store writes
        assert view(state, "partner_b")["session"]["choosing"] == ["partner_a"]
        # Ben's tap made on the view from before Ana started choosing still counts: nothing moved.
        assert state["place_version"] <= seen_by_ben
        state = act(state, "partner_b", "set_mode", mode="remote", version=seen_by_ben)
        assert state["mode"] == "remote"
        state = act(state, "partner_a", "choosing", on=False)
        assert view(state, "partner_b")["session"]["choosing"] == []

    def test_suggesting_the_plan_ends_the_choosing_of_whoever_suggested_it(self):
        state = act(act(room(), "partner_a", "choosing", on=True), "partner_b", "choosing", on=True)
        assert view(state, "partner_a")["session"]["choosing"] == ["partner_a", "partner_b"]
        state = act(state, "partner_a", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        assert view(state, "partner_a")["session"]["choosing"] == ["partner_b"]

    def test_choosing_is_for_a_couple_on_its_own_and_only_in_the_lobby(self):
        refused("forbidden", room(moderated=True), "partner_a", "choosing", on=True)
        assert "choosing" not in view(room(moderated=True), "partner_a")["can"]
        refused("forbidden", room(moderated=True), "moderator", "choosing", on=True)
        state = started("take-the-floor")
        refused("wrong_step", state, "partner_a", "choosing", on=True)
        assert view(state, "partner_b")["session"]["choosing"] == []

    def test_the_mode_can_be_changed_in_the_lobby_but_not_during_an_exercise(self):
        assert act(room(), "partner_a", "set_mode", mode="remote")["mode"] == "remote"
        refused("wrong_step", started("take-the-floor"), "partner_a", "set_mode", mode="remote")

    def test_in_a_guided_session_only_the_moderator_sets_the_plan_and_starts(self):
        state = room(moderated=True)
        refused("forbidden", state, "partner_a", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        state = act(state, "moderator", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        refused("forbidden", state, "partner_a", "agree_plan")
        assert "start_session" in view(state, "moderator")["can"]
        assert act(state, "moderator", "start_session")["session"]["phase"] == "running"

    def test_a_moderator_cannot_start_before_both_partners_are_in(self):
        state = room(moderated=True, partners=("Ana",))
        state = act(state, "moderator", "propose_plan", plan=[{"exercise": "take-the-floor"}])
        refused("partner_missing", state, "moderator", "start_session")

    def test_plan_options_reach_the_step(self):
        state = started("take-the-floor", rounds=1)
        assert state["session"]["step"]["rounds"] == 1

    def test_an_option_no_step_of_the_exercise_reads_is_refused_naming_it(self):
        # take-the-floor has only a speaker_listener step: it has no cards to draw.
        plan = [{"exercise": "take-the-floor", "options": {"rounds": 2, "draw": 3}}]
        err = refused("bad_option", room(), "partner_a", "propose_plan", plan=plan)
        assert err.details["field"] == "draw"

    def test_an_option_is_accepted_when_any_step_of_the_exercise_reads_it(self):
        # undivided-attention: timed turns, then cards aloud.
        plan = [{"exercise": "undivided-attention", "options": {"seconds": 60, "draw": 2}}]
        state = act(room(), "partner_a", "propose_plan", plan=plan)
        assert state["session"]["plan"][0]["options"] == {"seconds": 60, "draw": 2}


class TestSteps:
    def test_the_moderator_cannot_act_as_a_partner(self):
        refused("forbidden", started("take-the-floor", moderated=True), "moderator", "share")

    def test_an_intent_of_another_step_kind_is_wrong_step(self):
        refused("wrong_step", started("take-the-floor"), "partner_a", "advance")

    def test_a_finished_step_hands_over_to_the_next_step_of_the_exercise(self):
        state = started("look-inward-first", mode="remote")
        assert state["session"]["step_index"] == 0
        state = act(state, "partner_a", "answer", text="a")
        state = act(state, "partner_b", "answer", text="b")
        state = act(state, "partner_a", "advance")
        state = act(state, "partner_b", "advance")
        assert state["session"]["step_index"] == 1
        assert view(state, "partner_a")["session"]["exercise"]["step"]["kind"] == "speaker_listener"

    def test_exercises_alternate_who_starts(self):
        state = room()
        state = act(state, "partner_a", "propose_plan",
                    plan=[{"exercise": "take-the-floor", "options": {"rounds": 1}},
                          {"exercise": "take-the-floor", "options": {"rounds": 1}}])
        state = act(state, "partner_b", "agree_plan")
        assert state["session"]["step"]["speaker"] == "partner_a"
        state = speak_one_floor(state, "partner_a", "partner_b")
        state = speak_one_floor(state, "partner_b", "partner_a")
        assert state["session"]["index"] == 1 and state["session"]["step"]["speaker"] == "partner_b"


class TestTimeOut:
    def test_either_partner_can_pause_and_it_resumes_only_when_both_are_ready(self):
        state = act(started("take-the-floor"), "partner_b", "timeout")
        assert view(state, "partner_a")["session"]["timeout"] == {"by": "partner_b", "ready": [], "cooldown": None}
        assert view(state, "partner_a")["session"]["exercise"]["step"]["can"] == []
        assert view(state, "partner_a")["session"]["exercise"]["step"]["waiting_for"] == []
        refused("paused", state, "partner_a", "share")
        refused("paused", state, "partner_a", "timeout")
        state = act(state, "partner_b", "ready")
        refused("paused", state, "partner_a", "share")
        refused("wrong_step", state, "partner_b", "ready")
        state = act(state, "partner_a", "ready")
        assert state["session"]["timeout"] is None
        assert act(state, "partner_a", "share")["session"]["step"]["phase"] == "paraphrase"

    def test_ready_without_a_time_out_is_wrong_step(self):
        refused("wrong_step", started("take-the-floor"), "partner_a", "ready")


class TestSummary:
    def finished(self):
        state = started("take-the-floor", mode="remote", rounds=1)
        state = speak_one_floor(state, "partner_a", "partner_b", text="MARKER-A said")
        return speak_one_floor(state, "partner_b", "partner_a", text="MARKER-B said")

    def test_after_the_last_step_the_summary_lists_what_was_shared(self):
        state = self.finished()
        v = view(state, "partner_a")["session"]
        assert v["phase"] == "summary" and v["exercise"] is None
        texts = [e["text"] for e in v["summary"]["entries"]]
        assert "MARKER-A said" in texts and "MARKER-B said" in texts
        assert view(state, "partner_a")["can"] == ["keep_summary"]

    def test_nothing_more_can_be_done_in_a_finished_session(self):
        refused("finished", self.finished(), "partner_a", "share", text="x")

    def test_when_both_keep_it_the_summary_exports_as_markdown_and_json(self):
        state = act(self.finished(), "partner_a", "keep_summary", keep=True)
        with pytest.raises(DomainError):
            summary.export(state, "partner_a")
        state = act(state, "partner_b", "keep_summary", keep=True)
        out = summary.export(state, "partner_b")
        assert "MARKER-A said" in out["markdown"] and "# Our Attune session" in out["markdown"]
        assert json.dumps(out["json"]) and out["json"]["entries"][0]["name"] == "Ana"

    def test_one_no_wipes_every_shared_text_at_once(self):
        state = act(self.finished(), "partner_b", "keep_summary", keep=False)
        assert "MARKER" not in json.dumps(state)
        assert view(state, "partner_a")["session"]["summary"]["erased"] is True
        with pytest.raises(DomainError) as err:
            summary.export(state, "partner_a")
        assert err.value.code == "not_kept"

    def test_after_a_no_the_other_partner_is_no_longer_asked_to_keep(self):
        state = act(self.finished(), "partner_b", "keep_summary", keep=False)
        assert "keep_summary" not in view(state, "partner_a")["can"]
        refused("wrong_step", state, "partner_a", "keep_summary", keep=True)

    def test_with_nothing_written_nobody_is_asked_to_keep_anything(self):
        state = speak_one_floor(started("take-the-floor", rounds=1), "partner_a", "partner_b")
        state = speak_one_floor(state, "partner_b", "partner_a")
        v = view(state, "partner_a")
        assert v["session"]["phase"] == "summary" and v["session"]["summary"]["entries"] == []
        assert "keep_summary" not in v["can"] and "keep_summary" not in view(state, "partner_b")["can"]
        refused("wrong_step", state, "partner_a", "keep_summary", keep=True)

    def test_choosing_twice_is_refused(self):
        state = act(self.finished(), "partner_a", "keep_summary", keep=True)
        refused("wrong_step", state, "partner_a", "keep_summary", keep=False)


class TestDepthThatEmptiesAStep:
    """closeness-36 at depth 1 keeps only Set 1: the sets left empty are passed over, never shown."""

    def test_the_first_set_is_dealt_from_the_gentlest_cards_only(self):
        state = started("closeness-36", depth=1)
        cards = state["session"]["step"]["cards"]
        assert cards and {card["depth"] for card in cards} == {1}
        assert state["session"]["step_index"] == 0

    def test_moving_on_from_set_one_skips_the_empty_sets(self):
        state = started("closeness-36", moderated=True, depth=1)
        state = act(state, "moderator", "advance_step")
        assert state["session"]["phase"] == "summary"

    def test_at_depth_two_the_second_set_follows_and_the_third_is_skipped(self):
        state = started("closeness-36", moderated=True, depth=2)
        state = act(state, "moderator", "advance_step")
        assert state["session"]["step_index"] == 1 and state["session"]["step"]["cards"]
        state = act(state, "moderator", "advance_step")
        assert state["session"]["phase"] == "summary"
