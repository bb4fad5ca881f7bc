"""What the phones remember the couple has done (offer_seen): the draw puts unseen cards first, and bad lists are refused."""

import json

import pytest

from server.domain.errors import DomainError
from tests.unit.helpers import act, room, step, view

A, B = "partner_a", "partner_b"
DAY = "2026-11-03"


def dealt(state, seat_lists=None):
    for seat, ids in (seat_lists or {}).items():
        state = act(state, seat, "offer_seen", seen=[{"id": i, "on": DAY} for i in ids])
    state = act(state, A, "propose_plan", plan=[{"exercise": "tune-in"}])
    state = act(state, B, "agree_plan")
    return [card["id"] for card in step(state)["cards"]]


def refused(state, seat, code, **fields):
    before = json.dumps(state, sort_keys=True)
    with pytest.raises(DomainError) as caught:
        act(state, seat, "offer_seen", **fields)
    assert json.dumps(state, sort_keys=True) == before
    assert caught.value.code == code, caught.value
    return caught.value


def test_cards_either_phone_has_seen_are_dealt_last():
    fresh = dealt(room())
    # Tune-in deals 5 of 8: say the first four dealt without memory were seen, split over the phones.
    seen = {A: [f"tune-in/{c}" for c in fresh[:2]] + ["tune-in"], B: [f"tune-in/{c}" for c in fresh[2:4]]}
    again = dealt(room(), seen)
    assert not set(again[:4]) & set(fresh[:4])
    assert set(again[4:]) <= set(fresh[:4])
    assert len(again) == 5 and len(set(again)) == 5


def test_a_card_of_another_exercise_with_the_same_id_counts_for_nothing():
    fresh = dealt(room())
    assert dealt(room(), {A: [f"closeness-36/{c}" for c in fresh]}) == fresh


def test_the_view_counts_what_each_phone_offered_and_never_shows_the_ids():
    state = act(room(), A, "offer_seen", seen=[{"id": "tune-in/comfort", "on": DAY}, {"id": "tune-in", "on": DAY}])
    state = act(state, A, "offer_seen", seen=[{"id": "tune-in", "on": DAY}])
    shown = view(state, B)
    assert shown["session"]["seen_offered"] == {A: 1, B: 0}
    assert "comfort" not in json.dumps(shown)
    assert "offer_seen" in view(state, A)["can"]


@pytest.mark.parametrize("seen, code", [
    ("tune-in", "bad_value"),
    ([{"id": "tune-in"}], "bad_value"),
    ([{"id": "Tune In!", "on": DAY}], "bad_value"),
    ([{"id": "a/b/c", "on": DAY}], "bad_value"),
    ([{"id": "tune-in", "on": "3 Nov"}], "bad_value"),
    ([{"id": "tune-in", "on": DAY, "text": "what we said"}], "bad_value"),
    ([{"id": "tune-in", "on": DAY}, {"id": "tune-in", "on": DAY}], "bad_value"),
    ([{"id": "x" * 121, "on": DAY}], "bad_value"),
    ([{"id": f"tune-in/c{i}", "on": DAY} for i in range(501)], "too_many"),
])
def test_a_bad_list_is_refused_and_changes_nothing(seen, code):
    refused(room(), A, code, seen=seen)


def test_offered_in_the_lobby_only_and_by_a_partner_only():
    state = act(room(), A, "propose_plan", plan=[{"exercise": "tune-in"}])
    state = act(state, B, "agree_plan")
    refused(state, A, "wrong_step", seen=[])
    moderated = room(moderated=True)
    refused(moderated, "moderator", "forbidden", seen=[])
