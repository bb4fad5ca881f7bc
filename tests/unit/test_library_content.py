"""The library's content, counted over the real files: enough cards, every depth, no near-repeats, care where it is deep.

How exercises map to the practices of the source material: each exercise lists the
practices it works on in its `practices` field (exercises/schema.json), and a
practice counts as covered by every exercise that lists it. `category` stays the
lobby's grouping; the three barriers (past hurts, fear of rejection, societal
expectations) share one category but are separate practices here.
"""
import difflib
import re
import string
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

from server.library import load_library

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
THE_36 = "closeness-36"

PRACTICES = {
    "reflective_listening",
    "vulnerability",
    "trust",
    "empathy_validation",
    "past_hurts",
    "fear_of_rejection",
    "societal_expectations",
    "self_exploration",
    "emotional_awareness",
    "attunement",
    "quality_time",
}

# The feeling ids that shipped before the list was widened: saved check-ins refer to them.
SHIPPED_FEELING_IDS = {
    "happy", "glad", "excited", "playful", "proud", "hopeful", "grateful",
    "loving", "close", "warm", "moved", "caring", "longing",
    "peaceful", "relaxed", "safe", "content", "relieved", "steady",
    "sad", "lonely", "disappointed", "hurt", "low", "homesick", "grieving",
    "worried", "nervous", "anxious", "scared", "insecure", "overwhelmed", "unsure",
    "annoyed", "frustrated", "irritable", "angry", "resentful", "jealous",
    "embarrassed", "ashamed", "guilty", "exposed", "awkward", "not-good-enough",
    "surprised", "amazed", "curious", "confused", "shaken",
    "tired", "drained", "numb", "flat", "restless", "stretched-thin",
}
COUPLES_WORK_WORDS = {
    "rejected", "abandoned", "ignored", "unheard", "disconnected", "helpless", "betrayed",
    "loved", "accepted", "respected", "valued", "appreciated",
}

# Exercises the issue asks for by name, each built from existing step kinds.
NAMED_EXERCISES = {
    "stress-reducing-conversation": {"timed_turns", "cards"},
    "turning-towards-daily": {"cards"},
    "love-maps-your-world": {"cards"},
    "dreams-within-conflict": {"speaker_listener", "cards"},
    "repair-after-a-hard-moment": {"speaker_listener", "checkin", "cards"},
}


@pytest.fixture(scope="module")
def library():
    return load_library(EXERCISES)


def cards_of(exercise):
    return [card for step in exercise["steps"] if step["kind"] == "cards" for card in step["cards"]]


def every_card(library):
    return [(ex["id"], card) for ex in library.exercises.values() for card in cards_of(ex)]


def new_cards(library):
    return [(ex_id, card) for ex_id, card in every_card(library) if ex_id != THE_36]


def normalised(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = text.translate(str.maketrans({c: " " for c in string.punctuation}))
    return " ".join(text.split())


def nearly_the_same(a: str, b: str) -> bool:
    """Same words in a different order, or a difflib ratio above 0.9 once case and punctuation are gone."""
    if a == b:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    if words_a and words_a == words_b:
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() > 0.9 and matcher.quick_ratio() > 0.9 and matcher.ratio() > 0.9


# --- counts ------------------------------------------------------------------


def test_every_deck_has_a_purpose_and_enough_cards_for_what_it_draws(library):
    for ex_id, exercise in library.exercises.items():
        assert exercise["purpose"].strip(), ex_id
        for step in exercise["steps"]:
            if step["kind"] == "cards":
                assert len(step["cards"]) >= step["draw"], (ex_id, step["title"])


def test_the_new_decks_each_hold_enough_cards_to_stay_fresh(library):
    """A deck drawn a few cards at a time should last several evenings: at least four draws' worth."""
    for ex_id, exercise in library.exercises.items():
        if ex_id in LEGACY_SMALL_DECKS:
            continue
        for step in exercise["steps"]:
            if step["kind"] == "cards" and step["order"] == "seeded":
                assert len(step["cards"]) >= 4 * step["draw"], (ex_id, step["title"], len(step["cards"]))


# Decks that shipped before this library grew: small on purpose or fixed in order.
LEGACY_SMALL_DECKS = {
    "fear-of-rejection", "imago-dialogue", "look-inward-first", "name-it", "past-hurts",
    "step-by-step-closer", "take-the-floor", "trust-small-promises", "tune-in", "undivided-attention",
    "what-we-were-taught", "you-make-sense", THE_36,
}


def test_every_card_has_topics_and_a_depth(library):
    untagged = [(ex_id, card["id"]) for ex_id, card in every_card(library) if not card.get("topics")]
    assert untagged == []
    assert all(card["depth"] in (1, 2, 3) for _, card in every_card(library))


# --- no repeats ----------------------------------------------------------------


def test_no_two_cards_anywhere_have_the_same_or_nearly_the_same_text(library):
    texts = [(f"{ex_id}/{card['id']}", normalised(card["text"])) for ex_id, card in every_card(library)]
    close = [(a, b) for (a, ta), (b, tb) in combinations(texts, 2) if nearly_the_same(ta, tb)]
    assert close == []


def test_the_near_repeat_check_catches_a_reworded_card():
    a = normalised("What small thing reliably makes a bad day a little better for you?")
    assert nearly_the_same(a, normalised("What small thing reliably makes a bad day a bit better for you?"))
    assert nearly_the_same(a, normalised("what SMALL thing makes a bad day a little better for you, reliably"))
    assert not nearly_the_same(a, normalised("What small thing makes a good day even better for you?"))


# --- care ----------------------------------------------------------------------


def test_every_exercise_reaching_depth_three_carries_a_care_note_saying_how_to_stop(library):
    for ex_id, exercise in library.exercises.items():
        deepest = max([exercise["depth"], *(card["depth"] for card in cards_of(exercise))])
        if deepest < 3:
            continue
        note = exercise.get("care_note", "")
        assert "time-out" in note, ex_id
        assert re.search(r"\bpass", note, re.I), ex_id


def test_an_exercises_depth_is_the_deepest_it_gets(library):
    for ex_id, exercise in library.exercises.items():
        cards = cards_of(exercise)
        if cards:
            assert exercise["depth"] >= max(card["depth"] for card in cards), ex_id


def test_deep_cards_come_after_the_gentle_ones_within_an_exercise(library):
    """A seeded deck is shuffled, so a deck holding depth-3 cards holds nothing gentler to shuffle them among."""
    for ex_id, exercise in library.exercises.items():
        for step in exercise["steps"]:
            if step["kind"] == "cards" and step["order"] == "seeded":
                depths = {card["depth"] for card in step["cards"]}
                assert not (3 in depths and 1 in depths), (ex_id, step["title"])


# --- practices -----------------------------------------------------------------


def test_every_exercise_names_the_practices_it_works_on(library):
    missing = [ex_id for ex_id, exercise in library.exercises.items() if not exercise.get("practices")]
    assert missing == []


# --- feelings ------------------------------------------------------------------


def test_the_feelings_list_holds_at_least_a_hundred_words_with_the_ones_couples_work_needs(library):
    words = {word["word"] for family in library.feelings for word in family["feelings"]}
    assert len(words) >= 100
    assert COUPLES_WORK_WORDS <= words


def test_no_shipped_feeling_id_was_changed_or_dropped(library):
    assert SHIPPED_FEELING_IDS <= set(library.feelings_by_id)


def test_there_is_a_family_for_feeling_strong_or_capable(library):
    strength = [family for family in library.feelings if {"strong", "capable"} <= {w["id"] for w in family["feelings"]}]
    assert len(strength) == 1


def test_no_feeling_word_appears_twice(library):
    words = Counter(word["word"].lower() for family in library.feelings for word in family["feelings"])
    assert [w for w, n in words.items() if n > 1] == []
