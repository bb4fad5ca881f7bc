"""Timed together: a quiet moment both share in one room, held by the server's clock, with a way out for either."""

import copy

import pytest

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import timed_together as together
from server.library import load_library
from tests.unit.helpers import act, started, step, view

LIB = load_library("exercises")
GAZE, MIRROR = LIB.get("eyes-and-mirrors")["steps"]
NOW = 1_800_000_000.0
A, B, MOD = "partner_a", "partner_b", "moderator"


def ctx(mode="same_room", now=NOW, **options):
    return StepCtx(now=now, seed=7, mode=mode, first=A, options=options)


def apply(st, seat, type_, c=None):
    before = copy.deepcopy(st)
    new, shared = together.apply(st, seat, {"type": type_}, c or ctx())
    assert st == before and shared == []
    return new


def refused(st, seat, type_, code, c=None):
    with pytest.raises(DomainError) as caught:
        together.apply(st, seat, {"type": type_}, c or ctx())
    assert caught.value.code == code, caught.value


def running(spec=GAZE):
    st = together.start(spec, ctx())
    return apply(apply(st, A, "together_ready"), B, "together_ready")


def test_the_clock_starts_only_when_both_are_ready_and_the_server_ends_the_moment():
    st = together.start(GAZE, ctx())
    assert together.view(st, A, ctx())["waiting_for"] == [A, B]
    st = apply(st, A, "together_ready")
    assert st["phase"] == "ready" and together.deadline(st) is None
    assert together.view(st, A, ctx())["can"] == ["together_stop"]
    refused(st, A, "together_ready", "wrong_step")
    st = apply(st, B, "together_ready", ctx(now=NOW + 5))
    assert st["phase"] == "running" and together.deadline(st) == NOW + 5 + GAZE["seconds"]
    assert together.tick(st, ctx(now=NOW + 5 + GAZE["seconds"] - 1)) is None
    ended, shared = together.tick(st, ctx(now=NOW + 5 + GAZE["seconds"]))
    assert together.done(ended) and shared == [] and ended["stopped_by"] is None


def test_either_partner_may_stop_at_any_moment_and_nothing_more_is_asked():
    for st in (together.start(GAZE, ctx()), running()):
        for seat in (A, B):
            stopped = apply(st, seat, "together_stop")
            assert together.done(stopped) and stopped["stopped_by"] == seat
            assert together.deadline(stopped) is None
            assert together.view(stopped, A, ctx())["can"] == [] == together.view(stopped, B, ctx())["can"]
    assert together.view(running(), B, ctx())["can"] == ["together_stop"]


def test_the_plan_may_set_the_length_within_its_range():
    assert together.start(GAZE, ctx())["seconds"] == GAZE["seconds"]
    assert together.start(GAZE, ctx(together_seconds=180))["seconds"] == 180
    assert together.OPTIONS["together_seconds"] == {"type": "integer", "minimum": 30, "maximum": 600}


def test_mirroring_takes_turns_leading_and_each_round_starts_when_both_are_ready():
    st = running(MIRROR)
    assert together.view(st, A, ctx())["role"] == "leader" and together.view(st, B, ctx())["role"] == "mirror"
    st, _ = together.tick(st, ctx(now=NOW + MIRROR["seconds"]))
    assert st["phase"] == "ready" and st["ready"] == {A: False, B: False}
    assert together.view(st, B, ctx())["role"] == "leader" and together.view(st, B, ctx())["turn"] == {"number": 2, "of": 2}
    st = apply(apply(st, A, "together_ready"), B, "together_ready")
    st, _ = together.tick(st, ctx(now=NOW + MIRROR["seconds"]))
    assert together.done(st)


def test_a_moderators_swap_hands_the_lead_over_and_a_gaze_has_no_roles():
    st = running(MIRROR)
    swapped = together.swap_roles(st, ctx())
    assert together.view(swapped, B, ctx())["role"] == "leader" and swapped["phase"] == "ready"
    assert together.swap_roles(running(), ctx()) == running()


def test_in_a_remote_session_it_says_it_needs_one_room_and_both_go_on():
    st = together.start(GAZE, ctx("remote"))
    shown = together.view(st, A, ctx("remote"))
    assert st["phase"] == "apart" and shown["same_room"] is False and shown["can"] == ["together_skip"]
    refused(st, A, "together_ready", "wrong_step", ctx("remote"))
    st = apply(st, A, "together_skip")
    assert not together.done(st) and together.view(st, A, ctx("remote"))["waiting_for"] == [B]
    assert together.done(apply(st, B, "together_skip"))


def test_a_time_out_keeps_the_seconds_left_and_the_moderator_may_change_the_timer():
    st = running()
    paused = together.pause(st, ctx(now=NOW + 30))
    assert together.deadline(paused) is None and paused["paused_remaining"] == GAZE["seconds"] - 30
    resumed = together.resume(paused, ctx(now=NOW + 100))
    assert together.deadline(resumed) == NOW + 100 + GAZE["seconds"] - 30
    assert together.adjustable(st) and not together.adjustable(together.start(GAZE, ctx()))
    assert together.adjust_clock(st, 30, ctx())["deadline"] == NOW + GAZE["seconds"] + 30
    assert together.adjust_clock(together.start(GAZE, ctx()), 30, ctx()) is None


def test_the_moderator_and_a_finished_step_are_refused():
    refused(together.start(GAZE, ctx()), MOD, "together_ready", "not_your_turn")
    refused(apply(running(), A, "together_stop"), B, "together_stop", "finished")
    refused(running(), A, "together_ready", "wrong_step")


def test_stopping_the_gaze_over_the_session_goes_straight_on_to_mirroring():
    state = started("eyes-and-mirrors")
    state = act(state, "partner_b", "together_stop")
    assert state["session"]["step_index"] == 1 and step(state)["lead"] is True
    assert view(state, "partner_a")["session"]["exercise"]["step"]["instructions"].keys() == {"both", "leader"}
