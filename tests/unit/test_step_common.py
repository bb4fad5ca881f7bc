"""The pieces the step kinds share: one clock in one phase, the apply guard, blanking a seat's slots."""

import copy

import pytest

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import common

NOW = 1_800_000_000.0
A, B = "partner_a", "partner_b"


def ctx(now=NOW):
    return StepCtx(now=now, seed=1, mode="remote", first=A, options={})


def _ran_out(st):
    new = common.copied(st)
    new["phase"] = "over"
    common.clear_clock(new)
    return new


deadline, tick, pause, resume, adjustable, adjust_clock = common.clock("running", _ran_out)


def waiting():
    return {"phase": "waiting", "deadline": None, "paused_remaining": None}


def running(seconds=60, now=NOW):
    st = dict(waiting(), phase="running")
    common.run_clock(st, seconds, ctx(now))
    return st


def untouched(fn, st, *args):
    """Call fn and check it left its argument alone."""
    before = copy.deepcopy(st)
    out = fn(st, *args)
    assert st == before
    return out


def test_run_clock_sets_a_deadline_from_now_and_clears_a_pause():
    st = dict(waiting(), paused_remaining=12.0)
    common.run_clock(st, 60, ctx())
    assert st == {"phase": "waiting", "deadline": NOW + 60, "paused_remaining": None}


def test_clear_clock_takes_off_the_deadline_and_the_pause():
    st = {"phase": "running", "deadline": NOW, "paused_remaining": 3.0, "other": 1}
    common.clear_clock(st)
    assert st == {"phase": "running", "deadline": None, "paused_remaining": None, "other": 1}


def test_the_deadline_counts_only_in_the_running_phase():
    assert deadline(running()) == NOW + 60
    assert deadline(dict(running(), phase="waiting")) is None
    assert deadline(waiting()) is None
    assert adjustable(running()) and not adjustable(waiting())


def test_tick_does_nothing_before_the_deadline_and_runs_out_at_it():
    st = running()
    assert untouched(tick, st, ctx(NOW + 59.9)) is None
    new, shared = untouched(tick, st, ctx(NOW + 60))
    assert shared == [] and new == {"phase": "over", "deadline": None, "paused_remaining": None}
    assert tick(new, ctx(NOW + 1000)) is None  # a repeated tick is harmless
    assert tick(waiting(), ctx(NOW + 1000)) is None


def test_a_pause_keeps_the_seconds_left_and_a_resume_gives_them_back():
    paused = untouched(pause, running(), ctx(NOW + 45))
    assert paused == {"phase": "running", "deadline": None, "paused_remaining": 15.0}
    assert deadline(paused) is None and tick(paused, ctx(NOW + 1000)) is None
    assert pause(paused, ctx(NOW + 50)) is paused  # already paused: nothing to stop
    resumed = untouched(resume, paused, ctx(NOW + 500))
    assert resumed == {"phase": "running", "deadline": NOW + 515, "paused_remaining": None}


def test_a_pause_past_the_deadline_keeps_no_negative_seconds():
    assert pause(running(), ctx(NOW + 90))["paused_remaining"] == 0.0


def test_pause_and_resume_leave_a_stopped_clock_alone():
    st = waiting()
    assert pause(st, ctx()) is st
    assert resume(st, ctx()) is st
    clock_running = running()
    assert resume(clock_running, ctx(NOW + 5)) is clock_running  # not paused: nothing to restart
    left_over = dict(waiting(), paused_remaining=9.0)  # seconds left, but not in the running phase
    assert resume(left_over, ctx()) is left_over


def test_adjusting_moves_the_deadline_but_never_into_the_past():
    st = running()
    assert untouched(adjust_clock, st, 30, ctx(NOW + 10))["deadline"] == NOW + 90
    assert adjust_clock(st, -20, ctx(NOW + 10))["deadline"] == NOW + 40
    assert adjust_clock(st, -300, ctx(NOW + 10))["deadline"] == NOW + 10


def test_adjusting_a_paused_clock_changes_its_seconds_left_never_below_zero():
    paused = pause(running(), ctx(NOW + 45))
    assert untouched(adjust_clock, paused, 30, ctx(NOW + 50)) == dict(paused, paused_remaining=45.0)
    assert adjust_clock(paused, -100, ctx(NOW + 50))["paused_remaining"] == 0.0


def test_adjusting_without_a_running_clock_is_none():
    assert adjust_clock(waiting(), 30, ctx()) is None


def test_no_clock_is_the_no_ops_in_the_order_clock_gives():
    no_deadline, no_tick, no_pause, no_resume, never, no_adjust = common.NO_CLOCK
    st = running()
    assert no_deadline(st) is None and no_tick(st, ctx(NOW + 100)) is None
    assert no_pause(st, ctx()) is st and no_resume(st, ctx()) is st
    assert never(st) is False and no_adjust(st, 30, ctx()) is None


PHASES = {"one": ("go", "stop"), "two": ("stop",), "done": ()}
DOING = {"one": "go", "two": "stop"}


def guarded(st, seat, kind, actors=(A,), who="speaker"):
    common.guard(st, seat, kind, phases=PHASES, doing=DOING, actors=actors, who=who)


def refusal(st, seat, kind, **kw):
    with pytest.raises(DomainError) as err:
        guarded(st, seat, kind, **kw)
    return err.value


@pytest.mark.parametrize("phase, kind", [("one", "go"), ("one", "stop"), ("two", "stop")])
def test_the_guard_lets_a_move_the_phase_takes_from_an_actor_through(phase, kind):
    assert guarded({"phase": phase}, A, kind) is None


def test_the_guard_says_finished_first():
    err = refusal({"phase": "done"}, B, "nonsense")
    assert err.code == "finished"


def test_the_guard_says_wrong_step_with_what_it_is_time_for_before_whose_turn():
    err = refusal({"phase": "two"}, B, "go")
    assert err.code == "wrong_step" and "now it is time to stop" in err.message


def test_the_guard_says_not_your_turn_naming_who_may_move():
    err = refusal({"phase": "one"}, B, "go", who="speaker")
    assert err.code == "not_your_turn" and "speaker" in err.message
    assert guarded({"phase": "one"}, B, "go", actors=(A, B)) is None


def test_blanked_empties_only_the_named_slots_on_a_copy():
    st = {"phase": "p", "current": {"share": "words", "paraphrase": "mine", "other": None}}
    new = untouched(common.blanked, st, ("share", "other"))
    assert new == {"phase": "p", "current": {"share": None, "paraphrase": "mine", "other": None}}


def test_blanked_returns_the_state_itself_when_nothing_is_there():
    st = {"phase": "p", "current": {"share": None, "paraphrase": "mine"}}
    assert common.blanked(st, ("share",)) is st
    assert common.blanked(st, ()) is st
