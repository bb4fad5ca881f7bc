"""Promises and intentions (issue 13): the exercise files mark where one is written (a card's `promise`, a
brainstorm's agreement), and the summary marks those entries so that only their author's phone may keep them."""

import copy
from pathlib import Path

import pytest

from server.domain.context import StepCtx
from server.domain.steps import brainstorm, cards
from server.library import LibraryError, load_library
from tests.unit.helpers import act, room, step, view

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "exercises"
LIBRARY = load_library(LIBRARY_DIR)
A, B = "partner_a", "partner_b"


def promised_cards():
    return {(ex["id"], card["id"]) for ex in LIBRARY.exercises.values() for s in ex["steps"] if s["kind"] == "cards"
            for card in s["cards"] if card.get("promise")}


def test_the_trust_repair_and_problem_solving_exercises_mark_where_a_promise_is_written():
    marked = promised_cards()
    assert ("trust-small-promises", "my-promise") in marked
    assert ("repair-after-a-hard-moment", "nt-04") in marked
    for exercise in ("a-real-disagreement", "weekly-check-in"):
        agreeing = [s for s in LIBRARY.get(exercise)["steps"] if s["kind"] == "brainstorm"]
        assert agreeing and all(s.get("promise") is True for s in agreeing), exercise
    # Only cards asking for the one answering's own intention: never one about the partner or the past.
    texts = {LIBRARY.get(ex)["steps"][i]["cards"][j]["text"]
             for ex in {e for e, _ in marked}
             for i, s in enumerate(LIBRARY.get(ex)["steps"]) if s["kind"] == "cards"
             for j, c in enumerate(s["cards"]) if c.get("promise")}
    assert len(texts) == len(marked) >= 6
    assert all(t.startswith(("What", "Which")) and "you" in t for t in texts), texts


def test_promise_is_a_field_of_a_card_and_of_a_brainstorm_and_of_no_other_step(tmp_path):
    for name in ("feelings.yaml", "schema.json"):
        (tmp_path / name).write_text((LIBRARY_DIR / name).read_text())
    head = "id: x\ntitle: X\npurpose: P.\ncategory: trust\nminutes: 5\ndepth: 1\nsteps:\n"
    (tmp_path / "x.yaml").write_text(
        head + "  - kind: cards\n    title: T\n    mode: reveal\n    draw: 1\n    instructions: {both: B.}\n"
        "    cards: [{id: c, text: What will you do?, depth: 1, promise: true}]\n"
        "  - kind: brainstorm\n    title: U\n    promise: true\n    instructions: {agenda: A., ideas: I., agree: G.}\n")
    loaded = load_library(tmp_path).get("x")
    assert loaded["steps"][0]["cards"][0]["promise"] is True and loaded["steps"][1]["promise"] is True
    (tmp_path / "x.yaml").write_text(head + "  - kind: checkin\n    title: T\n    promise: true\n"
                                     "    instructions: {both: B.}\n")
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path)
    assert "promise" in str(caught.value)


def deck(promise_on_first: bool, mode: str = "reveal") -> dict:
    spec = copy.deepcopy(LIBRARY.get("trust-small-promises")["steps"][2])
    spec["mode"] = mode
    if mode == "aloud":
        spec["instructions"] = {"both": "B.", "answerer": "A.", "listener": "L."}
    for card in spec["cards"]:
        card.pop("promise", None)
    if promise_on_first:
        spec["cards"][0]["promise"] = True
    return spec


def ctx():
    return StepCtx(now=0.0, seed=7, mode="remote", first=A)


def test_an_answer_to_a_promise_card_is_marked_a_promise_and_a_guess_is_not():
    st = cards.start(deck(True, mode="guess"), ctx())
    assert cards.view(st, A, ctx())["card"]["promise"] is True
    st, _ = cards.apply(st, A, {"type": "answer", "text": "Cook on Thursday", "guess": "A walk"}, ctx())
    st, shared = cards.apply(st, B, {"type": "answer", "text": "Call my sister", "guess": "Cooking"}, ctx())
    marked = {(e["seat"], e["text"]): e.get("promise", False) for e in shared}
    assert marked == {(A, "Cook on Thursday"): True, (A, "A walk"): False,
                      (B, "Call my sister"): True, (B, "Cooking"): False}


def test_an_answer_taken_in_turns_aloud_is_marked_too_and_an_unmarked_card_marks_nothing():
    st = cards.start(deck(True, mode="aloud"), ctx())
    st, shared = cards.apply(st, A, {"type": "answer", "text": "Cook on Thursday"}, ctx())
    assert [e["promise"] for e in shared] == [True]
    plain = cards.start(deck(False), ctx())
    assert "promise" not in cards.view(plain, A, ctx())["card"]
    plain, _ = cards.apply(plain, A, {"type": "answer", "text": "Cook on Thursday"}, ctx())
    plain, shared = cards.apply(plain, B, {"type": "answer", "text": "Call my sister"}, ctx())
    assert shared and not any("promise" in e for e in shared)


def agreed(spec: dict) -> list[dict]:
    st = brainstorm.start(spec, ctx())
    for seat, type_, fields in ((A, "propose_issue", {"text": "Evenings"}), (B, "agree_issue", {}),
                                (B, "add_idea", {"text": "Phones away after nine"}), (A, "ideas_done", {}),
                                (B, "ideas_done", {}),
                                (B, "propose_try", {"ideas": [1], "check_back": "next_checkin"}), (A, "agree_try", {})):
        st, shared = brainstorm.apply(st, seat, {"type": type_, **fields}, ctx())
    return shared


def test_what_a_couple_agrees_to_try_is_a_promise_of_the_partner_who_proposed_it_where_the_file_says_so():
    spec = copy.deepcopy(LIBRARY.get("weekly-check-in")["steps"][-1])
    assert agreed(spec) == [{"seat": B, "label": "agreed to try", "promise": True,
                             "text": "Phones away after nine — check back at the next weekly check-in"}]
    spec.pop("promise")
    assert "promise" not in agreed(spec)[0]


def test_the_summary_shows_both_phones_which_entries_are_promises_and_whose():
    state = act(room(mode="remote"), A, "propose_plan",
                plan=[{"exercise": "trust-small-promises", "options": {"draw": 1}}])
    state = act(state, B, "agree_plan")
    state = act(act(state, A, "advance"), B, "advance")  # nothing brought back to look at
    state = act(state, A, "pass_floor")
    state = act(state, B, "pass_floor")
    assert step(state)["cards"][0]["id"] == "my-promise"
    state = act(state, A, "answer", text="Cook on Thursday")
    state = act(state, B, "answer", text="Call my sister")
    state = act(act(state, A, "advance"), B, "advance")
    for seat in (A, B):
        entries = view(state, seat)["session"]["summary"]["entries"]
        assert [(e["seat"], e["text"], e.get("promise")) for e in entries] == [
            (A, "Cook on Thursday", True), (B, "Call my sister", True)]
