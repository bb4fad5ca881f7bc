"""What one room may hold and one connection may send: each cap refuses with a stable code and changes nothing."""

import copy

import pytest

from server.domain import session
from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import imago
from server.domain.steps import speaker_listener as sl
from server.transport.throttle import Buckets
from tests.unit.helpers import act, started, step

A, B = "partner_a", "partner_b"
SL_SPEC = {"kind": "speaker_listener", "title": "t", "instructions": {}, "rounds": 1}


def sl_ctx():
    return StepCtx(now=0.0, seed=1, mode="remote", first=A)


def sl_move(st, seat, kind, **fields):
    return sl.apply(st, seat, {"id": "x", "type": kind, **fields}, sl_ctx())[0]


def refusal(fn, *args):
    before = copy.deepcopy(args[0])
    with pytest.raises(DomainError) as err:
        fn(*args)
    assert args[0] == before  # a refused move changes nothing
    return err.value


def test_a_chunk_takes_at_most_max_clarifications_not_quite_answers_then_only_thats_it():
    s = sl_move(sl.start(SL_SPEC, sl_ctx()), A, "share", text="I felt alone")
    for n in range(sl.MAX_CLARIFICATIONS):
        s = sl_move(s, B, "paraphrase", text="You felt alone")
        s = sl_move(s, A, "check", accurate=False, text=f"more {n}")
    s = sl_move(s, B, "paraphrase", text="You felt alone")
    err = refusal(sl.apply, s, A, {"type": "check", "accurate": False, "text": "again"}, sl_ctx())
    assert (err.code, err.details["limit"]) == ("too_many", "clarifications")
    assert sl_move(s, A, "check", accurate=True)["phase"] == "next"


def test_clarifications_count_afresh_for_each_chunk():
    s = sl_move(sl.start(SL_SPEC, sl_ctx()), A, "share", text="one")
    for _ in range(sl.MAX_CLARIFICATIONS):
        s = sl_move(sl_move(s, B, "paraphrase", text="p"), A, "check", accurate=False, text="c")
    s = sl_move(sl_move(s, B, "paraphrase", text="p"), A, "check", accurate=True)
    s = sl_move(sl_move(s, A, "continue"), A, "share", text="two")
    s = sl_move(sl_move(s, B, "paraphrase", text="p"), A, "check", accurate=False, text="c")
    assert s["clarifications"] == 1


def test_one_floor_takes_at_most_max_chunks_then_the_speaker_can_only_pass_it():
    s = sl.start(SL_SPEC, sl_ctx())
    for n in range(sl.MAX_CHUNKS - 1):
        s = sl_move(sl_move(sl_move(s, A, "share", text="x"), B, "paraphrase", text="y"), A, "check", accurate=True)
        s = sl_move(s, A, "continue")
    s = sl_move(sl_move(sl_move(s, A, "share", text="x"), B, "paraphrase", text="y"), A, "check", accurate=True)
    assert sl.view(s, A, sl_ctx())["can"] == ["pass_floor"]
    err = refusal(sl.apply, s, A, {"type": "continue"}, sl_ctx())
    assert (err.code, err.details["limit"]) == ("too_many", "chunks")
    assert sl_move(s, A, "pass_floor")["speaker"] == B


def imago_ctx():
    return StepCtx(now=0.0, seed=1, mode="remote", first=A)


def im_move(st, seat, kind, **fields):
    return imago.apply(st, seat, {"type": kind, **fields}, imago_ctx())[0]


def imago_at_mirror():
    s = im_move(imago.start({"kind": "imago"}, imago_ctx()), A, "ask_appointment")
    s = im_move(s, B, "appointment", when="now")
    return im_move(s, A, "send", text="I felt unseen")


def test_a_check_takes_at_most_max_corrections_in_a_row_then_only_yes():
    s = imago_at_mirror()
    for _ in range(imago.MAX_CORRECTIONS):
        s = im_move(im_move(s, B, "mirror", text="m"), A, "mirror_check", accurate=False, text="c")
    s = im_move(s, B, "mirror", text="m")
    err = refusal(imago.apply, s, A, {"type": "mirror_check", "accurate": False, "text": "c"}, imago_ctx())
    assert (err.code, err.details["limit"]) == ("too_many", "corrections")
    s = im_move(s, A, "mirror_check", accurate=True)
    assert s["phase"] == "more" and s["corrections"] == 0


def test_a_sender_sends_at_most_max_pieces_in_one_exchange():
    s = imago_at_mirror()
    for _ in range(imago.MAX_PIECES - 1):
        s = im_move(im_move(s, B, "mirror", text="m"), A, "mirror_check", accurate=True)
        s = im_move(im_move(s, A, "more", more=True), A, "send", text="and more")
    s = im_move(im_move(s, B, "mirror", text="m"), A, "mirror_check", accurate=True)
    assert s["pieces"] == imago.MAX_PIECES
    err = refusal(imago.apply, s, A, {"type": "more", "more": True}, imago_ctx())
    assert (err.code, err.details["limit"]) == ("too_many", "pieces")
    assert im_move(s, A, "more", more=False)["phase"] == "summary"


def test_a_session_keeps_at_most_max_shared_texts_and_refuses_the_next_one():
    state = started("take-the-floor", mode="remote")
    state["session"]["shared"] = [{"seat": A, "label": "shared", "text": "x"}] * session.MAX_SHARED
    before = copy.deepcopy(state)
    with pytest.raises(DomainError) as err:
        act(state, A, "share", text="one more")
    assert (err.value.code, err.value.details["limit"]) == ("too_many", "shared")
    assert state == before
    # A move that shares nothing still goes on.
    assert act(state, A, "timeout")["session"]["timeout"]["by"] == A
    assert step(state)["phase"] == "share"


def test_moderator_prompts_are_trimmed_to_the_newest_max_prompts():
    from server.domain import moderation

    state = started("take-the-floor", moderated=True)
    for n in range(moderation.MAX_PROMPTS + 5):
        state = act(state, "moderator", "send_prompt", text=f"prompt {n}")
    prompts = state["session"]["prompts"]
    assert len(prompts) == moderation.MAX_PROMPTS and prompts[-1]["text"] == f"prompt {moderation.MAX_PROMPTS + 4}"


def test_a_bucket_allows_its_burst_then_one_event_per_refill_and_says_how_long_to_wait():
    buckets = Buckets(burst=3, rate=2.0)
    assert [buckets.take("c", now=10.0) for _ in range(3)] == [0, 0, 0]
    assert buckets.take("c", now=10.0) == pytest.approx(0.5)
    assert buckets.take("c", now=10.25) == pytest.approx(0.25)  # half a token back, not yet one
    assert buckets.take("c", now=10.5) == 0
    assert buckets.take("other", now=10.5) == 0  # every connection has its own


def test_a_bucket_refills_only_up_to_its_burst_and_forgets_a_connection():
    buckets = Buckets(burst=2, rate=100.0)
    assert buckets.take("c", now=0.0) == 0
    assert [buckets.take("c", now=1000.0) for _ in range(3)][2] > 0  # idle time banks no more than the burst
    buckets.forget("c")
    assert buckets.take("c", now=1000.0) == 0
