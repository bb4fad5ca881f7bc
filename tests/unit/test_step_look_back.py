"""Look back: the promises the phones brought back in the lobby, shown to both in the weekly check-in (none by default)."""

import json

import pytest

from server.domain import intents, rooms
from server.domain.errors import DomainError
from server.domain.steps import look_back
from tests.unit.helpers import act, ctx, room, step, view

A, B = "partner_a", "partner_b"
PROMISE = {"text": "Phone down at dinner", "made_on": "2027-01-08"}


def at_look_back(state):
    """Agree the weekly check-in and play its first two steps (check-in, appreciations) aloud."""
    state = act(state, A, "propose_plan", plan=[{"exercise": "weekly-check-in"}])
    state = act(state, B, "agree_plan")
    for seat in (A, B):
        state = act(state, seat, "checkin", feelings=[{"id": "content", "intensity": 3}])
    for seat in (A, B):
        state = act(state, seat, "advance")
    while step(state).get("phase") != "looking":
        seat = next(s for s in (A, B) if view(state, s)["session"]["exercise"]["step"]["can"])
        kind = view(state, seat)["session"]["exercise"]["step"]["can"][0]
        state = act(state, seat, kind)
    return state


def refused(state, seat, type_, code, **fields):
    before = json.dumps(state, sort_keys=True)
    with pytest.raises(DomainError) as caught:
        act(state, seat, type_, **fields)
    assert json.dumps(state, sort_keys=True) == before
    assert caught.value.code == code, caught.value
    return caught.value


def test_with_nothing_brought_back_the_step_shows_an_empty_list_and_both_go_on():
    state = at_look_back(room())
    shown = view(state, A)["session"]["exercise"]["step"]
    assert shown["promises"] == [] and shown["can"] == ["advance"]
    state = act(act(state, A, "advance"), B, "advance")
    assert state["session"]["step_index"] == 3


def test_promises_offered_in_the_lobby_are_shown_to_both_and_marked_into_the_summary():
    state = act(room(), A, "offer_promises", promises=[PROMISE])
    state = act(state, B, "offer_promises", promises=[{"text": "Ask before making plans for us"}])
    assert view(state, B)["session"]["promises_offered"] == {A: 1, B: 1}
    assert "Phone down" not in json.dumps(view(state, B))  # words only in the step
    state = at_look_back(state)
    for seat in (A, B):
        shown = view(state, seat)["session"]["exercise"]["step"]
        assert [(p["n"], p["by"], p["text"], p["made_on"]) for p in shown["promises"]] == [
            (1, A, "Phone down at dinner", "2027-01-08"), (2, B, "Ask before making plans for us", None)]
    state = act(state, B, "mark_promise", promise=1, mark="partly")
    state = act(state, A, "mark_promise", promise=1, mark="kept")  # the last mark counts
    state = act(act(state, A, "advance"), B, "advance")
    looked = [e for e in state["session"]["shared"] if e["label"] == "looked back at"]
    assert [(e["seat"], e["text"]) for e in looked] == [(A, "Phone down at dinner — kept"),
                                                       (B, "Ask before making plans for us — talked about")]


def test_a_mark_for_a_promise_not_on_the_list_or_an_unknown_mark_is_refused():
    state = at_look_back(act(room(), A, "offer_promises", promises=[PROMISE]))
    assert refused(state, A, "mark_promise", "bad_value", promise=2, mark="kept").details == {"field": "promise"}
    assert refused(state, A, "mark_promise", "bad_value", promise=1, mark="maybe").details == {"field": "mark"}
    state = act(state, A, "advance")
    refused(state, A, "advance", "wrong_step")


def test_offering_replaces_this_phones_list_and_is_checked():
    state = act(room(), A, "offer_promises", promises=[PROMISE, {"text": "Walk on Sundays"}])
    state = act(state, A, "offer_promises", promises=[{"text": "Walk on Sundays"}])
    assert state["session"]["promises"][A] == [{"text": "Walk on Sundays", "made_on": None}]
    too_many = [{"text": f"Promise {n}"} for n in range(6)]
    assert refused(state, A, "offer_promises", "too_many", promises=too_many).details == {"limit": "promises"}
    refused(state, A, "offer_promises", "text_too_long", promises=[{"text": "x" * 301}])
    refused(state, A, "offer_promises", "bad_value", promises=[{"text": "  "}])
    refused(state, A, "offer_promises", "bad_value", promises=[{"text": "Walk", "made_on": "3 Nov"}])
    refused(state, A, "offer_promises", "bad_value", promises="Walk")


def test_promises_are_offered_in_the_lobby_only_by_a_partner_and_the_log_holds_no_words():
    state = room(moderated=True)
    refused(state, rooms.MODERATOR, "offer_promises", "forbidden", promises=[PROMISE])
    new, event = intents.apply_intent(state, A, {"id": "o1", "type": "offer_promises", "promises": [PROMISE]}, ctx())
    assert event["type"] == "promises_offered" and event["promises"] == 1
    assert "Phone" not in json.dumps(event)
    new = act(new, rooms.MODERATOR, "propose_plan", plan=[{"exercise": "weekly-check-in"}])
    new = act(new, rooms.MODERATOR, "start_session")
    refused(new, A, "offer_promises", "wrong_step", promises=[PROMISE])


def test_erase_my_words_takes_a_partners_promises_out_of_the_lobby_and_the_step():
    state = act(room(moderated=True), A, "offer_promises", promises=[PROMISE])
    state = act(state, B, "offer_promises", promises=[{"text": "Walk on Sundays"}])
    lobby = act(state, A, "erase_my_words")
    assert lobby["session"]["promises"] == {A: [], B: [{"text": "Walk on Sundays", "made_on": None}]}
    erased = look_back.erase_seat(look_back.start({}, _ctx_with(state)), B)
    assert [p["by"] for p in erased["promises"]] == [A]


def _ctx_with(state):
    from server.domain.context import StepCtx

    offered = state["session"]["promises"]
    return StepCtx(now=0, seed=1, mode="remote", first=A,
                   promises=tuple({"by": s, **p} for s in (A, B) for p in offered[s]))
