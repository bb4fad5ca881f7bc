"""Speaker-Listener Technique: every transition and every refusal, plus random play."""

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import speaker_listener as sl

SPEC = {"kind": "speaker_listener", "title": "t", "instructions": {"speaker": "s", "listener": "l"},
        "topics": ["x"], "rounds": 1}


def ctx(mode="same_room", **options):
    return StepCtx(now=0.0, seed=1, mode=mode, first="partner_a", options=options)


def move(state, seat, kind, c=None, **fields):
    new, shared = sl.apply(state, seat, {"id": "x", "type": kind, **fields}, c or ctx())
    return new, shared


def code_of(state, seat, kind, c=None, **fields):
    with pytest.raises(DomainError) as err:
        move(state, seat, kind, c, **fields)
    return err.value.code


def test_the_first_partner_holds_the_floor_and_shares_first():
    st0 = sl.start(SPEC, ctx())
    v = sl.view(st0, "partner_a", ctx())
    assert (v["role"], v["phase"], v["can"]) == ("speaker", "share", ["share"])
    assert sl.view(st0, "partner_b", ctx())["can"] == []


def test_share_paraphrase_check_then_continue_returns_to_sharing():
    s, shared = move(sl.start(SPEC, ctx()), "partner_a", "share", text="I felt alone")
    assert s["phase"] == "paraphrase" and shared == [{"seat": "partner_a", "label": "shared", "text": "I felt alone"}]
    s, _ = move(s, "partner_b", "paraphrase", text="You felt alone")
    assert s["phase"] == "check"
    s, _ = move(s, "partner_a", "check", accurate=True)
    assert s["phase"] == "next"
    s, _ = move(s, "partner_a", "continue")
    assert s["phase"] == "share" and s["chunks"] == 1 and s["current"]["share"] is None


def test_not_quite_loops_back_to_paraphrase_as_often_as_needed():
    s, _ = move(sl.start(SPEC, ctx()), "partner_a", "share")
    for n in range(1, 4):
        s, _ = move(s, "partner_b", "paraphrase")
        s, _ = move(s, "partner_a", "check", accurate=False, text=f"I meant {n}")
        assert s["phase"] == "paraphrase" and s["clarifications"] == n
        assert s["current"]["clarify"] == f"I meant {n}"


def test_passing_the_floor_swaps_roles_and_the_step_ends_after_each_held_it_rounds_times():
    s = sl.start(SPEC, ctx(rounds=2))
    for speaker, listener in [("partner_a", "partner_b"), ("partner_b", "partner_a")] * 2:
        assert (s["speaker"], s["listener"]) == (speaker, listener)
        s, _ = move(s, speaker, "share")
        s, _ = move(s, listener, "paraphrase")
        s, _ = move(s, speaker, "check", accurate=True)
        s, _ = move(s, speaker, "pass_floor")
    assert sl.done(s)
    assert code_of(s, "partner_a", "share") == "finished"


def test_said_aloud_needs_no_text_but_remote_does():
    s = sl.start(SPEC, ctx())
    assert move(s, "partner_a", "share")[1] == []
    assert code_of(s, "partner_a", "share", ctx("remote")) == "text_required"
    assert code_of(s, "partner_a", "share", ctx("remote"), text="   ") == "text_required"


@pytest.mark.parametrize("kind,fields", [("paraphrase", {}), ("check", {"accurate": True}), ("continue", {}),
                                         ("pass_floor", {})])
def test_moves_out_of_order_are_wrong_step(kind, fields):
    assert code_of(sl.start(SPEC, ctx()), "partner_a", kind, **fields) == "wrong_step"


def test_the_listener_cannot_share_and_the_speaker_cannot_paraphrase():
    s = sl.start(SPEC, ctx())
    assert code_of(s, "partner_b", "share") == "not_your_turn"
    s, _ = move(s, "partner_a", "share")
    assert code_of(s, "partner_a", "paraphrase") == "not_your_turn"
    assert code_of(s, "moderator", "paraphrase") == "not_your_turn"


def test_apply_never_changes_the_state_it_was_given():
    s = sl.start(SPEC, ctx())
    before = copy.deepcopy(s)
    move(s, "partner_a", "share", text="x")
    assert s == before


def test_swapping_roles_gives_the_floor_to_the_listener_from_a_fresh_chunk():
    s, _ = move(sl.start(SPEC, ctx()), "partner_a", "share", text="x")
    s = sl.swap_roles(s, ctx())
    assert (s["speaker"], s["phase"], s["current"]["share"]) == ("partner_b", "share", None)


SEATS = st.sampled_from(["partner_a", "partner_b", "moderator"])
MOVES = st.sampled_from([("share", {}), ("paraphrase", {}), ("check", {"accurate": True}),
                         ("check", {"accurate": False}), ("continue", {}), ("pass_floor", {})])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(SEATS, MOVES, st.booleans()), max_size=60), st.integers(1, 3))
def test_random_play_keeps_one_floor_holder_and_the_view_never_lies(plays, rounds):
    c = ctx(rounds=rounds)
    s = sl.start(SPEC, c)
    for seat, (kind, fields), with_text in plays:
        extra = {"text": "words"} if with_text else {}
        before = json.dumps(s, sort_keys=True)
        offered = kind in sl.view(s, seat, c)["can"]
        try:
            s, _ = move(s, seat, kind, c, **fields, **extra)
            assert offered, (seat, kind, json.loads(before))
        except DomainError as err:
            assert json.dumps(s, sort_keys=True) == before
            assert not offered or err.code == "text_required"
            if sl.done(s):
                assert err.code == "finished"
        assert {s["speaker"], s["listener"]} == {"partner_a", "partner_b"}
        assert s["floors"] <= 2 * rounds
        for who in ("partner_a", "partner_b", "moderator"):
            v = sl.view(s, who, c)
            assert v["can"] == [] or v["waiting_for"] == [who]
