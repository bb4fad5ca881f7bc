"""A guided room belongs to the therapist: a partner erases only their own words, never the room."""

import copy

import pytest

from server.domain import intents, rooms, session, staleness, summary
from server.domain.errors import DomainError
from server.domain.steps import cards, checkin, imago, speaker_listener
from tests.unit.helpers import act, ctx, room, started, step, view

ERASE = "erase_my_words"


def guided(exercise: str = "take-the-floor", **options) -> dict:
    return started(exercise, moderated=True, mode="remote", voice="call", **options)


def refused(code, state, seat, intent_type, /, **fields):
    before = copy.deepcopy(state)
    with pytest.raises(DomainError) as err:
        act(state, seat, intent_type, **fields)
    assert err.value.code == code, err.value
    assert state == before


def words_of(state: dict, seat: str) -> list[str]:
    return [e["text"] for e in state["session"]["shared"] if e["seat"] == seat]


def shared_floor() -> dict:
    """Ana shared and clarified, Ben paraphrased: both have words in the shared list and on the table."""
    state = act(guided(), "partner_a", "share", text="Ana: I felt alone")
    state = act(state, "partner_b", "paraphrase", text="Ben: you felt left out")
    state = act(state, "partner_a", "check", accurate=False, text="Ana: alone, not left out")
    return act(state, "partner_b", "paraphrase", text="Ben: you felt alone")


def test_a_partner_erases_their_own_words_from_the_shared_list_the_step_and_the_moderators_view():
    state = act(shared_floor(), "partner_a", ERASE)
    assert words_of(state, "partner_a") == []
    assert words_of(state, "partner_b") == ["Ben: you felt left out", "Ben: you felt alone"]
    assert step(state)["current"] == {"share": None, "clarify": None, "paraphrase": "Ben: you felt alone",
                                      "asked": None, "explained": None}
    for seat in ("partner_a", "partner_b", "moderator"):
        assert "Ana:" not in repr(view(state, seat)), seat
    assert [e["text"] for e in view(state, "moderator")["session"]["shared"]] == words_of(state, "partner_b")


def test_the_listener_erasing_takes_only_the_paraphrase():
    state = act(shared_floor(), "partner_b", ERASE)
    assert words_of(state, "partner_b") == []
    assert words_of(state, "partner_a") == ["Ana: I felt alone", "Ana: alone, not left out"]
    assert step(state)["current"] == {"share": "Ana: I felt alone", "clarify": "Ana: alone, not left out",
                                      "paraphrase": None, "asked": None, "explained": None}


def test_the_exercise_goes_on_where_it_was_and_nobodys_next_move_turns_stale():
    state = shared_floor()
    state["version"] += 1  # what the store wrote (act leaves versions to it)
    seen = state["version"]
    erased = act(state, "partner_b", ERASE)
    assert staleness.place_of(erased) == staleness.place_of(state)
    assert erased.get("place_version") == state.get("place_version")
    erased["version"] += 1
    # Ana's answer, made against the view from before the erase, still lands.
    after = act(erased, "partner_a", "check", accurate=True, version=seen)
    assert step(after)["phase"] == "next"


def test_the_moderator_may_not_send_it():
    refused("forbidden", shared_floor(), "moderator", ERASE)


def test_without_a_moderator_it_is_forbidden_end_and_erase_is_the_couples_way_out():
    state = act(started("take-the-floor", mode="remote"), "partner_a", "share", text="mine")
    refused("forbidden", state, "partner_a", ERASE)
    assert ERASE not in view(state, "partner_a")["can"]
    assert view(state, "partner_a")["you"]["may_end"] is True


@pytest.mark.parametrize("paused_by,intent", [("partner_b", "timeout"), ("moderator", "pause")])
def test_it_works_during_a_time_out_a_way_out_is_always_open(paused_by, intent):
    state = act(shared_floor(), paused_by, intent)
    assert ERASE in view(state, "partner_a")["can"]
    state = act(state, "partner_a", ERASE)
    assert words_of(state, "partner_a") == [] and state["session"]["timeout"] is not None


def test_it_is_open_in_every_phase_the_lobby_erases_nothing_the_summary_loses_the_partners_entries():
    state = act(act(shared_floor(), "moderator", "end_session"), "partner_a", ERASE)
    entries = view(state, "partner_b")["session"]["summary"]["entries"]
    assert [e["seat"] for e in entries] == ["partner_b", "partner_b"]
    fresh = room(moderated=True)
    assert ERASE in view(fresh, "partner_a")["can"]
    assert act(fresh, "partner_a", ERASE)["session"] == fresh["session"]


def test_its_log_entry_holds_no_words_and_reads_as_what_happened():
    state = shared_floor()
    _new, event = intents.apply_intent(state, "partner_a", {"id": "e1", "type": ERASE}, ctx())
    assert event["type"] == ERASE and event["seat"] == "partner_a"
    assert "Ana" not in repr(event) and "felt" not in repr(event)
    assert summary.what(event) == "erased what they wrote"


def test_the_moderators_export_and_the_partners_export_keep_nothing_of_the_erased_words():
    state = act(shared_floor(), "partner_a", ERASE)
    state = act(state, "moderator", "end_session")
    state = act(act(state, "partner_a", "keep_summary", keep=True), "partner_b", "keep_summary", keep=True)
    notes = [{"n": 1, "version": 3, "text": "Dr Lee: watch the pace", "at": 1.0, "exercise": 0, "step": 0}]
    record = summary.for_moderator(state, [], notes)
    partner = summary.export(state, "partner_b")
    for out in (record, partner):
        assert "Ana:" not in out["markdown"] and "Ben: you felt alone" in out["markdown"]
    assert "Dr Lee: watch the pace" in record["markdown"]


def test_a_partner_in_a_guided_room_may_not_end_it_and_the_view_says_so():
    state = guided()
    assert not rooms.may_erase(state, "partner_a") and not rooms.may_erase(state, "partner_b")
    assert rooms.may_erase(state, rooms.MODERATOR)
    assert view(state, "partner_a")["you"]["may_end"] is False
    assert view(state, "moderator")["you"]["may_end"] is True
    assert ERASE in view(state, "partner_b")["can"] and ERASE not in view(state, "moderator")["can"]


# --- each kind's own erase_seat ------------------------------------------------------------

def test_imago_erases_the_senders_pieces_or_the_receivers():
    state = guided("imago-dialogue")
    first = step(state)["sender"]
    second = step(state)["receiver"]
    state = act(state, first, "ask_appointment")
    state = act(state, second, "appointment", when="now")
    state = act(state, first, "send", text="S: I worry")
    state = act(state, second, "mirror", text="R: you worry")
    st = step(state)
    sender_gone = imago.erase_seat(st, first)
    assert sender_gone["current"]["message"] is None and sender_gone["current"]["mirror"] == "R: you worry"
    receiver_gone = imago.erase_seat(st, second)
    assert receiver_gone["current"]["message"] == "S: I worry" and receiver_gone["current"]["mirror"] is None
    assert st["current"]["message"] == "S: I worry"  # not mutated
    assert imago.erase_seat(st, "moderator") == st


def test_cards_before_the_reveal_the_answer_is_gone_as_if_never_given_and_nothing_is_revealed():
    state = guided("look-inward-first")
    state = act(state, "partner_a", "answer", text="A: my answer")
    erased = act(state, "partner_a", ERASE)
    assert step(erased)["answers"]["partner_a"] == {"status": "thinking", "text": None, "guess": None}
    assert "answer" in view(erased, "partner_a")["can"]
    state = act(state, "partner_b", "answer", text="B: my answer")  # both in: revealed
    assert step(state)["phase"] == "revealed"
    after = cards.erase_seat(step(state), "partner_b")
    assert after["answers"]["partner_b"]["status"] == "answered" and after["answers"]["partner_b"]["text"] is None
    assert after["answers"]["partner_a"]["text"] == "A: my answer"


def test_checkin_before_the_reveal_drops_the_check_in_after_it_the_note():
    state = guided("name-it")
    st = step(state)
    feeling = next(iter(ctx().feelings))
    mine = {"feelings": [{"id": feeling, "word": "w", "family": "f", "intensity": 3}], "note": "A: note"}
    waiting = {**st, "entries": {"partner_a": mine, "partner_b": None}}
    assert checkin.erase_seat(waiting, "partner_a")["entries"]["partner_a"] is None
    revealed = {**st, "phase": "revealed", "entries": {"partner_a": mine, "partner_b": dict(mine, note="B")}}
    out = checkin.erase_seat(revealed, "partner_a")
    assert out["entries"]["partner_a"]["note"] is None and out["entries"]["partner_a"]["feelings"]
    assert out["entries"]["partner_b"]["note"] == "B" and revealed["entries"]["partner_a"]["note"] == "A: note"


def test_speaker_listener_erasing_nothing_returns_the_same_state():
    st = step(guided())
    assert speaker_listener.erase_seat(st, "partner_a") is st


def test_erase_is_declared_by_the_session_for_partners_only():
    row = intents.TABLE[ERASE]
    assert row.who == rooms.PARTNERS_ONLY and row.fields == {} and row.handler is session.erase_my_words
