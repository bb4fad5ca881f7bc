"""Random play through whole plans: the session's invariants hold whatever the partners do."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.domain import intents, rooms, staleness, voice
from server.domain.errors import DomainError
from tests.unit.helpers import LIBRARY, ctx, room, view

FEELINGS = sorted(LIBRARY.feelings_by_id)
EXERCISES = sorted(LIBRARY.exercises)
ALL_TYPES = sorted(intents.TABLE)


def fields_for(kind: str, draw, marker: str) -> dict:
    """Plausible fields for an intent type, with a unique marker in any text."""
    fields = {}
    spec = intents.TABLE[kind].fields
    if "text" in spec:
        fields["text"] = marker
    for name in ("accurate", "fair", "more", "switch", "keep"):
        if name in spec:
            fields[name] = draw(st.booleans())
    if "when" in spec:
        fields["when"] = draw(st.sampled_from(["now", "later"]))
    if "feelings" in spec:
        ids = draw(st.lists(st.sampled_from(FEELINGS), min_size=1, max_size=3, unique=True))
        fields["feelings"] = [{"id": i, "intensity": draw(st.integers(1, 5))} for i in ids]
    if "mode" in spec:
        fields["mode"] = draw(st.sampled_from(list(rooms.MODES)))
    if "voice" in spec:
        fields["voice"] = draw(st.sampled_from(list(voice.VOICES)))
    if "plan" in spec:
        fields["plan"] = [{"exercise": draw(st.sampled_from(EXERCISES))}]
    if "seconds" in spec:
        fields["seconds"] = 30
    return fields


def position(state):
    sess = state["session"]
    return (sess["index"], sess["step_index"]) if sess["phase"] == "running" else None


def few_cards(exercise: str) -> dict:
    """A plan item that draws two cards per deck where the exercise has cards (the option applies only there)."""
    kinds = {step["kind"] for step in LIBRARY.exercises[exercise]["steps"]}
    return {"exercise": exercise, "options": {"draw": 2}} if "cards" in kinds else {"exercise": exercise}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(EXERCISES), st.sampled_from(EXERCISES), st.sampled_from(list(rooms.MODES)))
def test_random_play_keeps_the_session_invariants(data, first, second, mode):
    state = room(mode=mode)
    if mode == "remote":
        # Apart, the couple says how they talk in spoken steps: on a call, or typing them.
        state = intents.apply_intent(state, "partner_a", {"id": "v", "type": "set_voice",
                                                          "voice": data.draw(st.sampled_from(voice.VOICES))}, ctx())[0]
        state["version"] += 1
    state = intents.apply_intent(state, "partner_a", {"id": "p", "type": "propose_plan",
                                                      "plan": [few_cards(first), few_cards(second)]},
                                 ctx())[0]
    state["version"] += 1
    state = intents.apply_intent(state, "partner_b", {"id": "a", "type": "agree_plan"}, ctx())[0]
    state["version"] += 1
    now = 1_800_000_000.0
    hidden = {}  # marker -> its writer, for text not yet visible to the other partner
    for n in range(data.draw(st.integers(50, 250), label="moves")):
        # Mostly a seat that can act, doing something its view offers (a
        # time-out now and then), sometimes anything at all from anyone.
        cans = {seat: [k for k in view(state, seat)["can"] if k not in ("timeout", "add_note")]
                for seat in rooms.PARTNERS}
        able = [seat for seat, kinds in cans.items() if kinds]
        roll = data.draw(st.integers(0, 19), label="roll")
        if able and roll < 17:
            seat = data.draw(st.sampled_from(able), label="seat")
            kind = data.draw(st.sampled_from(cans[seat]), label="offered")
        else:
            seat = data.draw(st.sampled_from(list(rooms.SEATS)), label="seat")
            kind = data.draw(st.sampled_from(ALL_TYPES), label="any")
        marker = f"MARK{n:03d}X"
        intent = {"id": f"i{n}", "type": kind, **fields_for(kind, data.draw, marker)}
        before = json.dumps(state, sort_keys=True)
        was_summary = state["session"]["phase"] == "summary"
        where = position(state)
        now += 1
        row = intents.TABLE[kind]
        outside = state["seats"].get(seat) and not _may_send(seat, row.who)
        try:
            new, event = intents.apply_intent(state, seat, intent, ctx(now))
        except DomainError as err:
            assert json.dumps(state, sort_keys=True) == before
            # The table's `who` is the one gate: a seated seat outside it always gets forbidden.
            if outside:
                assert err.code == "forbidden", (seat, kind, err.code)
            if was_summary and intents.TABLE[kind].kinds:
                assert err.code in ("finished", "forbidden", "not_joined")
            continue
        assert event is not None
        assert not outside, (seat, kind)
        # Applied or not, the state it was given is untouched (the new one shares parts of it).
        assert json.dumps(state, sort_keys=True) == before
        new["version"] = state["version"] + 1  # what the store writes: one up per applied intent
        assert new["version"] == json.loads(before)["version"] + 1
        # Staleness: a move made on the view just before this one is stale iff the room moved,
        # that is iff the row moves by place and the place changed (or the room is in the lobby).
        moved = row.moves == staleness.BY_PLACE and (
            staleness.place_of(new) is None or staleness.place_of(new) != staleness.place_of(state))
        try:
            staleness.check(new, {"version": state["version"]})
            stale = False
        except DomainError as err:
            assert err.code == "stale"
            stale = True
        assert stale == moved, (kind, staleness.place_of(state), staleness.place_of(new))
        if row.moves == staleness.NEVER:
            assert new.get("place_version") == state.get("place_version")
            assert not set(rooms.PARTNERS) & set(intents.audience(new, kind))
        if "text" in intent and seat in rooms.PARTNERS:
            hidden[marker] = seat
        state = new
        # The plan is walked in order: a step is never skipped by the partners' moves.
        after = position(state)
        if where and after and after != where and seat in rooms.PARTNERS:
            index, step_index = where
            steps = len(state["session"]["specs"][state["session"]["plan"][index]["exercise"]]["steps"])
            assert after in ((index, step_index + 1), (index + 1, 0)) or \
                (after[0] == index + 1 and step_index + 1 == steps)
        # Nothing of one partner's words reaches the other before it is on the table.
        on_table = json.dumps(state["session"]["shared"])
        for who in ("partner_a", "partner_b", "moderator"):
            text = json.dumps(view(state, who))
            for mark, writer in hidden.items():
                if who != writer and mark in text and state["session"]["phase"] == "running":
                    step = json.dumps(state["session"]["step"])
                    # Visible only once it was shared (speaker-listener, imago and aloud
                    # cards are spoken openly) or revealed.
                    assert mark in on_table or mark in step and _open_kind(state), (who, mark)
    if state["session"]["phase"] == "summary":
        try:
            intents.apply_intent(state, "partner_a", {"id": "late", "type": "share", "text": "x"}, ctx(now))
            raise AssertionError("a finished session accepted a step move")
        except DomainError as err:
            assert err.code == "finished"


def _may_send(seat: str, who: str) -> bool:
    return who == rooms.ANY or (seat == rooms.MODERATOR) == (who == rooms.MODERATOR_ONLY)


def test_every_row_hidden_from_a_partner_never_moves_the_room():
    for row in intents.TABLE.values():
        if row.audience is not None and not set(rooms.PARTNERS) <= set(row.audience):
            assert row.moves == staleness.NEVER, row.type


def _open_kind(state) -> bool:
    from server.domain import steps

    spec = steps.spec_at(state["session"])
    # A brainstorm puts everything on the table for both as it is written, and so does a typed
    # timed turn; aloud cards are open unless a couple apart types them (then they reveal).
    return (spec["kind"] in ("speaker_listener", "imago", "brainstorm", "timed_turns")
            or state["session"]["step"].get("mode") == "aloud")


# --- a way out never loses or reveals a private answer --------------------------

SAFETY_MOVES = ("timeout", "ready", "ask_stop", "agree_stop", "withdraw_stop", "pause", "resume")
# Private answers first (cards revealed together, a check-in that may be held), then a floor.
WAY_OUT_PLAN = [{"exercise": "know-yourself", "options": {"draw": 2}}, {"exercise": "name-it"},
                {"exercise": "take-the-floor"}]


def _marks_seen(state, seat, marks) -> set:
    text = json.dumps(view(state, seat))
    return {m for m in marks if m in text}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.booleans())
def test_a_stop_or_a_cool_down_never_loses_or_reveals_a_private_answer(data, moderated):
    state = room(moderated=moderated, mode="remote")
    state = intents.apply_intent(state, "partner_b", {"id": "v", "type": "set_voice",
                                                      "voice": data.draw(st.sampled_from(voice.VOICES))}, ctx())[0]
    state["version"] += 1
    lead = "moderator" if moderated else "partner_a"
    state = intents.apply_intent(state, lead, {"id": "p", "type": "propose_plan", "plan": WAY_OUT_PLAN}, ctx())[0]
    state["version"] += 1
    start = ("moderator", "start_session") if moderated else ("partner_b", "agree_plan")
    state = intents.apply_intent(state, start[0], {"id": "s", "type": start[1]}, ctx())[0]
    state["version"] += 1
    now = 1_800_000_000.0
    marks = {}  # marker -> the partner who wrote it
    seats = rooms.SEATS if moderated else rooms.PARTNERS
    for n in range(data.draw(st.integers(20, 80), label="moves")):
        seat = data.draw(st.sampled_from(seats), label="seat")
        offered = [k for k in view(state, seat)["can"] if k not in ("add_note", "erase_my_words")]
        pool = offered + [k for k in SAFETY_MOVES if k in offered or data.draw(st.booleans(), label="try")]
        if not pool:
            continue
        kind = data.draw(st.sampled_from(pool), label="kind")
        marker = f"MARK{n:03d}X"
        intent = {"id": f"w{n}", "type": kind, **fields_for(kind, data.draw, marker)}
        if kind in ("timeout", "pause") and data.draw(st.booleans(), label="cool"):
            intent["cooldown"] = data.draw(st.integers(2, 30), label="minutes")
        now += 1
        try:
            new, _ = intents.apply_intent(state, seat, intent, ctx(now))
        except DomainError:
            continue
        new["version"] = state["version"] + 1
        if "text" in intent and seat in rooms.PARTNERS:
            marks[marker] = seat
        if kind in SAFETY_MOVES:
            shared_before = state["session"]["shared"]
            # Nothing lost and nothing added: a way out puts no words on the table and takes none off.
            assert new["session"]["shared"] == shared_before, kind
            on_table = json.dumps(shared_before)
            for who in rooms.SEATS:
                if not new["seats"].get(who):
                    continue
                others = {m for m, writer in marks.items() if writer != who}
                # Nothing revealed: what a seat sees of another's words after a way out, it saw before
                # (or it was already shared, as the summary shows it).
                newly = _marks_seen(new, who, others) - _marks_seen(state, who, others)
                assert all(m in on_table for m in newly), (kind, who, newly)
            if new["session"]["phase"] == "running" and \
                    (new["session"]["index"], new["session"]["step_index"]) == \
                    (state["session"]["index"], state["session"]["step_index"]):
                # A pause, a cool-down or a request keeps the step: its writer still has every word.
                for writer in rooms.PARTNERS:
                    own = {m for m, w in marks.items() if w == writer}
                    assert _marks_seen(state, writer, own) <= _marks_seen(new, writer, own), (kind, writer)
        state = new
