"""The emotion check-in step: private labels with intensities, revealed together, then both go on."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import checkin
from server.domain.steps.common import other
from server.library import load_library

LIB = load_library("exercises")
FEELINGS = {f["id"]: LIB.feeling(f["id"]) for fam in LIB.feelings for f in fam["feelings"]}
IDS = sorted(FEELINGS)
NOW = 1_800_000_000.0
A, B, MOD = "partner_a", "partner_b", "moderator"
SEATS = (A, B, MOD)
SPEC = LIB.get("past-hurts")["steps"][0]  # max_feelings 3
WIDE_SPEC = LIB.get("name-it")["steps"][0]  # max_feelings 5


def ctx(mode="remote", first=A, **options):
    return StepCtx(now=NOW, seed=7, mode=mode, first=first, options=options, feelings=FEELINGS)


CTX = ctx()


def started(spec=SPEC, **options):
    return checkin.start(spec, ctx(**options))


def picks(*pairs):
    return [{"id": fid, "intensity": level} for fid, level in pairs]


def checkin_intent(*pairs, note=None):
    intent = {"type": "checkin", "feelings": picks(*pairs)}
    if note is not None:
        intent["note"] = note
    return intent


ADVANCE = {"type": "advance"}


def apply(st, seat, intent, c=CTX):
    """Apply and also check the machine left its argument alone."""
    before = copy.deepcopy(st)
    new, shared = checkin.apply(st, seat, intent, c)
    assert st == before
    return new, shared


def refused(st, seat, intent, code):
    before = copy.deepcopy(st)
    with pytest.raises(DomainError) as err:
        checkin.apply(st, seat, intent, CTX)
    assert err.value.code == code
    assert st == before


def both_checked_in():
    s, _ = apply(started(), A, checkin_intent(("peaceful", 3), ("hopeful", 4), note="slept well"))
    s, shared = apply(s, B, checkin_intent(("tired", 2)))
    return s, shared


def view(st, seat):
    return checkin.view(st, seat, CTX)


class TestStart:
    def test_a_new_check_in_waits_for_both_partners_with_nobody_checked_in(self):
        v = view(started(), A)
        assert v["phase"] == "checking_in"
        assert v["role"] == "partner"
        assert v["waiting_for"] == [A, B]
        assert v["can"] == ["checkin"]
        assert v["entries"] == {A: {"status": "thinking"}, B: {"status": "thinking"}}
        assert v["advance"] == {A: False, B: False}

    def test_the_word_limit_comes_from_the_exercise_file(self):
        assert view(started(SPEC), A)["max_feelings"] == 3
        assert view(started(WIDE_SPEC), A)["max_feelings"] == 5

    def test_the_plan_options_override_the_word_limit(self):
        assert view(started(SPEC, max_feelings=1), A)["max_feelings"] == 1

    def test_a_limit_from_the_options_is_kept_between_one_and_five(self):
        assert view(started(SPEC, max_feelings=9), A)["max_feelings"] == 5
        assert view(started(SPEC, max_feelings=0), A)["max_feelings"] == 1

    def test_the_moderator_is_an_observer_who_can_do_nothing(self):
        v = view(started(), MOD)
        assert v["role"] == "observer"
        assert v["can"] == []

    def test_the_state_is_plain_json(self):
        s, _ = both_checked_in()
        assert json.loads(json.dumps(s)) == s


class TestCheckingIn:
    def test_a_check_in_is_recorded_with_words_families_and_intensities(self):
        s, shared = apply(started(), A, checkin_intent(("peaceful", 3), ("hopeful", 4), note="  slept well "))
        mine = view(s, A)["entries"][A]
        assert mine == {"status": "checked_in", "note": "slept well", "feelings": [
            {"id": "peaceful", "word": "peaceful", "family": "calm", "intensity": 3},
            {"id": "hopeful", "word": "hopeful", "family": "joy", "intensity": 4},
        ]}
        assert shared == []
        assert view(s, A)["phase"] == "checking_in"

    def test_the_note_is_optional_even_for_a_remote_couple(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2)), ctx(mode="remote"))
        assert view(s, A)["entries"][A]["note"] is None

    def test_a_blank_note_counts_as_no_note(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2), note="   "))
        assert view(s, A)["entries"][A]["note"] is None

    def test_a_partner_may_replace_their_check_in_before_the_reveal(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2), note="first"))
        s, _ = apply(s, A, checkin_intent(("relieved", 5)))
        mine = view(s, A)["entries"][A]
        assert [f["id"] for f in mine["feelings"]] == ["relieved"]
        assert mine["note"] is None
        assert view(s, A)["phase"] == "checking_in"

    def test_a_partner_who_checked_in_may_still_change_it_while_the_other_thinks(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2)))
        v = view(s, A)
        assert v["can"] == ["checkin"]
        assert v["entries"][B] == {"status": "thinking"}

    def test_the_second_check_in_reveals_both_at_once(self):
        s, _ = both_checked_in()
        for seat in SEATS:
            v = view(s, seat)
            assert v["phase"] == "revealed"
            assert v["entries"][A]["note"] == "slept well"
            assert [f["id"] for f in v["entries"][A]["feelings"]] == ["peaceful", "hopeful"]
            assert [f["id"] for f in v["entries"][B]["feelings"]] == ["tired"]

    def test_the_reveal_puts_one_felt_entry_per_partner_on_the_table(self):
        _, shared = both_checked_in()
        assert shared == [
            {"seat": A, "label": "felt", "text": "peaceful 3/5, hopeful 4/5 — slept well"},
            {"seat": B, "label": "felt", "text": "tired 2/5"},
        ]

    def test_the_summary_line_uses_the_words_not_the_ids(self):
        s, _ = apply(started(), A, checkin_intent(("stretched-thin", 4)))
        _, shared = apply(s, B, checkin_intent(("not-good-enough", 1)))
        assert [e["text"] for e in shared] == ["stretched thin 4/5", "not good enough 1/5"]

    def test_the_order_in_which_partners_check_in_does_not_matter(self):
        s, _ = apply(started(), B, checkin_intent(("tired", 2)))
        s, shared = apply(s, A, checkin_intent(("glad", 1)))
        assert view(s, A)["phase"] == "revealed"
        assert [e["seat"] for e in shared] == [A, B]

    def test_after_the_reveal_a_check_in_can_no_longer_be_changed(self):
        s, _ = both_checked_in()
        refused(s, A, checkin_intent(("angry", 5)), "wrong_step")


class TestPrivacy:
    MARK = "zq-private-marker-7731"
    CHOSEN = ("lonely", "jealous", "ashamed")

    def checked_in_by_a(self):
        # Below feelings.yaml's `high` (4): a check-in that counts at once (TestDistress holds the others).
        return apply(started(), A, checkin_intent(*[(f, 3) for f in self.CHOSEN], note=self.MARK))[0]

    @pytest.mark.parametrize("seat", [B, MOD])
    def test_before_the_reveal_the_other_partner_and_the_moderator_see_no_trace_of_it(self, seat):
        dump = json.dumps(view(self.checked_in_by_a(), seat))
        assert self.MARK not in dump
        for fid in self.CHOSEN:
            assert json.dumps(fid) not in dump
            assert json.dumps(FEELINGS[fid]["word"]) not in dump

    @pytest.mark.parametrize("seat", [B, MOD])
    def test_before_the_reveal_others_only_learn_that_the_partner_has_checked_in(self, seat):
        assert view(self.checked_in_by_a(), seat)["entries"][A] == {"status": "checked_in"}

    def test_a_partner_sees_their_own_check_in_before_the_reveal(self):
        dump = json.dumps(view(self.checked_in_by_a(), A))
        assert self.MARK in dump
        assert all(json.dumps(fid) in dump for fid in self.CHOSEN)

    def test_nothing_is_shared_for_the_summary_before_the_reveal(self):
        _, shared = apply(started(), A, checkin_intent(("tired", 2), note=self.MARK))
        assert shared == []


class TestBadValues:
    @pytest.mark.parametrize("feelings", [
        picks(("no-such-feeling", 3)),
        picks(("tired", 2), ("tired", 4)),
        picks(("tired", 0)),
        picks(("tired", 6)),
        picks(("tired", -1)),
        picks(("tired", 2.5)),
        picks(("tired", True)),
        picks(("tired", "3")),
        [{"id": "tired"}],
        [{"intensity": 3}],
        [{"id": 7, "intensity": 3}],
        ["tired"],
        [],
        "tired",
        None,
    ], ids=["unknown-id", "duplicate", "zero", "six", "negative", "fraction", "boolean", "string-intensity",
            "no-intensity", "no-id", "number-id", "bare-string-item", "empty", "not-a-list", "missing"])
    def test_a_malformed_check_in_is_refused_as_a_bad_value(self, feelings):
        refused(started(), A, {"type": "checkin", "feelings": feelings}, "bad_value")

    def test_more_feelings_than_the_exercise_allows_is_a_bad_value(self):
        four = picks(("tired", 1), ("glad", 2), ("safe", 3), ("sad", 4))
        refused(started(SPEC), A, {"type": "checkin", "feelings": four}, "bad_value")

    def test_more_feelings_than_the_plan_allows_is_a_bad_value(self):
        s = started(WIDE_SPEC, max_feelings=1)
        refused(s, A, checkin_intent(("tired", 1), ("glad", 2)), "bad_value")

    def test_exactly_as_many_feelings_as_allowed_is_fine(self):
        s, _ = apply(started(WIDE_SPEC), A, checkin_intent(*[(f, 3) for f in IDS[:5]]))
        assert len(view(s, A)["entries"][A]["feelings"]) == 5

    def test_an_integral_float_intensity_is_read_as_a_whole_number(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 3.0)))
        assert view(s, A)["entries"][A]["feelings"][0]["intensity"] == 3

    @pytest.mark.parametrize("note", [7, ["x"], "x" * 2001])
    def test_a_note_that_is_not_short_text_is_a_bad_value(self, note):
        refused(started(), A, {"type": "checkin", "feelings": picks(("tired", 2)), "note": note}, "bad_value")

    def test_a_refused_replacement_keeps_the_earlier_check_in(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2)))
        refused(s, A, checkin_intent(("nope", 2)), "bad_value")
        assert view(s, A)["entries"][A]["feelings"][0]["id"] == "tired"


class TestWaitingFor:
    def test_a_partner_who_checked_in_is_no_longer_waited_for_but_may_still_change_it(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2)))
        for seat in SEATS:
            assert view(s, seat)["waiting_for"] == [B]
        assert view(s, A)["can"] == ["checkin"]
        s, _ = apply(s, A, checkin_intent(("hopeful", 4)))
        assert view(s, A)["entries"][A]["feelings"][0]["id"] == "hopeful"
        assert view(s, A)["phase"] == "checking_in"


class TestAdvancing:
    def test_after_the_reveal_both_partners_are_asked_to_go_on(self):
        s, _ = both_checked_in()
        assert view(s, A)["waiting_for"] == [A, B]
        assert view(s, A)["can"] == ["advance"]
        assert view(s, MOD)["can"] == []

    def test_one_partner_going_on_waits_for_the_other(self):
        s, _ = both_checked_in()
        s, shared = apply(s, A, ADVANCE)
        v = view(s, A)
        assert shared == []
        assert v["phase"] == "revealed"
        assert v["advance"] == {A: True, B: False}
        assert v["waiting_for"] == [B]
        assert v["can"] == []
        assert not checkin.done(s)

    def test_asking_to_go_on_twice_is_refused_while_the_other_has_not(self):
        s, _ = both_checked_in()
        s, _ = apply(s, A, ADVANCE)
        refused(s, A, ADVANCE, "not_your_turn")

    def test_when_both_go_on_the_step_is_done(self):
        s, _ = both_checked_in()
        s, _ = apply(s, B, ADVANCE)
        s, shared = apply(s, A, ADVANCE)
        assert checkin.done(s)
        assert shared == []
        v = view(s, A)
        assert v["phase"] == "done"
        assert v["waiting_for"] == [] and v["can"] == []

    def test_the_revealed_check_ins_stay_visible_once_done(self):
        s, _ = both_checked_in()
        s, _ = apply(s, A, ADVANCE)
        s, _ = apply(s, B, ADVANCE)
        assert view(s, MOD)["entries"][B]["feelings"][0]["id"] == "tired"


class TestRefusals:
    def test_going_on_before_the_reveal_is_the_wrong_step(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2)))
        refused(s, A, ADVANCE, "wrong_step")

    def test_an_intent_of_another_step_kind_is_the_wrong_step(self):
        refused(started(), A, {"type": "start_turn"}, "wrong_step")

    def test_the_moderator_cannot_check_in(self):
        refused(started(), MOD, checkin_intent(("tired", 2)), "not_your_turn")

    def test_the_moderator_cannot_go_on_for_the_partners(self):
        s, _ = both_checked_in()
        refused(s, MOD, ADVANCE, "not_your_turn")

    @pytest.mark.parametrize("seat", SEATS)
    @pytest.mark.parametrize("intent", [checkin_intent(("tired", 2)), ADVANCE, {"type": "start_turn"}])
    def test_after_done_everything_is_refused_as_finished(self, seat, intent):
        s, _ = both_checked_in()
        s, _ = apply(s, A, ADVANCE)
        s, _ = apply(s, B, ADVANCE)
        refused(s, seat, intent, "finished")


class TestNoClock:
    def test_there_is_no_deadline_and_ticks_do_nothing(self):
        s = started()
        assert checkin.deadline(s) is None
        assert checkin.tick(s, CTX) is None

    def test_pause_resume_and_swap_change_nothing(self):
        s, _ = apply(started(), A, checkin_intent(("tired", 2)))
        assert checkin.pause(s, CTX) == s
        assert checkin.resume(s, CTX) == s
        assert checkin.swap_roles(s, CTX) == s


class TestInterface:
    def test_every_intent_has_field_schemas_and_required_fields(self):
        assert checkin.KIND == "checkin"
        assert set(checkin.INTENTS) == {"checkin", "advance", "carry_on"}
        fields, required = checkin.INTENTS["checkin"]
        assert required == ["feelings"]
        items = fields["feelings"]
        assert (items["minItems"], items["maxItems"]) == (1, 5)
        assert items["items"]["properties"]["intensity"] == {"type": "integer", "minimum": 1, "maximum": 5}
        assert checkin.INTENTS["advance"] == ({}, [])

    def test_the_checkin_fields_schema_accepts_a_good_intent_and_rejects_bad_ones(self):
        from jsonschema import Draft202012Validator

        fields, required = checkin.INTENTS["checkin"]
        validator = Draft202012Validator({"type": "object", "properties": fields, "required": required})
        assert validator.is_valid({"feelings": picks(("tired", 2)), "note": "hi"})
        assert not validator.is_valid({"feelings": picks(("tired", 6))})
        assert not validator.is_valid({"feelings": []})
        assert not validator.is_valid({"feelings": picks(*[(f, 1) for f in IDS[:6]])})


# --- properties ----------------------------------------------------------

MARK = "\u2063secret-note-marker\u2063"


@st_.composite
def checkin_intents(draw):
    """Mostly valid check-ins (possibly over the limit), sometimes broken ones; notes carry a unique marker."""
    if draw(st_.integers(0, 3)):
        ids = draw(st_.lists(st_.sampled_from(IDS), min_size=1, max_size=4, unique=True))
        levels = draw(st_.lists(st_.integers(1, 5), min_size=len(ids), max_size=len(ids)))
    else:
        n = draw(st_.integers(0, 6))
        ids = draw(st_.lists(st_.sampled_from(IDS + ["no-such-feeling"]), min_size=n, max_size=n))
        levels = draw(st_.lists(st_.integers(-1, 7), min_size=n, max_size=n))
    intent = {"type": "checkin", "feelings": [{"id": i, "intensity": v} for i, v in zip(ids, levels)]}
    if draw(st_.booleans()):
        intent["note"] = MARK + draw(st_.text(max_size=20))
    return intent


def valid_checkin(limit):
    return checkin_intent(*[(f, 3) for f in IDS[:limit]], note=MARK)


moves = st_.tuples(
    st_.sampled_from((A, B, A, B, MOD)),
    st_.one_of(checkin_intents(), checkin_intents(), st_.just(ADVANCE), st_.just(ADVANCE),
               st_.just({"type": "end_turn"})),
)


def check_privacy(s):
    """Before the reveal, neither the other partner nor the moderator sees a partner's words or note."""
    if checkin.view(s, A, CTX)["phase"] != "checking_in":
        return
    for owner in (A, B):
        entry = s["entries"][owner]
        if entry is None:
            continue
        secrets = [json.dumps(f[key]) for f in entry["feelings"] for key in ("id", "word")]
        if entry["note"]:
            secrets.append(entry["note"])
        held = bool(entry.get("held"))
        for seat in (other(owner), MOD):
            v = checkin.view(s, seat, CTX)
            if seat == MOD:
                # The moderator is told a check-in named a hard feeling strongly, never which.
                assert v["entries"][owner] == {"status": "checked_in", **({"distress": True} if entry["distressed"] else {})}
            else:
                # A held check-in is its owner's choice still: to the partner they are thinking.
                assert v["entries"][owner] == {"status": "thinking" if held else "checked_in"}
                # The offer is only ever about the seat's own check-in.
                assert v["care_offer"] is bool((s["entries"][seat] or {}).get("held"))
                assert ("carry_on" in v["can"]) is v["care_offer"]
            v["entries"].pop(seat, None)  # the seat's own check-in may of course pick the same words
            dump = json.dumps(v, ensure_ascii=False)
            assert MARK not in dump
            assert not any(secret in dump for secret in secrets)


def check_can(s):
    """Seats not waited for can do nothing; everything a seat can do is accepted from it."""
    for seat in SEATS:
        v = checkin.view(s, seat, CTX)
        if seat not in v["waiting_for"]:
            # Only a partner who has checked in may still act without being waited for: to change it.
            assert v["can"] == [] or (s["phase"] == "checking_in" and s["entries"][seat] is not None)
        for kind in v["can"]:
            intent = valid_checkin(s["max_feelings"]) if kind == "checkin" else {"type": kind}
            checkin.apply(s, seat, intent, CTX)  # must not raise


def check_finished(s):
    for seat in SEATS:
        for intent in (valid_checkin(1), ADVANCE, {"type": "end_turn"}):
            with pytest.raises(DomainError) as err:
                checkin.apply(s, seat, intent, CTX)
            assert err.value.code == "finished"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(limit=st_.integers(1, 5), sequence=st_.lists(moves, min_size=8, max_size=30))
def test_any_sequence_of_moves_keeps_check_ins_private_and_the_rules_consistent(limit, sequence):
    s = started(WIDE_SPEC, max_feelings=limit)
    check_privacy(s)
    check_can(s)
    for seat, intent in sequence:
        before = copy.deepcopy(s)
        try:
            new, shared = checkin.apply(s, seat, intent, CTX)
        except DomainError as err:
            assert err.code in {"not_your_turn", "wrong_step", "finished", "bad_value"}
            assert s == before  # a refusal changes nothing
            if checkin.done(s):
                assert err.code == "finished"
            continue
        assert s == before  # the argument is never mutated
        assert seat in (A, B)
        assert json.loads(json.dumps(new)) == new
        was, now_ = before["phase"], new["phase"]
        assert (was, now_) in {("checking_in", "checking_in"), ("checking_in", "revealed"),
                               ("revealed", "revealed"), ("revealed", "done")}
        assert bool(shared) == (was == "checking_in" and now_ == "revealed")
        assert all(len(e["feelings"]) <= limit for e in new["entries"].values() if e)
        s = new
        check_privacy(s)
        check_can(s)
    if checkin.done(s):
        check_finished(s)


@settings(max_examples=200, deadline=None)
@given(sequence=st_.lists(st_.sampled_from(SEATS), max_size=12))
def test_partners_always_reach_done_by_checking_in_and_going_on(sequence):
    s = started()
    for seat in list(sequence) + [A, B, A, B]:
        v = checkin.view(s, seat, CTX)
        for kind in v["can"]:
            s, _ = checkin.apply(s, seat, valid_checkin(1) if kind == "checkin" else {"type": kind}, CTX)
    assert checkin.done(s)
    check_finished(s)
