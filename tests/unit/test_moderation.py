"""The moderator's controls, their effect on the partners' views, and who may use them."""

import json

import pytest

from server.domain import moderation, summary
from server.domain.context import Ctx
from server.domain.errors import DomainError
from tests.unit.helpers import act, room, started, view

CONTROLS = [("pause", {}), ("resume", {}), ("advance_step", {}), ("back_step", {}), ("skip_exercise", {}),
            ("swap_roles", {}), ("adjust_timer", {"seconds": 30}), ("send_prompt", {"text": "Breathe"}),
            ("end_session", {}), ("add_note", {"text": "n"}), ("start_session", {})]


def guided(*exercises, **options):
    state = room(moderated=True)
    plan = [{"exercise": e, "options": options} for e in exercises]
    state = act(state, "moderator", "propose_plan", plan=plan)
    return act(state, "moderator", "start_session")


def refused(code, state, seat, intent_type, /, **fields):
    with pytest.raises(DomainError) as err:
        act(state, seat, intent_type, **fields)
    assert err.value.code == code, err.value


@pytest.mark.parametrize("kind,fields", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_a_partner_sending_a_moderator_control_is_forbidden(kind, fields):
    refused("forbidden", guided("take-the-floor"), "partner_a", kind, **fields)


def test_a_room_without_moderator_refuses_every_control_as_forbidden():
    refused("forbidden", started("take-the-floor"), "partner_a", "pause")


def test_pause_stops_both_partners_until_the_moderator_resumes():
    state = act(guided("take-the-floor"), "moderator", "pause")
    for seat in ("partner_a", "partner_b"):
        v = view(state, seat)
        assert v["session"]["timeout"]["by"] == "moderator" and "ready" not in v["can"]
    refused("paused", state, "partner_a", "share")
    refused("paused", state, "partner_a", "ready")
    state = act(state, "moderator", "resume")
    assert act(state, "partner_a", "share")["session"]["step"]["phase"] == "paraphrase"


def test_the_moderator_can_end_a_time_out_a_partner_called():
    state = act(guided("take-the-floor"), "partner_b", "timeout")
    assert act(state, "moderator", "resume")["session"]["timeout"] is None


def test_advance_back_and_skip_move_both_partners_through_the_plan():
    state = guided("look-inward-first", "take-the-floor")
    state = act(state, "moderator", "advance_step")
    assert view(state, "partner_a")["session"]["exercise"]["step"]["kind"] == "speaker_listener"
    assert view(state, "partner_b")["session"]["exercise"]["step"]["index"] == 1
    state = act(state, "moderator", "back_step")
    assert view(state, "partner_b")["session"]["exercise"]["step"]["kind"] == "cards"
    state = act(state, "moderator", "skip_exercise")
    assert view(state, "partner_a")["session"]["exercise"]["id"] == "take-the-floor"
    state = act(state, "moderator", "skip_exercise")
    assert view(state, "partner_a")["session"]["phase"] == "summary"


def test_going_back_from_an_exercises_first_step_lands_on_the_previous_exercises_last_step():
    state = act(guided("look-inward-first", "take-the-floor"), "moderator", "skip_exercise")
    state = act(state, "moderator", "back_step")
    assert state["session"]["index"] == 0 and state["session"]["step_index"] == 1


def test_swap_roles_gives_the_floor_to_the_listener():
    state = act(guided("take-the-floor"), "moderator", "swap_roles")
    assert view(state, "partner_b")["session"]["exercise"]["step"]["role"] == "speaker"
    assert "share" in view(state, "partner_b")["can"]


def test_the_timer_can_be_lengthened_and_shortened_only_while_it_runs():
    state = guided("undivided-attention")
    refused("wrong_step", state, "moderator", "adjust_timer", seconds=60)
    state = act(state, "partner_a", "start_turn")
    before = state["session"]["step"]["deadline"]
    state = act(state, "moderator", "adjust_timer", seconds=60)
    assert state["session"]["step"]["deadline"] == before + 60
    state = act(state, "moderator", "adjust_timer", seconds=-90)
    assert state["session"]["step"]["deadline"] == before - 30
    assert view(state, "partner_b")["session"]["exercise"]["step"]["deadline"] == before - 30


def test_a_prompt_reaches_both_phones_and_a_note_only_the_moderator():
    state = act(guided("take-the-floor"), "moderator", "send_prompt", text="Slow down", kind="card")
    note = moderation.new_note(state, "moderator", {"id": "n1", "type": "add_note", "text": " PRIVATE-NOTE-MARK "},
                               Ctx(now=1_800_000_000.25))
    assert note == {"text": "PRIVATE-NOTE-MARK", "at": 1_800_000_000.25, "exercise": 0, "step": 0}
    for seat in ("partner_a", "partner_b"):
        v = view(state, seat)
        assert v["session"]["prompts"][-1]["text"] == "Slow down"
        assert "notes" not in v["session"]
    mine = view(state, "moderator")
    moderation.show_notes(mine, [{**note, "n": 1, "version": state["version"]}])
    assert mine["session"]["notes"] == [{**note, "n": 1}]


def test_ending_the_session_opens_the_summary_for_the_partners():
    state = act(act(guided("take-the-floor"), "partner_a", "share", text="Something"), "moderator", "end_session")
    assert view(state, "partner_a")["can"] == ["keep_summary", "erase_my_words"]
    refused("wrong_step", state, "moderator", "end_session")
    # With nothing written there is nothing to keep: no question, only a way out.
    state = act(guided("take-the-floor"), "moderator", "end_session")
    assert view(state, "partner_a")["can"] == ["erase_my_words"]


def test_the_moderator_sees_what_partners_share_as_they_share_it():
    state = guided("take-the-floor")
    state = act(state, "partner_a", "share", text="SHARED-MARK")
    v = view(state, "moderator")
    assert v["session"]["exercise"]["step"]["role"] == "observer"
    assert v["session"]["shared"][0]["text"] == "SHARED-MARK"
    assert v["session"]["exercise"]["step"]["can"] == []
    assert {"pause", "advance_step", "swap_roles", "add_note"} <= set(v["can"])


def test_the_moderators_export_has_timeline_and_notes_but_unkept_partner_text_never():
    state = guided("take-the-floor", rounds=1)
    state = act(state, "partner_a", "share", text="UNKEPT-MARK")
    state = act(state, "moderator", "end_session")
    state = act(state, "partner_a", "keep_summary", keep=True)
    events = [{"version": 3, "type": "share", "seat": "partner_a", "at": 1_800_000_000.0, "exercise": 0, "step": 0},
              {"version": 4, "type": "end_session", "seat": "moderator", "at": 1_800_000_060.0,
               "exercise": 0, "step": 0}]
    notes = [{"n": 1, "version": 3, "text": "note one", "at": 1_800_000_030.0, "exercise": 0, "step": 0}]
    out = summary.for_moderator(state, events, notes)
    assert "note one" in out["markdown"] and "Ana: shared a piece (Take the floor · step 1)" in out["markdown"]
    # The note sits in the timeline between the share it followed and the next logged event.
    assert [t["event"] for t in out["json"]["timeline"]] == ["share", "note", "end_session"]
    assert "note one" not in json.dumps(out["json"]["timeline"])
    assert "UNKEPT-MARK" not in json.dumps(out)
    state = act(state, "partner_b", "keep_summary", keep=True)
    assert "UNKEPT-MARK" in summary.for_moderator(state, events, notes)["markdown"]


def test_the_exercises_cannot_be_ended_from_the_lobby():
    state = act(room(moderated=True), "moderator", "propose_plan", plan=[{"exercise": "take-the-floor"}])
    assert "end_session" not in view(state, "moderator")["can"]
    refused("wrong_step", state, "moderator", "end_session")


def test_a_note_is_checked_without_touching_the_room_and_never_enters_its_state():
    """A note changes nothing a partner can observe: not the state, its version or its place."""
    for state in (room(moderated=True), guided("take-the-floor")):
        before = json.dumps(state, sort_keys=True)
        note = moderation.new_note(state, "moderator", {"id": "n", "type": "add_note", "text": "x", "version": 0},
                                   Ctx(now=1.0))
        assert note["text"] == "x"  # an old version is never stale for a note
        assert json.dumps(state, sort_keys=True) == before
    state = guided("take-the-floor")
    refused("internal", state, "moderator", "add_note", text="must not be written into the state")
    refused("forbidden", state, "partner_a", "add_note", text="x")


@pytest.mark.parametrize("seat,text,code", [("partner_a", "x", "forbidden"), ("moderator", "   ", "missing_field")])
def test_a_bad_note_is_refused_with_its_code(seat, text, code):
    with pytest.raises(DomainError) as err:
        moderation.new_note(guided("take-the-floor"), seat, {"id": "n", "type": "add_note", "text": text}, Ctx(now=1.0))
    assert err.value.code == code


def test_a_note_from_a_seat_nobody_holds_is_not_joined():
    with pytest.raises(DomainError) as err:
        moderation.new_note(started("take-the-floor"), "moderator", {"id": "n", "type": "add_note", "text": "x"},
                            Ctx(now=1.0))
    assert err.value.code == "not_joined"


def test_the_timeline_puts_each_note_after_the_version_it_was_written_at():
    events = [{"version": v, "type": "t", "seat": None, "at": float(v)} for v in (1, 2, 3)]
    notes = [{"n": i, "version": v, "text": f"SECRET{i}", "at": 0.0, "exercise": 0, "step": 0}
             for i, v in ((1, 2), (2, 2), (3, 3))]
    merged = summary.merged_timeline(events, notes)
    assert [(e["version"], e.get("note")) for e in merged] == [(1, None), (2, None), (2, 1), (2, 2), (3, None), (3, 3)]
    assert "SECRET" not in json.dumps(merged)


def test_a_swap_before_a_timed_turn_starts_makes_a_tap_from_before_it_stale():
    # The swap changes only who holds the coming turns (the order): the room has moved all the same,
    # so the new speaker's tap meant for the old order is refused, not taken as a start.
    state = guided("undivided-attention")
    state["version"] = state["place_version"]  # as the store wrote it: the start moved the room
    assert state["session"]["step"]["phase"] == "ready"
    seen = state["version"]
    act(state, "partner_a", "start_turn", version=seen)  # fresh before the swap
    state = act(state, "moderator", "swap_roles")
    state["version"] = seen + 1
    assert view(state, "partner_b")["session"]["exercise"]["step"]["role"] == "speaker"
    refused("stale", state, "partner_b", "start_turn", version=seen)
    act(state, "partner_b", "start_turn", version=seen + 1)
