"""The timed-turns step: each partner speaks for a set time; the server holds the deadline."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import timed_turns as tt
from server.domain.steps.common import other
from server.library import load_library

LIB = load_library("exercises")
SPEC = LIB.get("undivided-attention")["steps"][0]  # 300 s, 1 turn each
TAUGHT = LIB.get("what-we-were-taught")["steps"][1]  # 180 s, 1 turn each
NOW = 1_800_000_000.0
A, B, MOD = "partner_a", "partner_b", "moderator"
SEATS = (A, B, MOD)
START, END = {"type": "start_turn"}, {"type": "end_turn"}


def ctx(now=NOW, first=A, **options):
    return StepCtx(now=now, seed=7, mode="remote", first=first, options=options)


def started(spec=SPEC, first=A, **options):
    return tt.start(spec, ctx(first=first, **options))


def apply(st, seat, intent, now=NOW):
    """Apply and also check the machine left its argument alone."""
    before = copy.deepcopy(st)
    new, shared = tt.apply(st, seat, intent, ctx(now))
    assert st == before
    assert shared == []  # nothing is typed in this step
    return new


def refused(st, seat, intent, code, now=NOW):
    before = copy.deepcopy(st)
    with pytest.raises(DomainError) as err:
        tt.apply(st, seat, intent, ctx(now))
    assert err.value.code == code
    assert st == before


def view(st, seat=A, now=NOW):
    return tt.view(st, seat, ctx(now))


def tick(st, now):
    before = copy.deepcopy(st)
    out = tt.tick(st, ctx(now))
    assert st == before
    return out


def finished_step():
    s = apply(started(), A, START)
    s = apply(s, A, END)
    s = apply(s, B, START)
    return apply(s, B, END)


class TestStart:
    def test_the_first_partner_is_ready_to_speak_and_the_other_listens(self):
        v = view(started())
        assert v["phase"] == "ready"
        assert (v["speaker"], v["listener"]) == (A, B)
        assert v["role"] == "speaker"
        assert view(started(), B)["role"] == "listener"
        assert v["waiting_for"] == [A]
        assert v["turn"] == {"number": 1, "of": 2}
        assert v["seconds"] == 300
        assert v["deadline"] is None
        assert v["paused"] is False and v["remaining"] is None

    def test_the_first_speaker_comes_from_the_context(self):
        assert view(started(first=B))["speaker"] == B

    def test_only_the_speaker_can_start_the_turn(self):
        s = started()
        assert view(s, A)["can"] == ["start_turn"]
        assert view(s, B)["can"] == []
        assert view(s, MOD)["can"] == []

    def test_the_moderator_is_an_observer(self):
        assert view(started(), MOD)["role"] == "observer"

    def test_seconds_and_turns_come_from_the_exercise_file(self):
        v = view(started(TAUGHT))
        assert v["seconds"] == 180
        assert v["turn"]["of"] == 2

    def test_the_plan_options_override_seconds_and_turns(self):
        v = view(started(seconds=60, turns=3))
        assert v["seconds"] == 60
        assert v["turn"]["of"] == 6

    def test_there_is_no_deadline_before_the_speaker_starts(self):
        assert tt.deadline(started()) is None
        assert tick(started(), NOW + 10_000) is None


class TestSpeaking:
    def test_starting_a_turn_sets_an_absolute_deadline_of_now_plus_the_seconds(self):
        s = apply(started(), A, START, now=NOW + 12.5)
        assert tt.deadline(s) == NOW + 12.5 + 300
        v = view(s)
        assert v["phase"] == "speaking"
        assert v["deadline"] == NOW + 12.5 + 300
        assert v["can"] == ["end_turn"]
        assert view(s, B)["can"] == []

    def test_the_deadline_follows_the_plans_seconds(self):
        s = apply(started(seconds=45), A, START)
        assert tt.deadline(s) == NOW + 45

    def test_a_tick_before_the_deadline_does_nothing(self):
        s = apply(started(), A, START)
        assert tick(s, NOW + 299.999) is None

    def test_a_tick_at_the_deadline_ends_the_turn_and_readies_the_next_speaker(self):
        s = apply(started(), A, START)
        s, shared = tick(s, NOW + 300)
        assert shared == []
        v = view(s)
        assert v["phase"] == "ready"
        assert (v["speaker"], v["listener"]) == (B, A)
        assert v["turn"] == {"number": 2, "of": 2}
        assert v["deadline"] is None

    def test_a_late_tick_moves_on_exactly_once(self):
        s = apply(started(), A, START)
        s, _ = tick(s, NOW + 900)
        assert tick(s, NOW + 900) is None
        assert tick(s, NOW + 5000) is None
        assert view(s)["turn"]["number"] == 2

    def test_the_speaker_may_end_the_turn_early(self):
        s = apply(started(), A, START)
        s = apply(s, A, END, now=NOW + 20)
        v = view(s)
        assert v["phase"] == "ready" and v["speaker"] == B
        assert tt.deadline(s) is None

    def test_the_last_turn_ending_by_the_clock_finishes_the_step(self):
        s = apply(started(), A, START)
        s, _ = tick(s, NOW + 300)
        s = apply(s, B, START, now=NOW + 400)
        s, _ = tick(s, NOW + 700)
        assert tt.done(s)
        v = view(s)
        assert v["phase"] == "done"
        assert v["waiting_for"] == [] and v["can"] == []
        assert v["deadline"] is None
        assert v["turn"] == {"number": 2, "of": 2}

    def test_the_last_turn_ended_early_finishes_the_step(self):
        assert tt.done(finished_step())

    def test_the_state_is_plain_json(self):
        s = apply(started(), A, START)
        assert json.loads(json.dumps(s)) == s


class TestOrder:
    def test_turns_alternate_first_second_first_second(self):
        s = started(turns=3, first=B)
        speakers = []
        while not tt.done(s):
            v = view(s)
            speakers.append(v["speaker"])
            assert v["turn"]["number"] == len(speakers)
            s = apply(s, v["speaker"], START)
            s = apply(s, v["speaker"], END)
        assert speakers == [B, A, B, A, B, A]

    def test_each_partner_gets_the_planned_number_of_turns(self):
        s = started(turns=4)
        assert s["order"].count(A) == s["order"].count(B) == 4


class TestPause:
    def test_pausing_keeps_the_remaining_seconds_and_clears_the_deadline(self):
        s = apply(started(), A, START)
        s = tt.pause(s, ctx(NOW + 100))
        assert tt.deadline(s) is None
        v = view(s)
        assert v["phase"] == "speaking"
        assert v["deadline"] is None
        assert v["paused"] is True and v["remaining"] == 200
        assert s["paused_remaining"] == 200

    def test_no_tick_ends_a_paused_turn(self):
        s = tt.pause(apply(started(), A, START), ctx(NOW + 100))
        assert tick(s, NOW + 10_000) is None

    def test_resuming_shifts_the_deadline_by_the_paused_duration(self):
        s = apply(started(), A, START)
        s = tt.pause(s, ctx(NOW + 100))
        s = tt.resume(s, ctx(NOW + 160))
        assert tt.deadline(s) == NOW + 300 + 60
        assert view(s)["paused"] is False and view(s)["remaining"] is None
        assert tick(s, NOW + 359) is None
        assert tick(s, NOW + 360) is not None

    def test_the_speaker_may_end_a_paused_turn(self):
        s = tt.pause(apply(started(), A, START), ctx(NOW + 100))
        s = apply(s, A, END)
        assert view(s)["phase"] == "ready" and view(s)["remaining"] is None

    def test_pausing_twice_keeps_the_first_remaining_time(self):
        s = tt.pause(apply(started(), A, START), ctx(NOW + 100))
        assert tt.pause(s, ctx(NOW + 250)) == s

    def test_pausing_after_the_deadline_passed_leaves_no_time_and_resuming_ends_at_once(self):
        s = tt.pause(apply(started(), A, START), ctx(NOW + 400))
        assert s["paused_remaining"] == 0
        s = tt.resume(s, ctx(NOW + 500))
        assert tick(s, NOW + 500) is not None

    def test_pause_and_resume_change_nothing_outside_a_spoken_turn(self):
        s = started()
        assert tt.pause(s, ctx()) == s
        assert tt.resume(s, ctx()) == s
        s = apply(s, A, START)
        assert tt.resume(s, ctx()) == s  # running, not paused
        done = finished_step()
        assert tt.pause(done, ctx()) == done

    def test_pause_and_resume_never_change_their_argument(self):
        s = apply(started(), A, START)
        before = copy.deepcopy(s)
        paused = tt.pause(s, ctx(NOW + 10))
        assert s == before
        before = copy.deepcopy(paused)
        tt.resume(paused, ctx(NOW + 20))
        assert paused == before


class TestSwapRoles:
    def test_the_current_turn_goes_to_the_other_partner_from_ready(self):
        s = apply(started(), A, START)
        s = tt.swap_roles(s, ctx(NOW + 30))
        v = view(s)
        assert v["phase"] == "ready"
        assert (v["speaker"], v["listener"]) == (B, A)
        assert v["deadline"] is None and v["remaining"] is None
        assert v["turn"]["number"] == 1

    def test_after_a_swap_at_the_start_the_order_still_alternates(self):
        s = tt.swap_roles(started(turns=2), ctx())
        assert s["order"] == [B, A, B, A]

    def test_a_swap_mid_round_keeps_each_partners_number_of_turns(self):
        s = apply(apply(started(turns=2), A, START), A, END)  # B's turn, 2 of 4
        s = tt.swap_roles(s, ctx())
        assert s["order"] == [A, A, B, B]
        assert view(s)["speaker"] == A and view(s)["turn"]["number"] == 2

    def test_a_swap_when_the_other_has_no_turn_left_changes_nothing(self):
        s = apply(apply(started(), A, START), A, END)  # B's last turn; A has spoken
        s = apply(s, B, START)
        assert tt.swap_roles(s, ctx()) == s

    def test_a_swap_of_a_paused_turn_clears_the_pause(self):
        s = tt.pause(apply(started(), A, START), ctx(NOW + 10))
        s = tt.swap_roles(s, ctx(NOW + 20))
        assert s["paused_remaining"] is None and view(s)["phase"] == "ready"

    def test_a_swap_after_done_changes_nothing(self):
        s = finished_step()
        assert tt.swap_roles(s, ctx()) == s

    def test_a_swap_never_changes_its_argument(self):
        s = apply(started(), A, START)
        before = copy.deepcopy(s)
        tt.swap_roles(s, ctx())
        assert s == before


class TestRefusals:
    def test_the_listener_cannot_start_the_speakers_turn(self):
        refused(started(), B, START, "not_your_turn")

    def test_the_listener_cannot_end_the_speakers_turn(self):
        refused(apply(started(), A, START), B, END, "not_your_turn")

    @pytest.mark.parametrize("intent", [START, END])
    def test_the_moderator_can_neither_start_nor_end_a_turn(self, intent):
        s = started()
        if intent is END:
            s = apply(s, A, START)
        refused(s, MOD, intent, "not_your_turn")

    def test_ending_a_turn_that_has_not_started_is_the_wrong_step(self):
        refused(started(), A, END, "wrong_step")

    def test_starting_a_turn_twice_is_the_wrong_step(self):
        refused(apply(started(), A, START), A, START, "wrong_step")

    def test_an_intent_of_another_step_kind_is_the_wrong_step(self):
        refused(started(), A, {"type": "advance"}, "wrong_step")

    @pytest.mark.parametrize("seat", SEATS)
    @pytest.mark.parametrize("intent", [START, END, {"type": "advance"}])
    def test_after_done_everything_is_refused_as_finished(self, seat, intent):
        refused(finished_step(), seat, intent, "finished")

    def test_after_done_there_is_no_deadline_and_ticks_do_nothing(self):
        s = finished_step()
        assert tt.deadline(s) is None
        assert tick(s, NOW + 10_000) is None


class TestInterface:
    def test_the_intents_are_start_and_end_turn_without_fields_and_write_turn_with_its_text(self):
        assert tt.KIND == "timed_turns"
        assert tt.INTENTS == {"start_turn": ({}, []), "end_turn": ({}, []),
                              "write_turn": ({"text": {"type": "string", "maxLength": 2000}}, ["text"])}


# --- properties ----------------------------------------------------------

# Weighted by repetition: mostly moves of the current speaker, time passing and ticks; the listener,
# the moderator, time-outs and swaps now and then. "speaker"/"listener" name the seat at that moment.
# "wait" lets time pass and then ticks, as the server's timer would; "wait_quietly" lets a deadline
# pass unnoticed for a while (a late timer); "tick" is a tick at any moment, due or not.
ACTIONS = (["speaker"] * 6 + ["listener", "moderator"] + ["wait"] * 3 + ["wait_quietly", "tick", "tick"]
           + ["pause", "resume", "swap"])
# The intent is "right" (what the speaker's view offers, if anything) or one picked blindly.
actions = st_.tuples(st_.sampled_from(ACTIONS), st_.sampled_from(["right", "right", START, END, {"type": "advance"}]),
                     st_.one_of(st_.sampled_from([0.5, 10.0, 29.999, 30.0, 45.0, 120.0]), st_.floats(0, 90)))


def check_invariants(s, turns, now):
    views = {seat: tt.view(s, seat, ctx(now)) for seat in SEATS}
    roles = sorted(views[seat]["role"] for seat in (A, B))
    assert roles == ["listener", "speaker"]  # exactly one speaker
    assert views[MOD]["role"] == "observer"
    v = views[A]
    assert v["speaker"] != v["listener"] and {v["speaker"], v["listener"]} == {A, B}
    assert all(views[seat]["speaker"] == v["speaker"] for seat in SEATS)
    speaking_unpaused = s["phase"] == "speaking" and s["paused_remaining"] is None
    assert (tt.deadline(s) is not None) == speaking_unpaused
    assert (v["deadline"] is not None) == speaking_unpaused
    assert (v["remaining"] is not None) == (s["phase"] == "speaking" and not speaking_unpaused)
    assert 1 <= v["turn"]["number"] <= v["turn"]["of"] == 2 * turns
    assert s["turn"] <= len(s["order"])
    assert s["order"].count(A) == s["order"].count(B) == turns
    assert json.loads(json.dumps(s)) == s
    for seat in SEATS:
        w = views[seat]
        if seat not in w["waiting_for"]:
            assert w["can"] == []
        for kind in w["can"]:
            tt.apply(s, seat, {"type": kind}, ctx(now))  # must not raise


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=st_.integers(1, 3), first=st_.sampled_from([A, B]), script=st_.lists(actions, min_size=20, max_size=60))
def test_any_sequence_of_moves_ticks_and_time_outs_keeps_the_turns_consistent(turns, first, script):
    s = started(turns=turns, first=first, seconds=30)
    now = NOW
    check_invariants(s, turns, now)
    for action, intent, seconds in script:
        before = copy.deepcopy(s)
        if action in ("wait", "wait_quietly"):
            now += seconds
            if action == "wait_quietly":
                continue
            action = "tick"
        if action in ("speaker", "listener", "moderator"):
            seat = {"speaker": tt.speaker(s), "listener": other(tt.speaker(s)), "moderator": MOD}[action]
            if intent == "right":
                offered = tt.view(s, tt.speaker(s), ctx(now))["can"]
                intent = {"type": offered[0]} if offered else START
            try:
                new, shared = tt.apply(s, seat, intent, ctx(now))
            except DomainError as err:
                assert err.code in {"not_your_turn", "wrong_step", "finished"}
                assert s == before  # a refusal changes nothing
                if tt.done(s):
                    assert err.code == "finished"
                continue
            assert seat == tt.speaker(s) and shared == []
        elif action == "tick":
            out = tt.tick(s, ctx(now))
            due = tt.deadline(s)
            assert (out is None) == (due is None or now < due)
            if out is None:
                continue
            new, shared = out
            assert shared == [] and tt.tick(new, ctx(now)) is None  # exactly once
        else:
            new = {"pause": tt.pause, "resume": tt.resume, "swap": tt.swap_roles}[action](s, ctx(now))
        assert s == before  # the argument is never mutated
        assert new["turn"] >= s["turn"]
        s = new
        check_invariants(s, turns, now)
    if tt.done(s):
        for seat in SEATS:
            for intent in (START, END):
                with pytest.raises(DomainError) as err:
                    tt.apply(s, seat, intent, ctx(now))
                assert err.value.code == "finished"


@settings(max_examples=200, deadline=None)
@given(turns=st_.integers(1, 4), waits=st_.lists(st_.floats(0.5, 120, allow_nan=False), min_size=1, max_size=30))
def test_left_to_the_clock_every_turn_ends_once_at_its_deadline(turns, waits):
    s = started(turns=turns, seconds=60)
    now, started_at, ended, ticks = NOW, None, [], 0
    while not tt.done(s):
        v = tt.view(s, A, ctx(now))
        if v["phase"] == "ready":
            s, _ = tt.apply(s, v["speaker"], START, ctx(now))
            started_at = now
            continue
        assert tt.deadline(s) == started_at + 60
        now += waits[ticks % len(waits)]
        ticks += 1
        out = tt.tick(s, ctx(now))
        if now < started_at + 60:
            assert out is None
            continue
        s, _ = out
        assert tt.tick(s, ctx(now)) is None
        ended.append((v["speaker"], v["turn"]["number"]))
    assert [n for _, n in ended] == list(range(1, 2 * turns + 1))
    assert [seat for seat, _ in ended] == [A, B] * turns
