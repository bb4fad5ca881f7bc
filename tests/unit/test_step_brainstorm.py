"""Brainstorm and agree: one issue agreed by both, ideas without judging, then one thing to try and when to check back."""

import copy

import pytest

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import brainstorm
from server.library import load_library

LIB = load_library("exercises")
SPEC = LIB.get("a-real-disagreement")["steps"][-1]
NOW = 1_800_000_000.0  # 2027-01-15 UTC
A, B, MOD = "partner_a", "partner_b", "moderator"


def ctx(mode="remote", now=NOW):
    return StepCtx(now=now, seed=7, mode=mode, first=A)


def apply(st, seat, type_, c=None, **fields):
    """Apply one move and check the machine left its argument alone."""
    before = copy.deepcopy(st)
    new, shared = brainstorm.apply(st, seat, {"type": type_, **fields}, c or ctx())
    assert st == before
    return new, shared


def refused(st, seat, type_, code, c=None, **fields):
    before = copy.deepcopy(st)
    with pytest.raises(DomainError) as caught:
        brainstorm.apply(st, seat, {"type": type_, **fields}, c or ctx())
    assert st == before
    assert caught.value.code == code, caught.value
    return caught.value


def at_ideas():
    st = brainstorm.start(SPEC, ctx())
    st, _ = apply(st, A, "propose_issue", text="Who cooks on weeknights")
    st, _ = apply(st, B, "agree_issue")
    return st


def at_agree():
    st = at_ideas()
    st, _ = apply(st, A, "add_idea", text="Take turns by day")
    st, _ = apply(st, B, "add_idea", text="Cook twice a week together")
    st, _ = apply(st, B, "add_idea", text="Batch cook on Sundays")
    st, _ = apply(st, A, "ideas_done")
    st, _ = apply(st, B, "ideas_done")
    return st


def test_the_issue_is_agreed_by_the_partner_who_did_not_propose_it():
    st = brainstorm.start(SPEC, ctx())
    assert brainstorm.view(st, A, ctx())["can"] == ["propose_issue"]
    assert brainstorm.view(st, A, ctx())["waiting_for"] == [A, B]
    st, shared = apply(st, A, "propose_issue", text="  Who cooks on weeknights ")
    assert shared == [] and st["issue"] == {"by": A, "text": "Who cooks on weeknights"}
    assert brainstorm.view(st, B, ctx())["can"] == ["propose_issue", "agree_issue"]
    assert brainstorm.view(st, A, ctx())["waiting_for"] == [B]
    refused(st, A, "agree_issue", "not_your_turn")
    st, shared = apply(st, B, "agree_issue")
    assert st["phase"] == "ideas"
    assert shared == [{"seat": A, "label": "the issue", "text": "Who cooks on weeknights"}]


def test_a_rewording_of_the_issue_needs_the_first_partners_agreement_and_moves_the_place():
    st = brainstorm.start(SPEC, ctx())
    st, _ = apply(st, A, "propose_issue", text="Cooking")
    st, _ = apply(st, B, "propose_issue", text="Cooking on busy weeknights")
    assert st["issue"]["by"] == B and st["issues"] == 2
    refused(st, B, "agree_issue", "not_your_turn")
    st, _ = apply(st, A, "agree_issue")
    assert st["phase"] == "ideas" and st["issue"]["text"] == "Cooking on busy weeknights"


def test_agreeing_before_anyone_proposed_an_issue_is_refused():
    refused(brainstorm.start(SPEC, ctx()), B, "agree_issue", "wrong_step")


def test_a_remote_issue_must_be_typed_but_in_one_room_it_may_be_said_aloud():
    st = brainstorm.start(SPEC, ctx())
    refused(st, A, "propose_issue", "text_required")
    st, _ = apply(st, A, "propose_issue", c=ctx("same_room"))
    assert st["issue"] == {"by": A, "text": None}


def test_the_issue_may_be_worded_at_most_ten_times():
    st = brainstorm.start(SPEC, ctx())
    for n in range(brainstorm.MAX_ISSUES):
        st, _ = apply(st, A if n % 2 else B, "propose_issue", text=f"Wording {n}")
    err = refused(st, B, "propose_issue", "too_many", text="One more")
    assert err.details == {"limit": "issues"}
    assert brainstorm.view(st, B, ctx())["can"] == ["agree_issue"]  # A worded it last


def test_ideas_appear_for_both_at_once_without_an_author_or_comments():
    st = at_ideas()
    st, shared = apply(st, B, "add_idea", text="Cook together on Fridays")
    assert shared == [{"seat": B, "label": "idea", "text": "Cook together on Fridays"}]
    for seat, mine in ((A, False), (B, True)):
        shown = brainstorm.view(st, seat, ctx())
        assert shown["ideas"] == [{"n": 1, "text": "Cook together on Fridays", "mine": mine}]
    assert "by" not in str(brainstorm.view(st, MOD, ctx())["ideas"])
    # There is no move to comment on, rate or vote for an idea while brainstorming.
    assert set(brainstorm.view(st, A, ctx())["can"]) == {"add_idea", "ideas_done"}


def test_an_idea_is_typed_even_in_one_room_and_kept_short():
    st = at_ideas()
    refused(st, A, "add_idea", "text_required", c=ctx("same_room"), text="   ")
    refused(st, A, "add_idea", "text_too_long", text="x" * (brainstorm.MAX_IDEA + 1))
    st, _ = apply(st, A, "add_idea", text="x" * brainstorm.MAX_IDEA)
    assert len(st["ideas"]) == 1


def test_the_ideas_end_when_both_say_they_have_no_more_and_one_more_idea_takes_that_back():
    st = at_ideas()
    refused(st, A, "ideas_done", "wrong_step")  # nothing on the list yet
    st, _ = apply(st, A, "add_idea", text="Take turns by day")
    st, _ = apply(st, A, "ideas_done")
    assert brainstorm.view(st, A, ctx())["waiting_for"] == [B]
    assert "ideas_done" not in brainstorm.view(st, A, ctx())["can"]
    st, _ = apply(st, A, "add_idea", text="A rota on the fridge")
    assert st["ideas_done"][A] is False
    st, _ = apply(st, B, "ideas_done")
    assert st["phase"] == "ideas"
    st, _ = apply(st, A, "ideas_done")
    assert st["phase"] == "agree"


def test_a_brainstorm_holds_at_most_thirty_ideas():
    st = at_ideas()
    for n in range(brainstorm.MAX_IDEAS):
        st, _ = apply(st, (A, B)[n % 2], "add_idea", text=f"Idea {n}")
    err = refused(st, B, "add_idea", "too_many", text="One more")
    assert err.details == {"limit": "ideas"}
    assert brainstorm.view(st, B, ctx())["can"] == ["ideas_done"]


def test_one_idea_or_a_combination_is_agreed_with_a_time_to_check_back():
    st = at_agree()
    st, _ = apply(st, A, "propose_try", ideas=[2, 3], text="Starting next Monday", check_back="2027-01-22T19:30")
    assert brainstorm.view(st, B, ctx())["can"] == ["propose_try", "agree_try"]
    refused(st, A, "agree_try", "not_your_turn")
    st, shared = apply(st, B, "agree_try")
    assert st["phase"] == "done" and brainstorm.done(st)
    assert st["agreement"] == {"by": A, "ideas": [2, 3], "text": "Starting next Monday",
                               "check_back": "2027-01-22T19:30"}
    # The disagreement's agreement is a promise (exercises/a-real-disagreement.yaml), the proposer's.
    assert shared == [{"seat": A, "label": "agreed to try", "promise": True,
                       "text": "Cook twice a week together; Batch cook on Sundays; Starting next Monday"
                               " — check back on 2027-01-22 at 19:30"}]
    refused(st, A, "propose_try", "finished", ideas=[1], check_back="next_checkin")


def test_the_check_back_may_be_the_next_weekly_check_in():
    st, _ = apply(at_agree(), B, "propose_try", ideas=[1], check_back="next_checkin")
    st, shared = apply(st, A, "agree_try")
    assert shared[0]["text"] == "Take turns by day — check back at the next weekly check-in"


@pytest.mark.parametrize("check_back", ["", "soon", "2027-02-30", "2027-01-22 19:30", "2027-01-13", "2028-02-01",
                                        "2027-1-22", None, 20270122])
def test_a_check_back_that_is_not_a_date_from_yesterday_to_a_year_ahead_is_refused(check_back):
    err = refused(at_agree(), A, "propose_try", "bad_value", ideas=[1], check_back=check_back)
    assert err.details == {"field": "check_back"}


def test_yesterday_and_a_year_ahead_are_still_fine_check_backs():
    for day in ("2027-01-14", "2028-01-15"):
        st, _ = apply(at_agree(), A, "propose_try", ideas=[1], check_back=day)
        assert st["proposal"]["check_back"] == day


@pytest.mark.parametrize("ideas", [[9], [1, 1], [True], ["1"], "1"])
def test_a_proposal_picks_only_ideas_on_the_list_each_once(ideas):
    err = refused(at_agree(), A, "propose_try", "bad_value", ideas=ideas, check_back="next_checkin")
    assert err.details == {"field": "ideas"}


def test_a_proposal_needs_an_idea_or_words_of_its_own_and_its_words_are_kept_short():
    st = at_agree()
    refused(st, A, "propose_try", "text_required", ideas=[], check_back="next_checkin")
    refused(st, A, "propose_try", "text_too_long", text="y" * (brainstorm.MAX_TRY + 1), check_back="next_checkin")
    st, _ = apply(st, A, "propose_try", text="Order in on Thursdays", check_back="next_checkin")
    assert st["proposal"]["ideas"] == []


def test_a_counter_proposal_replaces_the_one_on_the_table_and_proposals_are_capped():
    st = at_agree()
    st, _ = apply(st, A, "propose_try", ideas=[1], check_back="next_checkin")
    st, _ = apply(st, B, "propose_try", ideas=[2], check_back="next_checkin")
    assert st["proposal"]["by"] == B and st["proposals"] == 2
    refused(st, B, "agree_try", "not_your_turn")
    for n in range(brainstorm.MAX_PROPOSALS - 2):
        st, _ = apply(st, (A, B)[n % 2], "propose_try", ideas=[1], check_back="next_checkin")
    err = refused(st, A, "propose_try", "too_many", ideas=[1], check_back="next_checkin")
    assert err.details == {"limit": "proposals"}


def test_moves_of_another_phase_and_from_the_moderator_are_refused():
    st = brainstorm.start(SPEC, ctx())
    refused(st, A, "add_idea", "wrong_step", text="Too early")
    refused(st, MOD, "propose_issue", "not_your_turn", text="The moderator's issue")
    refused(at_ideas(), A, "propose_try", "wrong_step", ideas=[], text="x", check_back="next_checkin")
    refused(at_agree(), B, "add_idea", "wrong_step", text="Too late")
    assert brainstorm.view(st, MOD, ctx())["can"] == [] and brainstorm.view(st, MOD, ctx())["role"] == "observer"


def test_erasing_a_seat_takes_its_issue_wording_ideas_and_proposal_words_off_the_table():
    st = at_agree()
    st, _ = apply(st, B, "propose_try", ideas=[1, 2], text="From Monday", check_back="next_checkin")
    erased = brainstorm.erase_seat(st, B)
    assert [idea["text"] for idea in erased["ideas"]] == ["Take turns by day"]
    assert erased["proposal"] == {"by": B, "ideas": [1], "text": None, "check_back": "next_checkin"}
    assert erased["issue"] == st["issue"]  # A proposed it
    assert (erased["phase"], erased["issues"], erased["proposals"]) == (st["phase"], st["issues"], st["proposals"])
    gone = brainstorm.erase_seat(brainstorm.erase_seat(st, A), B)
    assert gone["ideas"] == [] and gone["proposal"] is None and gone["issue"] == {"by": A, "text": None}
    assert brainstorm.erase_seat(gone, A) is gone
