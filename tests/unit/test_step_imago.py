"""The Imago Dialogue step machine: appointment, send, mirror, summary, validation, empathy, close."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from server.domain.context import StepCtx
from server.domain.errors import DomainError
from server.domain.steps import common, imago, speaker_listener
from server.library import load_library

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
LIBRARY = load_library(EXERCISES)
SPEC = LIBRARY.exercises["imago-dialogue"]["steps"][0]
SEATS = ("partner_a", "partner_b", "moderator")
MODES = ("same_room", "remote")
A, B = "partner_a", "partner_b"


def ctx(mode="same_room", first=A, **options):
    return StepCtx(now=1000.0, seed=7, mode=mode, first=first, options=options)


def said(mode, text):
    """The text field as each mode sends it: typed when remote, said aloud (absent) in the same room."""
    return {"text": text} if mode == "remote" else {}


def intent(kind, **fields):
    return {"type": kind, **fields}


def refused(st_, seat, it, c):
    with pytest.raises(DomainError) as caught:
        imago.apply(st_, seat, it, c)
    return caught.value.code


# One canonical move per phase that follows the happy path, as (role, intent type, fields).
HAPPY = {
    "appointment": ("sender", "ask_appointment", {}),
    "answer_appointment": ("receiver", "appointment", {"when": "now"}),
    "send": ("sender", "send", {"text": "I felt alone on Sunday."}),
    "mirror": ("receiver", "mirror", {"text": "If I got it, you felt alone on Sunday."}),
    "mirror_check": ("sender", "mirror_check", {"accurate": True}),
    "more": ("sender", "more", {"more": False}),
    "summary": ("receiver", "summarize", {"text": "So, Sunday felt lonely."}),
    "summary_check": ("sender", "summary_check", {"fair": True}),
    "validation": ("receiver", "validate", {"text": "You make sense because I was on my phone."}),
    "empathy": ("receiver", "empathize", {"text": "I imagine you might feel invisible."}),
    "empathy_check": ("sender", "empathy_check", {"accurate": True}),
    "close": ("sender", "close", {"switch": False}),
}


def happy_move(st_, mode):
    role, kind, fields = HAPPY[st_["phase"]]
    fields = dict(fields)
    if mode == "same_room":
        fields.pop("text", None)
    return st_[role], intent(kind, **fields)


def at(phase, mode="same_room", c=None):
    """A fresh dialogue walked along the happy path up to `phase` (or "later")."""
    c = c or ctx(mode)
    s = imago.start(SPEC, c)
    if phase == "later":
        s, _ = imago.apply(s, s["sender"], intent("ask_appointment"), c)
        s, _ = imago.apply(s, s["receiver"], intent("appointment", when="later", minutes=30), c)
        return s
    if phase == "understand":
        s = at("validation", mode, c)
        s, _ = imago.apply(s, s["receiver"], intent("ask_understand", **said(mode, "Help me understand?")), c)
        return s
    while s["phase"] != phase:
        assert s["phase"] != "done", f"the happy path never reaches {phase}"
        s, _ = imago.apply(s, *happy_move(s, mode), c)
    return s


# Every legal move: (phase, role, intent type, fields, next phase, summary label or None).
TRANSITIONS = [
    ("appointment", "sender", "ask_appointment", {}, "answer_appointment", None),
    ("answer_appointment", "receiver", "appointment", {"when": "now"}, "send", None),
    ("answer_appointment", "receiver", "appointment", {"when": "later", "minutes": 30}, "later", None),
    ("later", "sender", "ask_appointment", {}, "answer_appointment", None),
    ("later", "receiver", "appointment", {"when": "now"}, "send", None),
    ("send", "sender", "send", {"text": "I miss our walks."}, "mirror", "sent"),
    ("mirror", "receiver", "mirror", {"text": "If I got it, you miss our walks."}, "mirror_check", "mirrored"),
    ("mirror_check", "sender", "mirror_check", {"accurate": True}, "more", None),
    ("mirror_check", "sender", "mirror_check", {"accurate": False, "text": "Walks at night."}, "mirror", "corrected"),
    ("more", "sender", "more", {"more": True}, "send", None),
    ("more", "sender", "more", {"more": False}, "summary", None),
    ("summary", "receiver", "summarize", {"text": "You miss our walks."}, "summary_check", "summary"),
    ("summary_check", "sender", "summary_check", {"fair": True}, "validation", None),
    ("summary_check", "sender", "summary_check", {"fair": False, "text": "And the talks."}, "summary", "added"),
    ("validation", "receiver", "validate", {"text": "You make sense because..."}, "empathy", "validation"),
    ("empathy", "receiver", "empathize", {"text": "I imagine you feel lonely."}, "empathy_check", "empathy"),
    ("empathy_check", "sender", "empathy_check", {"accurate": True}, "close", None),
    ("empathy_check", "sender", "empathy_check", {"accurate": False, "text": "More sad."}, "empathy", "feeling"),
    ("close", "sender", "close", {"switch": True}, "appointment", None),
    ("close", "receiver", "close", {"switch": True}, "appointment", None),
    # A switch is still left: one partner's "finished" waits for the other's.
    ("close", "sender", "close", {"switch": False}, "close", None),
    ("close", "receiver", "close", {"switch": False}, "close", None),
    ("validation", "receiver", "ask_understand", {"text": "The part about Sunday?"}, "understand",
     "asked to understand"),
]


# --- the interface ------------------------------------------------------------

def test_the_module_has_the_whole_step_machine_interface():
    for name in ("start", "apply", "view", "done", "deadline", "tick", "pause", "resume", "swap_roles"):
        assert callable(getattr(imago, name))
    assert imago.KIND == "imago"


def test_its_intent_names_are_not_used_by_another_machine():
    assert not set(imago.INTENTS) & set(speaker_listener.INTENTS)


def test_every_intent_schema_is_valid_json_schema_and_lists_its_required_fields():
    for kind, (fields, required) in imago.INTENTS.items():
        schema = {"type": "object", "properties": fields, "required": required}
        Draft202012Validator.check_schema(schema)
        assert set(required) <= set(fields), kind


def test_the_transport_schema_refuses_an_appointment_that_is_neither_now_nor_later():
    fields, required = imago.INTENTS["appointment"]
    validator = Draft202012Validator({"type": "object", "properties": fields, "required": required})
    assert validator.is_valid({"when": "now"})
    assert not validator.is_valid({"when": "tomorrow"})
    assert not validator.is_valid({})


def test_there_is_no_clock():
    s = imago.start(SPEC, ctx())
    assert imago.deadline(s) is None
    assert imago.tick(s, ctx()) is None
    assert imago.pause(s, ctx()) == s
    assert imago.resume(s, ctx()) == s


# --- start --------------------------------------------------------------------

@pytest.mark.parametrize("first", [A, B])
def test_the_first_partner_starts_as_sender_at_the_appointment(first):
    s = imago.start(SPEC, ctx(first=first))
    assert s["phase"] == "appointment"
    assert s["sender"] == first
    assert s["receiver"] == common.other(first)
    assert not imago.done(s)


@pytest.mark.parametrize("exercise", ["imago-dialogue", "past-hurts", "you-make-sense"])
def test_every_imago_step_in_the_library_starts(exercise):
    for spec in LIBRARY.exercises[exercise]["steps"]:
        if spec["kind"] == "imago":
            s = imago.start(spec, ctx())
            assert s["phase"] == "appointment"
            json.dumps(s)


def test_one_switch_is_allowed_by_default_and_the_plan_may_change_it():
    assert imago.start(SPEC, ctx())["switches"] == 1
    assert imago.start(SPEC, ctx(switches=0))["switches"] == 0
    assert imago.start(SPEC, ctx(switches=3))["switches"] == 3
    assert imago.start({**SPEC, "switches": 2}, ctx())["switches"] == 2


# --- every transition, in both modes -----------------------------------------

@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("phase,role,kind,fields,then,label", TRANSITIONS,
                         ids=[f"{t[0]}-{t[2]}-{t[4]}" for t in TRANSITIONS])
def test_each_legal_move_leads_to_its_next_phase(mode, phase, role, kind, fields, then, label):
    c = ctx(mode)
    s = at(phase, mode, c)
    seat = s[role]
    text = fields.get("text")
    sent = {k: v for k, v in fields.items() if k != "text"} | (said(mode, text) if text else {})
    new, shared = imago.apply(s, seat, intent(kind, **sent), c)
    assert new["phase"] == then
    if mode == "remote" and label:
        assert shared == [{"seat": seat, "label": label, "text": text}]
    else:
        assert shared == []


@pytest.mark.parametrize("mode", MODES)
def test_what_is_said_shows_in_the_current_exchange_for_both_partners(mode):
    c = ctx(mode)
    s = at("send", mode, c)
    s, _ = imago.apply(s, A, intent("send", **said(mode, "I miss you.")), c)
    s, _ = imago.apply(s, B, intent("mirror", **said(mode, "You miss me.")), c)
    expected = "I miss you." if mode == "remote" else None
    for seat in SEATS:
        current = imago.view(s, seat, c)["current"]
        assert current["message"] == expected
        assert current["mirror"] == ("You miss me." if mode == "remote" else None)


def test_text_is_trimmed_and_shared_under_the_senders_seat():
    c = ctx("remote", first=B)
    s = at("send", "remote", c)
    _, shared = imago.apply(s, B, intent("send", text="  I need rest.  "), c)
    assert shared == [{"seat": B, "label": "sent", "text": "I need rest."}]


def test_a_couple_in_one_room_may_type_anyway_and_it_is_shared():
    c = ctx("same_room")
    s = at("validation", "same_room", c)
    s, shared = imago.apply(s, B, intent("validate", text="You make sense."), c)
    assert shared == [{"seat": B, "label": "validation", "text": "You make sense."}]
    assert imago.view(s, A, c)["current"]["validation"] == "You make sense."


# --- the appointment ----------------------------------------------------------

def test_in_later_either_partner_may_move_and_the_view_says_so():
    c = ctx()
    s = at("later", c=c)
    assert imago.view(s, A, c)["waiting_for"] == [A, B]
    assert imago.view(s, A, c)["can"] == ["ask_appointment"]
    assert imago.view(s, B, c)["can"] == ["appointment"]
    assert imago.view(s, "moderator", c)["can"] == []


def test_the_receiver_who_said_later_may_say_now_without_being_asked_again():
    c = ctx()
    s = at("later", c=c)
    s, _ = imago.apply(s, B, intent("appointment", when="now"), c)
    assert s["phase"] == "send"


def test_the_sender_may_ask_again_after_later_and_hear_later_again():
    c = ctx()
    s = at("later", c=c)
    s, _ = imago.apply(s, A, intent("ask_appointment"), c)
    s, _ = imago.apply(s, B, intent("appointment", when="later", minutes=60), c)
    assert s["phase"] == "later"


def test_saying_later_again_without_being_asked_is_the_wrong_step():
    c = ctx()
    assert refused(at("later", c=c), B, intent("appointment", when="later", minutes=60), c) == "wrong_step"


@pytest.mark.parametrize("phase", ["answer_appointment", "later"])
@pytest.mark.parametrize("when", ["soon", "", None, 3])
def test_an_appointment_that_is_neither_now_nor_later_is_a_bad_value(phase, when):
    c = ctx()
    assert refused(at(phase, c=c), B, intent("appointment", when=when), c) == "bad_value"


@pytest.mark.parametrize("phase,kind,name", [
    ("mirror_check", "mirror_check", "accurate"), ("more", "more", "more"),
    ("summary_check", "summary_check", "fair"), ("empathy_check", "empathy_check", "accurate"),
    ("close", "close", "switch"),
])
def test_a_yes_or_no_that_is_not_a_boolean_is_a_bad_value(phase, kind, name):
    c = ctx()
    s = at(phase, c=c)
    assert refused(s, s["sender"], intent(kind, **{name: "yes"}), c) == "bad_value"
    assert refused(s, s["sender"], intent(kind), c) == "bad_value"


# --- illegal intents ----------------------------------------------------------

PHASES_BEFORE_DONE = [p for p in imago.PHASES if p != "done"]


@pytest.mark.parametrize("phase", PHASES_BEFORE_DONE)
def test_the_right_move_from_the_wrong_partner_is_not_your_turn(phase):
    c = ctx()
    s = at(phase, c=c)
    # A move both partners may make (the close) has no wrong partner: only the moderator is refused.
    both = set(imago.view(s, A, c)["can"]) & set(imago.view(s, B, c)["can"])
    for kind in set(imago.view(s, A, c)["can"]) - both:
        assert refused(s, B, _acceptable(kind, "same_room"), c) == "not_your_turn"
    for kind in set(imago.view(s, B, c)["can"]) - both:
        assert refused(s, A, _acceptable(kind, "same_room"), c) == "not_your_turn"
    for kind in both:
        assert refused(s, "moderator", _acceptable(kind, "same_room"), c) == "not_your_turn"


@pytest.mark.parametrize("phase", PHASES_BEFORE_DONE)
def test_a_move_of_another_phase_is_the_wrong_step_from_any_seat(phase):
    c = ctx()
    s = at(phase, c=c)
    allowed = set(imago.view(s, A, c)["can"]) | set(imago.view(s, B, c)["can"])
    assert allowed
    for kind in set(imago.INTENTS) - allowed:
        for seat in SEATS:
            assert refused(s, seat, _acceptable(kind, "same_room"), c) == "wrong_step"


def test_an_unknown_intent_type_is_the_wrong_step():
    c = ctx()
    assert refused(imago.start(SPEC, c), A, intent("share"), c) == "wrong_step"


@pytest.mark.parametrize("phase,kind,fields", [
    ("send", "send", {}), ("mirror", "mirror", {}),
    ("mirror_check", "mirror_check", {"accurate": False}),
    ("summary", "summarize", {}), ("summary_check", "summary_check", {"fair": False}),
    ("validation", "validate", {}), ("empathy", "empathize", {}),
    ("empathy_check", "empathy_check", {"accurate": False}),
])
@pytest.mark.parametrize("blank", [None, "", "   \n"])
def test_remote_partners_must_type_what_they_say(phase, kind, fields, blank):
    c = ctx("remote")
    s = at(phase, "remote", c)
    role = HAPPY[phase][0]
    text = {} if blank is None else {"text": blank}
    assert refused(s, s[role], intent(kind, **fields, **text), c) == "text_required"


@pytest.mark.parametrize("kind,fields", [
    ("mirror_check", {"accurate": True}), ("summary_check", {"fair": True}), ("empathy_check", {"accurate": True}),
])
def test_a_remote_yes_needs_no_text(kind, fields):
    c = ctx("remote")
    s = at(kind, "remote", c)
    new, shared = imago.apply(s, A, intent(kind, **fields), c)
    assert new["phase"] != s["phase"] and shared == []


@pytest.mark.parametrize("mode", MODES)
def test_after_done_every_intent_from_every_seat_is_finished(mode):
    c = ctx(mode)
    s = at("close", mode, c)
    s, _ = imago.apply(s, A, intent("close", switch=False), c)
    s, _ = imago.apply(s, B, intent("close", switch=False), c)
    assert imago.done(s)
    for kind in imago.INTENTS:
        for seat in SEATS:
            assert refused(s, seat, _acceptable(kind, mode), c) == "finished"


@pytest.mark.parametrize("phase", PHASES_BEFORE_DONE)
def test_a_moderator_can_send_nothing_and_is_an_observer(phase):
    c = ctx()
    s = at(phase, c=c)
    v = imago.view(s, "moderator", c)
    assert v["role"] == "observer" and v["can"] == []
    for kind in imago.INTENTS:
        assert refused(s, "moderator", _acceptable(kind, "remote"), c) in {"not_your_turn", "wrong_step"}


# --- the loops ----------------------------------------------------------------

def test_a_mirror_corrected_twice_goes_back_to_mirroring_each_time():
    c = ctx("remote")
    s = at("mirror", "remote", c)
    labels = []
    for correction in ("Not angry, hurt.", "Hurt, and tired."):
        s, shared = imago.apply(s, B, intent("mirror", text="You are angry."), c)
        labels += shared
        s, shared = imago.apply(s, A, intent("mirror_check", accurate=False, text=correction), c)
        labels += shared
        assert s["phase"] == "mirror"
        current = imago.view(s, B, c)["current"]
        assert current["correction"] == correction and current["mirror"] is None
    s, _ = imago.apply(s, B, intent("mirror", text="You are hurt and tired."), c)
    s, _ = imago.apply(s, A, intent("mirror_check", accurate=True), c)
    assert s["phase"] == "more"
    assert [e["label"] for e in labels] == ["mirrored", "corrected", "mirrored", "corrected"]
    assert [e["seat"] for e in labels] == [B, A, B, A]


def test_an_unfair_summary_goes_back_to_summarising_with_what_was_missing():
    c = ctx("remote")
    s = at("summary", "remote", c)
    s, _ = imago.apply(s, B, intent("summarize", text="You miss walks."), c)
    s, shared = imago.apply(s, A, intent("summary_check", fair=False, text="And our talks."), c)
    assert s["phase"] == "summary"
    assert shared == [{"seat": A, "label": "added", "text": "And our talks."}]
    assert imago.view(s, B, c)["current"]["missing"] == "And our talks."
    s, _ = imago.apply(s, B, intent("summarize", text="You miss walks and talks."), c)
    s, _ = imago.apply(s, A, intent("summary_check", fair=True), c)
    assert s["phase"] == "validation"


def test_a_wrong_empathy_guess_goes_back_to_empathy_with_how_the_sender_feels():
    c = ctx("remote")
    s = at("empathy", "remote", c)
    s, _ = imago.apply(s, B, intent("empathize", text="I imagine you feel angry."), c)
    s, shared = imago.apply(s, A, intent("empathy_check", accurate=False, text="More scared."), c)
    assert s["phase"] == "empathy"
    assert shared == [{"seat": A, "label": "feeling", "text": "More scared."}]
    assert imago.view(s, B, c)["current"]["feeling"] == "More scared."
    s, _ = imago.apply(s, B, intent("empathize", text="I imagine you feel scared."), c)
    s, _ = imago.apply(s, A, intent("empathy_check", accurate=True), c)
    assert s["phase"] == "close"


def test_is_there_more_yes_lets_the_sender_send_again_from_a_clean_slate():
    c = ctx("remote")
    s = at("more", "remote", c)
    assert imago.view(s, A, c)["pieces"] == 1
    s, _ = imago.apply(s, A, intent("more", more=True), c)
    assert s["phase"] == "send"
    assert imago.view(s, B, c)["current"]["message"] is None
    s, shared = imago.apply(s, A, intent("send", text="And another thing."), c)
    assert shared[0]["label"] == "sent"
    assert imago.view(s, B, c)["pieces"] == 2
    assert imago.view(s, B, c)["current"]["message"] == "And another thing."


# --- a whole dialogue ---------------------------------------------------------

def play(c, closes):
    """Walk the happy path, closing with each `switch` in turn; return every state visited."""
    s = imago.start(SPEC, c)
    states = [s]
    closes = list(closes)
    while not imago.done(s):
        seat, it = happy_move(s, c.mode)
        if it["type"] == "close":
            it["switch"] = closes.pop(0)
        s, _ = imago.apply(s, seat, it, c)
        if s["phase"] == "close" and s["finished"]:
            # The sender said finished with a switch left: the receiver finishes too.
            s, _ = imago.apply(s, s["receiver"], intent("close", switch=False), c)
        states.append(s)
    return states


@pytest.mark.parametrize("mode", MODES)
def test_a_full_dialogue_with_one_switch_lets_each_partner_send_once_and_ends_done(mode):
    c = ctx(mode)
    states = play(c, [True, True])
    senders = [s["sender"] for s in states]
    swaps = sum(1 for x, y in zip(senders, senders[1:]) if x != y)
    assert swaps == 1
    assert states[-1]["phase"] == "done"
    assert senders[0] == A and senders[-1] == B
    assert imago.view(states[-1], A, c)["round"] == 2


def test_finishing_with_a_switch_left_ends_once_both_partners_said_finished():
    states = play(ctx(), [False])
    assert {s["sender"] for s in states} == {A}
    assert imago.done(states[-1])


def test_with_no_switches_allowed_a_switch_request_just_ends():
    states = play(ctx(switches=0), [True])
    assert {s["sender"] for s in states} == {A}
    assert imago.done(states[-1])


def test_two_switches_give_three_rounds_that_alternate_senders():
    c = ctx(switches=2)
    states = play(c, [True, True, True])
    rounds = [s["sender"] for s in states if s["phase"] == "appointment"]
    assert rounds == [A, B, A]
    assert imago.view(states[-1], B, c)["round"] == 3


def test_a_round_after_a_switch_starts_with_a_fresh_exchange():
    c = ctx("remote")
    s = at("close", "remote", c)
    s, _ = imago.apply(s, A, intent("close", switch=True), c)
    v = imago.view(s, A, c)
    assert v["phase"] == "appointment" and v["sender"] == B and v["role"] == "receiver"
    assert v["round"] == 2 and v["switches_left"] == 0 and v["pieces"] == 0
    assert set(v["current"].values()) == {None}


@pytest.mark.parametrize("mode", MODES)
def test_apply_never_changes_the_state_it_is_given(mode):
    c = ctx(mode)
    s = imago.start(SPEC, c)
    moves = []
    while not imago.done(s):
        seat, it = happy_move(s, mode)
        if it["type"] == "mirror_check" and not any(m[1].get("accurate") is False for m in moves):
            it = intent("mirror_check", accurate=False, **said(mode, "No."))
        if it["type"] == "close":
            it["switch"] = True
        before = copy.deepcopy(s)
        new, _ = imago.apply(s, seat, it, c)
        assert s == before
        assert new is not s
        moves.append((seat, it))
        s = new


# --- the view and the moderator's swap ----------------------------------------

def test_the_view_has_the_fields_every_machine_promises_and_is_json():
    c = ctx("remote")
    s = at("mirror", "remote", c)
    for seat in SEATS:
        v = imago.view(s, seat, c)
        assert {"phase", "role", "waiting_for", "can", "sender", "receiver", "round", "current"} <= set(v)
        json.dumps(v)
    assert imago.view(s, A, c)["role"] == "sender"
    assert imago.view(s, B, c)["role"] == "receiver"
    assert imago.view(s, B, c)["waiting_for"] == [B]
    assert imago.view(s, B, c)["can"] == ["mirror"]
    assert imago.view(s, A, c)["can"] == []


def test_changing_a_view_does_not_change_the_state():
    c = ctx("remote")
    s = at("mirror", "remote", c)
    before = copy.deepcopy(s)
    imago.view(s, A, c)["current"]["message"] = "tampered"
    assert s == before


@pytest.mark.parametrize("phase", ["appointment", "mirror", "summary_check", "close", "later"])
def test_a_moderator_swap_gives_the_receiver_the_sending_from_a_fresh_appointment(phase):
    c = ctx("remote")
    s = at(phase, "remote", c)
    before = copy.deepcopy(s)
    new = imago.swap_roles(s, c)
    assert s == before
    assert (new["sender"], new["receiver"]) == (B, A)
    assert new["phase"] == "appointment"
    assert set(new["current"].values()) == {None}
    assert imago.view(new, A, c)["round"] == 1  # a moderator's swap uses up none of the couple's switches


def test_a_moderator_swap_of_a_finished_dialogue_changes_nothing():
    c = ctx()
    s = play(c, [False])[-1]
    assert imago.swap_roles(s, c) == s
    assert imago.done(imago.swap_roles(s, c))


# --- properties ---------------------------------------------------------------

def _acceptable(kind, mode):
    """A well-formed intent of this type that the machine accepts whenever the type is allowed."""
    fields = {
        "appointment": {"when": "now"},
        "mirror_check": {"accurate": True},
        "more": {"more": True},
        "summary_check": {"fair": True},
        "empathy_check": {"accurate": True},
        "close": {"switch": True},
    }.get(kind, {})
    if "text" in imago.INTENTS[kind][0]:
        fields["text"] = "Something I mean."
    return intent(kind, **fields)


texts = st.one_of(st.none(), st.sampled_from(["", "  "]), st.text(min_size=1, max_size=20))
BOOLS = st.booleans()
FIELDS = {
    "ask_appointment": st.fixed_dictionaries({}),
    "appointment": st.fixed_dictionaries({"when": st.sampled_from(["now", "later", "soon"])},
                                         optional={"minutes": st.sampled_from([4, 5, 30, 1440, 1441])}),
    "ask_understand": st.fixed_dictionaries({}, optional={"text": texts}),
    "help_understand": st.fixed_dictionaries({}, optional={"text": texts}),
    "send": st.fixed_dictionaries({}, optional={"text": texts}),
    "mirror": st.fixed_dictionaries({}, optional={"text": texts}),
    "mirror_check": st.fixed_dictionaries({"accurate": BOOLS}, optional={"text": texts}),
    "more": st.fixed_dictionaries({"more": BOOLS}),
    "summarize": st.fixed_dictionaries({}, optional={"text": texts}),
    "summary_check": st.fixed_dictionaries({"fair": BOOLS}, optional={"text": texts}),
    "validate": st.fixed_dictionaries({}, optional={"text": texts}),
    "empathize": st.fixed_dictionaries({}, optional={"text": texts}),
    "empathy_check": st.fixed_dictionaries({"accurate": BOOLS}, optional={"text": texts}),
    "close": st.fixed_dictionaries({"switch": BOOLS}),
}
assert set(FIELDS) == set(imago.INTENTS)



def random_intent(kind):
    """Plausible fields for this type, as the transport would let them through (no text: field left out)."""
    return FIELDS[kind].map(lambda fields: intent(kind, **{k: v for k, v in fields.items() if v is not None}))


random_intents = st.sampled_from(sorted(FIELDS)).flatmap(random_intent)


def check_invariants(s, c):
    assert s["sender"] != s["receiver"]
    assert {s["sender"], s["receiver"]} == set(common.PARTNERS)
    assert s["phase"] in imago.PHASES
    json.dumps(s)
    views = {seat: imago.view(s, seat, c) for seat in SEATS}
    json.dumps(views)
    waiting = views[A]["waiting_for"]
    assert all(v["waiting_for"] == waiting for v in views.values())
    assert views["moderator"]["can"] == [] and views["moderator"]["role"] == "observer"
    assert (views[A]["role"], views[B]["role"]) in {("sender", "receiver"), ("receiver", "sender")}
    for seat, v in views.items():
        # At the close a partner who said finished may still ask to switch, while no longer waited on.
        assert bool(v["can"]) == (seat in waiting) or (s["phase"] == "close" and seat in s["finished"])
        for kind in v["can"]:
            before = copy.deepcopy(s)
            imago.apply(s, seat, _acceptable(kind, c.mode), c)  # the view never lies
            assert s == before
    if imago.done(s):
        assert waiting == []
        for kind in imago.INTENTS:
            for seat in SEATS:
                with pytest.raises(DomainError) as caught:
                    imago.apply(s, seat, _acceptable(kind, c.mode), c)
                assert caught.value.code == "finished"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mode=st.sampled_from(MODES), first=st.sampled_from([A, B]), switches=st.integers(0, 2), data=st.data())
def test_random_moves_from_random_seats_never_break_the_dialogue(mode, first, switches, data):
    c = ctx(mode, first=first, switches=switches)
    s = imago.start(SPEC, c)
    check_invariants(s, c)
    for _ in range(data.draw(st.integers(0, 120), label="length")):
        # Most moves follow the view (with random fields, or straight ahead), so the
        # walk reaches the deep phases, the switch and the end, not just the appointment.
        how = data.draw(st.sampled_from(["random", "view", "ahead", "ahead"]), label="how")
        if how != "random" and not imago.done(s):
            seat = data.draw(st.sampled_from(imago.view(s, A, c)["waiting_for"]), label="seat")
            kind = data.draw(st.sampled_from(imago.view(s, seat, c)["can"]), label="kind")
            if how == "view":
                it = data.draw(random_intent(kind), label="intent")
            else:
                it = _acceptable(kind, mode) | ({"more": False} if kind == "more" else {})
        else:
            seat = data.draw(st.sampled_from(SEATS), label="seat")
            it = data.draw(random_intents, label="intent")
        before = copy.deepcopy(s)
        try:
            new, shared = imago.apply(s, seat, it, c)
        except DomainError as e:
            assert e.code in {"not_your_turn", "wrong_step", "finished", "text_required", "bad_value", "too_many"}
            assert s == before  # a refusal leaves the state as it was
            if imago.done(s):
                assert e.code == "finished"
            continue
        assert s == before
        assert not imago.done(s)
        for e in shared:
            assert e["seat"] == seat and e["text"] and e["text"] == e["text"].strip()
        assert (new["sender"], new["receiver"]) == (s["sender"], s["receiver"]) or (
            s["phase"] == "close" and new["phase"] == "appointment")
        assert new["switched"] <= new["switches"]
        s = new
        check_invariants(s, c)


@settings(max_examples=200, deadline=None)
@given(mode=st.sampled_from(MODES), switches=st.integers(0, 3), data=st.data())
def test_following_the_view_always_reaches_the_end(mode, switches, data):
    c = ctx(mode, switches=switches)
    s = imago.start(SPEC, c)
    swaps = 0
    for _ in range(500):
        if imago.done(s):
            break
        seat = data.draw(st.sampled_from(imago.view(s, A, c)["waiting_for"]))
        kind = data.draw(st.sampled_from(imago.view(s, seat, c)["can"]))
        it = _acceptable(kind, mode)
        # Lean towards moving on so the walk ends, but take the loops now and then.
        # Past MAX_CORRECTIONS "not quite" answers in a row only yes goes on (documented in
        # protocol.md, limit `corrections`), so the walk says yes there.
        no = [] if s.get("corrections", 0) >= imago.MAX_CORRECTIONS else [False]
        if kind in ("mirror_check", "empathy_check"):
            it["accurate"] = data.draw(st.sampled_from([True, True, *no]))
        elif kind == "summary_check":
            it["fair"] = data.draw(st.sampled_from([True, True, *no]))
        elif kind == "more":
            it["more"] = data.draw(st.sampled_from([False, False, True]))
        elif kind == "appointment" and s["phase"] == "answer_appointment":
            it["when"] = data.draw(st.sampled_from(["now", "now", "later"]))
            if it["when"] == "later":
                it["minutes"] = 30
        elif kind == "close":
            it["switch"] = data.draw(st.booleans())
        new, _ = imago.apply(s, seat, it, c)
        swaps += new["sender"] != s["sender"]
        s = new
    assert imago.done(s)
    assert swaps == s["switched"] <= switches


# --- fidelity: either partner may ask to switch, "help me understand", a later with a time ----

def test_the_receiver_may_ask_to_switch_roles_at_the_close():
    c = ctx("remote")
    s = at("close", "remote", c)
    v = imago.view(s, B, c)
    assert v["can"] == ["close"] and set(v["waiting_for"]) == {A, B}
    s, _ = imago.apply(s, B, intent("close", switch=True), c)
    assert (s["sender"], s["receiver"], s["phase"], s["switched"]) == (B, A, "appointment", 1)


def test_finishing_with_a_switch_left_waits_for_the_other_who_may_still_ask_to_switch():
    c = ctx("remote")
    s = at("close", "remote", c)
    s, _ = imago.apply(s, A, intent("close", switch=False), c)
    assert s["phase"] == "close" and s["finished"] == [A]
    v = imago.view(s, B, c)
    assert v["waiting_for"] == [B] and v["finished"] == [A] and v["can"] == ["close"]
    switched, _ = imago.apply(s, B, intent("close", switch=True), c)
    assert switched["sender"] == B and switched["finished"] == []
    done, _ = imago.apply(s, B, intent("close", switch=False), c)
    assert imago.done(done)


def test_with_no_switch_left_either_partners_close_finishes():
    c = ctx(switches=0)
    s = at("close", c=c)
    s, _ = imago.apply(s, B, intent("close", switch=False), c)
    assert imago.done(s)


def test_only_the_partners_close_and_only_at_the_close():
    c = ctx()
    assert refused(at("close", c=c), "moderator", intent("close", switch=True), c) == "not_your_turn"
    assert refused(at("empathy_check", c=c), B, intent("close", switch=True), c) == "wrong_step"


def test_the_receiver_asks_help_me_understand_before_validating_and_the_sender_explains():
    c = ctx("remote")
    s = at("validation", "remote", c)
    assert imago.view(s, B, c)["can"] == ["validate", "ask_understand"]
    s, shared = imago.apply(s, B, intent("ask_understand", text="Help me understand the part about Sunday."), c)
    assert s["phase"] == "understand" and shared == [
        {"seat": B, "label": "asked to understand", "text": "Help me understand the part about Sunday."}]
    v = imago.view(s, A, c)
    assert v["waiting_for"] == [A] and v["can"] == ["help_understand"] and imago.view(s, B, c)["can"] == []
    s, shared = imago.apply(s, A, intent("help_understand", text="Sunday is the day we used to walk."), c)
    assert s["phase"] == "validation" and s["current"]["explanation"] == "Sunday is the day we used to walk."
    assert shared[0]["label"] == "helped to understand"
    s, _ = imago.apply(s, B, intent("validate", text="You make sense, because..."), c)
    assert s["phase"] == "empathy"


def test_help_me_understand_is_refused_from_the_wrong_seat_in_the_wrong_phase_and_without_words_when_apart():
    c = ctx("remote")
    s = at("validation", "remote", c)
    assert refused(s, A, intent("ask_understand", text="x"), c) == "not_your_turn"
    assert refused(s, B, intent("help_understand", text="x"), c) == "wrong_step"
    assert refused(at("summary", "remote", c), B, intent("ask_understand", text="x"), c) == "wrong_step"
    assert refused(s, B, intent("ask_understand"), c) == "text_required"
    s, _ = imago.apply(s, B, intent("ask_understand", text="x"), c)
    assert refused(s, B, intent("help_understand", text="x"), c) == "not_your_turn"
    assert refused(s, B, intent("validate", text="x"), c) == "wrong_step"


def test_help_me_understand_is_asked_at_most_max_asks_times_before_one_validation():
    c = ctx()
    s = at("validation", c=c)
    for _ in range(imago.MAX_ASKS):
        s, _ = imago.apply(s, B, intent("ask_understand"), c)
        s, _ = imago.apply(s, A, intent("help_understand"), c)
    assert imago.view(s, B, c)["can"] == ["validate"]
    with pytest.raises(DomainError) as caught:
        imago.apply(s, B, intent("ask_understand"), c)
    assert (caught.value.code, caught.value.details["limit"]) == ("too_many", "asks")


def test_a_later_appointment_records_a_time_both_partners_see():
    c = ctx()
    s = at("answer_appointment", c=c)
    s, _ = imago.apply(s, B, intent("appointment", when="later", minutes=90), c)
    assert s["later_at"] == c.now + 90 * 60
    assert imago.view(s, A, c)["later_at"] == imago.view(s, B, c)["later_at"] == c.now + 5400
    s2, _ = imago.apply(s, B, intent("appointment", when="now"), c)
    assert s2["phase"] == "send" and imago.view(s2, A, c)["later_at"] is None
    s3, _ = imago.apply(s, A, intent("ask_appointment"), c)
    assert s3["later_at"] is None


@pytest.mark.parametrize("minutes", [None, 0, 4, 1441, -5, "30", True, 12.5])
def test_a_later_without_a_time_in_range_is_a_bad_value_and_changes_nothing(minutes):
    c = ctx()
    s = at("answer_appointment", c=c)
    fields = {"when": "later"} if minutes is None else {"when": "later", "minutes": minutes}
    before = copy.deepcopy(s)
    with pytest.raises(DomainError) as caught:
        imago.apply(s, B, intent("appointment", **fields), c)
    assert (caught.value.code, caught.value.details["field"]) == ("bad_value", "minutes")
    assert s == before


def test_the_transport_schema_bounds_the_minutes_of_a_later():
    schema = {"type": "object", "properties": imago.INTENTS["appointment"][0]}
    Draft202012Validator(schema).validate({"when": "later", "minutes": 30})
    for bad in (4, 1441, "soon"):
        assert list(Draft202012Validator(schema).iter_errors({"when": "later", "minutes": bad}))


def test_help_me_understand_and_close_wait_during_a_time_out():
    from tests.unit.helpers import act, started, step
    state = started("imago-dialogue")
    state = act(state, "partner_a", "ask_appointment")
    state = act(state, "partner_b", "timeout")
    for seat, kind, fields in [("partner_b", "appointment", {"when": "later", "minutes": 30}),
                               ("partner_b", "ask_understand", {}), ("partner_a", "close", {"switch": True})]:
        with pytest.raises(DomainError) as caught:
            act(state, seat, kind, **fields)
        assert caught.value.code == "paused"
    assert step(state)["phase"] == "answer_appointment" and step(state)["later_at"] is None


def test_erasing_takes_the_receivers_question_and_the_senders_explanation_with_the_rest():
    c = ctx("remote")
    s = at("validation", "remote", c)
    s, _ = imago.apply(s, B, intent("ask_understand", text="q"), c)
    s, _ = imago.apply(s, A, intent("help_understand", text="e"), c)
    assert imago.erase_seat(s, B)["current"]["question"] is None
    assert imago.erase_seat(s, B)["current"]["explanation"] == "e"
    assert imago.erase_seat(s, A)["current"]["explanation"] is None


def test_on_a_call_the_close_is_open_to_both_and_help_me_understand_gives_the_floor_in_turn():
    c = ctx()
    assert imago.floor(at("close", c=c)) is None  # either partner may ask to switch or finish
    assert imago.floor(at("understand", c=c)) == {"speakers": [A], "cue": "speak"}
