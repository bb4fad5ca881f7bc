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
    assert (v["role"], v["phase"], v["can"]) == ("speaker", "share", ["share", "pass_floor"])
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
                                         ("ask_speaker", {"about": "example"}), ("explain", {})])
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
                         ("check", {"accurate": False}), ("continue", {}), ("pass_floor", {}),
                         ("ask_speaker", {"about": "clarify"}), ("ask_speaker", {"about": "example"}),
                         ("explain", {})])


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
            # The Speaker may pass the floor while the step waits on the Listener; nothing else is offered out of turn.
            assert [k for k in v["can"] if k != "pass_floor"] == [] or v["waiting_for"] == [who]
            assert ("pass_floor" in v["can"]) == (who == s["speaker"] and not sl.done(s))


# --- fidelity to PREP: asking for an example, passing the floor at any time, short shares ---

def test_the_listener_may_ask_for_an_example_before_paraphrasing_and_the_speaker_gives_one():
    s, _ = move(sl.start(SPEC, ctx("remote")), "partner_a", "share", ctx("remote"), text="I feel unseen at dinner")
    assert sl.view(s, "partner_b", ctx())["can"] == ["paraphrase", "ask_speaker"]
    s, shared = move(s, "partner_b", "ask_speaker", ctx("remote"), about="example")
    assert shared == [] and s["phase"] == "answer" and s["current"]["asked"] == "example"
    v = sl.view(s, "partner_a", ctx())
    assert v["waiting_for"] == ["partner_a"] and v["can"] == ["explain", "pass_floor"]
    s, shared = move(s, "partner_a", "explain", ctx("remote"), text="Last night you read your phone while I talked")
    assert s["phase"] == "paraphrase" and s["current"]["explained"].startswith("Last night")
    assert shared == [{"seat": "partner_a", "label": "gave an example",
                       "text": "Last night you read your phone while I talked"}]
    s, _ = move(s, "partner_b", "paraphrase", ctx("remote"), text="You felt unseen when I was on my phone")
    assert s["phase"] == "check"


def test_the_listener_may_ask_the_speaker_to_say_it_more_clearly():
    s, _ = move(sl.start(SPEC, ctx()), "partner_a", "share")
    s, _ = move(s, "partner_b", "ask_speaker", about="clarify")
    assert s["current"]["asked"] == "clarify"
    s, shared = move(s, "partner_a", "explain")
    assert s["phase"] == "paraphrase" and shared == []  # said aloud in the same room


def test_asking_the_speaker_is_refused_from_the_wrong_seat_in_the_wrong_phase_and_with_a_bad_value():
    s0 = sl.start(SPEC, ctx())
    assert code_of(s0, "partner_b", "ask_speaker", about="example") == "wrong_step"
    s, _ = move(s0, "partner_a", "share")
    assert code_of(s, "partner_a", "ask_speaker", about="example") == "not_your_turn"
    assert code_of(s, "partner_b", "ask_speaker", about="advice") == "bad_value"
    assert code_of(s, "partner_b", "explain") == "wrong_step"
    s, _ = move(s, "partner_b", "ask_speaker", about="example")
    assert code_of(s, "partner_b", "explain") == "not_your_turn"
    assert code_of(s, "partner_b", "paraphrase") == "wrong_step"
    assert code_of(s, "partner_a", "explain", ctx("remote")) == "text_required"


def test_the_listener_asks_at_most_max_asks_times_for_one_piece():
    s, _ = move(sl.start(SPEC, ctx()), "partner_a", "share")
    for _ in range(sl.MAX_ASKS):
        s, _ = move(s, "partner_b", "ask_speaker", about="example")
        s, _ = move(s, "partner_a", "explain")
    assert "ask_speaker" not in sl.view(s, "partner_b", ctx())["can"]
    with pytest.raises(DomainError) as err:
        move(s, "partner_b", "ask_speaker", about="example")
    assert (err.value.code, err.value.details["limit"]) == ("too_many", "asks")
    s, _ = move(s, "partner_b", "paraphrase")
    s, _ = move(s, "partner_a", "check", accurate=True)
    s, _ = move(s, "partner_a", "continue")
    assert s["asks"] == 0 and "ask_speaker" in sl.view(move(s, "partner_a", "share")[0], "partner_b", ctx())["can"]


@pytest.mark.parametrize("steps_before", [0, 1, 2, 3])
def test_the_speaker_may_pass_the_floor_at_any_moment_not_only_after_a_confirmed_paraphrase(steps_before):
    s = sl.start(SPEC, ctx())
    plays = [("partner_a", "share", {}), ("partner_b", "ask_speaker", {"about": "example"}),
             ("partner_a", "explain", {})]
    for seat, kind, fields in plays[:steps_before]:
        s, _ = move(s, seat, kind, **fields)
    assert "pass_floor" in sl.view(s, "partner_a", ctx())["can"]
    s, shared = move(s, "partner_a", "pass_floor")
    assert shared == []
    assert (s["speaker"], s["phase"], s["floors"]) == ("partner_b", "share", 1)
    assert s["current"] == {"share": None, "paraphrase": None, "clarify": None, "asked": None, "explained": None}


def test_only_the_speaker_passes_the_floor():
    s, _ = move(sl.start(SPEC, ctx()), "partner_a", "share")
    assert code_of(s, "partner_b", "pass_floor") == "not_your_turn"
    assert code_of(s, "moderator", "pass_floor") == "not_your_turn"
    assert "pass_floor" not in sl.view(s, "partner_b", ctx())["can"]


def test_a_share_stays_short_and_a_longer_one_is_refused_whole():
    s0 = sl.start(SPEC, ctx("remote"))
    long = "I " + "x" * (sl.MAX_SHARE - 1)
    assert len(long) == sl.MAX_SHARE + 1 and sl.MAX_SHARE <= 600
    with pytest.raises(DomainError) as err:
        move(s0, "partner_a", "share", ctx("remote"), text=long)
    assert (err.value.code, err.value.details["field"], err.value.details["max"]) == ("text_too_long", "text", 500)
    s, _ = move(s0, "partner_a", "share", ctx("remote"), text=long[:sl.MAX_SHARE])
    assert s["phase"] == "paraphrase"
    s, _ = move(s, "partner_b", "ask_speaker", ctx("remote"), about="example")
    assert code_of(s, "partner_a", "explain", ctx("remote"), text=long) == "text_too_long"
    s, _ = move(s, "partner_a", "explain", ctx("remote"), text="For example")
    s, _ = move(s, "partner_b", "paraphrase", ctx("remote"), text="p")
    assert code_of(s, "partner_a", "check", ctx("remote"), accurate=False, text=long) == "text_too_long"
    assert sl.view(s0, "partner_a", ctx())["max_share"] == sl.MAX_SHARE
    # The transport refuses it before the domain does: the intent's schema says so.
    assert sl.INTENTS["share"][0]["text"]["maxLength"] == sl.MAX_SHARE


def test_the_listeners_paraphrase_keeps_the_longer_limit():
    s, _ = move(sl.start(SPEC, ctx("remote")), "partner_a", "share", ctx("remote"), text="I")
    s, _ = move(s, "partner_b", "paraphrase", ctx("remote"), text="y" * (sl.MAX_SHARE + 10))
    assert s["phase"] == "check"


def test_asking_for_an_example_during_a_time_out_is_refused_as_paused():
    from tests.unit.helpers import act, started, step
    state = started("take-the-floor")
    state = act(state, "partner_a", "share")
    state = act(state, "partner_b", "timeout")
    with pytest.raises(DomainError) as err:
        act(state, "partner_b", "ask_speaker", about="example")
    assert err.value.code == "paused"
    with pytest.raises(DomainError) as err:
        act(state, "partner_a", "pass_floor")
    assert err.value.code == "paused"
    assert step(state)["phase"] == "paraphrase"


def test_erasing_the_speakers_words_takes_the_example_too():
    s, _ = move(sl.start(SPEC, ctx("remote")), "partner_a", "share", ctx("remote"), text="I")
    s, _ = move(s, "partner_b", "ask_speaker", ctx("remote"), about="example")
    s, _ = move(s, "partner_a", "explain", ctx("remote"), text="Like on Sunday")
    assert sl.erase_seat(s, "partner_a")["current"]["explained"] is None
    assert sl.erase_seat(s, "partner_b")["current"]["explained"] == "Like on Sunday"


def test_on_a_call_the_speaker_holds_the_floor_to_answer_the_listeners_question():
    s, _ = move(sl.start(SPEC, ctx()), "partner_a", "share")
    s, _ = move(s, "partner_b", "ask_speaker", about="example")
    assert sl.floor(s) == {"speakers": ["partner_a"], "cue": "speak"}


def test_at_the_last_chunk_of_a_floor_both_views_build_and_only_the_speaker_may_pass_it():
    s = sl.start(SPEC, ctx())
    for _ in range(sl.MAX_CHUNKS - 1):
        s, _ = move(s, "partner_a", "share")
        s, _ = move(s, "partner_b", "paraphrase")
        s, _ = move(s, "partner_a", "check", accurate=True)
        s, _ = move(s, "partner_a", "continue")
    s, _ = move(s, "partner_a", "share")
    s, _ = move(s, "partner_b", "paraphrase")
    s, _ = move(s, "partner_a", "check", accurate=True)
    assert s["phase"] == "next" and s["chunks"] + 1 == sl.MAX_CHUNKS
    assert sl.view(s, "partner_a", ctx())["can"] == ["pass_floor"]
    assert sl.view(s, "partner_b", ctx())["can"] == []  # the Listener's view raised ValueError here
