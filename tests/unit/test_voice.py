"""A couple apart chooses how to talk in spoken steps (aloud cards, timed turns): on a call, or by typing."""

import json

import pytest

from server.domain import intents, summary
from server.domain.steps import timed_turns as tt
from server.domain.errors import DomainError
from tests.unit.helpers import act, ctx, room, started, step, view

A, B, MOD = "partner_a", "partner_b", "moderator"
# Timed turns (one each), then three aloud cards: both spoken kinds in one exercise.
SPOKEN = [{"exercise": "undivided-attention", "options": {"draw": 2}}]
TYPED = [{"exercise": "take-the-floor"}]


def refused(code, state, seat, kind, **fields):
    before = json.dumps(state, sort_keys=True)
    with pytest.raises(DomainError) as err:
        act(state, seat, kind, **fields)
    assert err.value.code == code, err.value
    assert json.dumps(state, sort_keys=True) == before  # nothing half-applied
    return err.value


def planned(plan=SPOKEN, voice=None, moderated=False):
    state = room(mode="remote", moderated=moderated)
    if voice:
        state = act(state, B, "set_voice", voice=voice)
    return act(state, MOD if moderated else A, "propose_plan", plan=plan)


def running(voice, moderated=False):
    state = planned(voice=voice, moderated=moderated)
    return act(state, MOD, "start_session") if moderated else act(state, B, "agree_plan")


def speaker_of(state):
    return step(state)["order"][step(state)["turn"]]


def other(seat):
    return B if seat == A else A


class TestTheChoice:
    def test_a_couple_in_one_room_sees_nothing_of_it_and_is_refused_it(self):
        state = act(room(), A, "propose_plan", plan=SPOKEN)
        v = view(state, B)
        assert v["session"]["voice"] is None and "set_voice" not in v["can"]
        refused("not_remote", state, A, "set_voice", voice="call")
        # ...and their plan starts as it always did.
        assert act(state, B, "agree_plan")["session"]["phase"] == "running"

    def test_apart_either_partner_chooses_and_the_last_choice_counts(self):
        state = planned()
        assert view(state, A)["session"]["voice"] == {"needed": True, "choice": None, "by": None}
        assert "set_voice" in view(state, A)["can"] and "set_voice" not in view(room(mode="remote", moderated=True), MOD)["can"]
        state = act(state, A, "set_voice", voice="call")
        state = act(state, B, "set_voice", voice="typing")
        assert view(state, A)["session"]["voice"] == {"needed": True, "choice": "typing", "by": B}

    def test_a_value_other_than_call_or_typing_is_bad_value(self):
        err = refused("bad_value", planned(), A, "set_voice", voice="carrier pigeon")
        assert err.details.get("field") == "voice"

    def test_it_is_a_lobby_choice(self):
        refused("wrong_step", running("call"), A, "set_voice", voice="typing")

    def test_the_moderator_does_not_choose_for_the_couple(self):
        refused("forbidden", planned(moderated=True), MOD, "set_voice", voice="call")


class TestStartingNeedsTheChoice:
    def test_a_plan_with_a_spoken_step_does_not_start_until_they_have_chosen(self):
        assert "agree_plan" not in view(planned(), B)["can"]
        assert "agree_plan" in view(act(planned(), A, "set_voice", voice="call"), B)["can"]
        err = refused("choose_voice", planned(), B, "agree_plan")
        assert "call" in str(err) and "typing" in str(err)
        assert act(act(planned(), A, "set_voice", voice="typing"), B, "agree_plan")["session"]["phase"] == "running"

    def test_the_therapist_cannot_start_it_either(self):
        state = planned(moderated=True)
        assert "start_session" not in view(state, MOD)["can"]
        refused("choose_voice", state, MOD, "start_session")
        assert act(act(state, A, "set_voice", voice="call"), MOD, "start_session")["session"]["phase"] == "running"

    def test_a_plan_of_typed_steps_needs_no_choice(self):
        state = planned(plan=TYPED)
        assert view(state, A)["session"]["voice"]["needed"] is False
        assert act(state, B, "agree_plan")["session"]["phase"] == "running"


class TestTypedTimedTurns:
    def test_the_speaker_writes_during_the_turn_and_the_listener_reads_it_at_once(self):
        state = running("typing")
        talker = speaker_of(state)
        assert view(state, talker)["session"]["exercise"]["step"]["voice"] == "typing"
        refused("wrong_step", state, talker, "write_turn", text="too early")  # the turn has not started
        state = act(state, talker, "start_turn")
        assert "write_turn" in view(state, talker)["can"]
        refused("not_your_turn", state, other(talker), "write_turn", text="not mine to write")
        refused("text_required", state, talker, "write_turn", text="   ")
        state = act(state, talker, "write_turn", text="My day was long.")
        state = act(state, talker, "write_turn", text="And then it got better.")
        seen = view(state, other(talker))["session"]["exercise"]["step"]
        assert seen["typed"] and [p["text"] for p in seen["written"]] == ["My day was long.", "And then it got better."]
        assert {p["seat"] for p in seen["written"]} == {talker} and seen["written"][0]["turn"] == 1

    def test_the_typed_words_are_shared_for_the_summary_and_never_logged(self):
        state = running("typing")
        talker = speaker_of(state)
        state = act(state, talker, "start_turn")
        refused("paused", act(state, A, "timeout"), talker, "write_turn", text="x")  # a time-out holds it too
        new, event = intents.apply_intent(state, talker, {"id": "w1", "type": "write_turn", "text": "SECRET words"}, ctx())
        assert "SECRET" not in json.dumps(event)
        assert summary.what(event, tt) == "wrote in their turn"
        assert summary.what({"type": "voice_set", "voice": "typing"}) == "chose to type the spoken steps"
        assert [(e["seat"], e["label"], e["text"]) for e in new["session"]["shared"]] == \
            [(talker, "wrote in their turn", "SECRET words")]

    def test_a_turn_holds_at_most_twenty_pieces(self):
        state = running("typing")
        talker = speaker_of(state)
        state = act(state, talker, "start_turn")
        for n in range(20):
            state = act(state, talker, "write_turn", text=f"piece {n}")
        err = refused("too_many", state, talker, "write_turn", text="one more")
        assert err.details.get("limit") == "pieces"

    def test_erase_my_words_takes_the_speakers_typed_turn_out_of_the_step_and_the_summary(self):
        state = running("typing", moderated=True)
        talker = speaker_of(state)
        state = act(state, talker, "start_turn")
        state = act(state, talker, "write_turn", text="MINE to erase")
        state = act(state, talker, "erase_my_words")
        assert "MINE" not in json.dumps(state)
        assert step(state)["phase"] == "speaking"  # the turn goes on

    def test_on_a_call_the_turn_is_spoken_and_nothing_can_be_written(self):
        state = running("call")
        talker = speaker_of(state)
        state = act(state, talker, "start_turn")
        v = view(state, talker)["session"]["exercise"]["step"]
        assert v["voice"] == "call" and not v["typed"] and "write_turn" not in v["can"]
        refused("wrong_step", state, talker, "write_turn", text="on the call")


def to_the_cards(state):
    """End both timed turns, so the aloud deck is on the table."""
    for _ in range(2):
        talker = speaker_of(state)
        state = act(act(state, talker, "start_turn"), talker, "end_turn")
    assert step(state)["cards"]
    return state


class TestAloudCardsApart:
    def test_typing_deals_them_as_a_reveal_deck_each_writes_and_both_are_shown_together(self):
        state = to_the_cards(running("typing"))
        v = view(state, A)["session"]["exercise"]["step"]
        assert v["mode"] == "reveal" and v["phase"] == "answering" and v["voice"] == "typing"
        refused("text_required", state, A, "answer")
        state = act(state, A, "answer", text="ANA's answer")
        assert "ANA" not in json.dumps(view(state, B))  # private until both have answered
        state = act(state, B, "answer", text="BEN's answer")
        answers = view(state, B)["session"]["exercise"]["step"]["answers"]
        assert step(state)["phase"] == "revealed" and answers[A]["text"] == "ANA's answer"

    def test_on_a_call_they_stay_aloud_and_an_answer_may_be_said_without_typing(self):
        state = to_the_cards(running("call"))
        v = view(state, A)["session"]["exercise"]["step"]
        assert v["mode"] == "aloud" and v["voice"] == "call"
        first = step(state)["first"]
        state = act(state, first, "answer")
        assert step(state)["phase"] == "second"

    def test_without_the_choice_an_apart_couple_still_types_them_in_turn_as_before(self):
        # A room started before the choice existed: no voice, the old typed-in-turn behaviour.
        state = to_the_cards(running("call"))
        del state["session"]["voice"]
        refused("text_required", state, step(state)["first"], "answer")
